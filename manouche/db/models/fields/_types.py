"""SQLAlchemy column types that make every backend store values alike.

Each type is a ``TypeDecorator`` choosing its dialect type, so one ``Table``
serves SQLite, PostgreSQL and MariaDB.
"""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.engine import Dialect

from manouche.conf import settings

__all__ = [
    "AwareDateTime",
    "Decimal",
    "Duration",
    "EncodedJSON",
    "JSONType",
    "PreciseTime",
]

_UTC = datetime.UTC


def _use_tz() -> bool:
    return bool(settings.USE_TZ)


class AwareDateTime(sa.types.TypeDecorator[datetime.datetime]):
    """Timestamps stored in UTC; aware datetimes back when USE_TZ is on."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(sa.DateTime())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or not isinstance(value, datetime.datetime):
            return value
        if value.tzinfo is not None:
            value = value.astimezone(_UTC)
            if dialect.name != "postgresql":
                value = value.replace(tzinfo=None)
        elif dialect.name == "postgresql" and _use_tz():
            value = value.replace(tzinfo=_UTC)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or not isinstance(value, datetime.datetime):
            return value
        if _use_tz():
            if value.tzinfo is None:
                return value.replace(tzinfo=_UTC)
            return value.astimezone(_UTC)
        if value.tzinfo is not None:
            return value.astimezone(_UTC).replace(tzinfo=None)
        return value


class PreciseTime(sa.types.TypeDecorator[datetime.time]):
    """Times with microseconds on every backend."""

    impl = sa.Time
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.TIME(fsp=6))
        return dialect.type_descriptor(sa.Time())

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, datetime.timedelta):  # MySQL drivers return TIME as delta
            seconds = int(value.total_seconds())
            return datetime.time(
                seconds // 3600, seconds // 60 % 60, seconds % 60, value.microseconds
            )
        return value


_FLOAT_DIGITS = decimal.Context(prec=15)


class Decimal(sa.types.TypeDecorator[decimal.Decimal]):
    """Fixed-point numbers; SQLite's floats are quantized back to Decimal."""

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, max_digits: int | None, decimal_places: int | None) -> None:
        super().__init__(precision=max_digits, scale=decimal_places)
        self.max_digits = max_digits
        self.decimal_places = decimal_places

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(
                sa.Numeric(self.max_digits, self.decimal_places, asdecimal=False)
            )
        return dialect.type_descriptor(
            sa.Numeric(self.max_digits, self.decimal_places, asdecimal=True)
        )

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "sqlite" and isinstance(value, decimal.Decimal):
            return str(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            # A float holds 15 significant digits; the rest is binary noise
            # (SQLite computes 0.5 - 0.4 as 0.09999999999999998).
            value = _FLOAT_DIGITS.create_decimal_from_float(value)
        elif not isinstance(value, decimal.Decimal):
            value = decimal.Decimal(value)
        if self.decimal_places is not None:
            with decimal.localcontext() as context:
                context.prec = max(self.max_digits or 28, 28)
                return value.quantize(decimal.Decimal(1).scaleb(-self.decimal_places))
        return value


class Duration(sa.types.TypeDecorator[datetime.timedelta]):
    """Durations: native INTERVAL on PostgreSQL, microseconds elsewhere."""

    impl = sa.BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.INTERVAL())
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if dialect.name == "postgresql" or not isinstance(value, datetime.timedelta):
            return value
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or isinstance(value, datetime.timedelta):
            return value
        return datetime.timedelta(microseconds=int(value))


class JSONType(sa.types.TypeDecorator[Any]):
    """JSON documents: jsonb on PostgreSQL, JSON elsewhere."""

    impl = sa.JSON
    cache_ok = True

    def __init__(self, encoder: Any = None, decoder: Any = None) -> None:
        super().__init__(none_as_null=True)
        self.encoder = encoder
        self.decoder = decoder

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.JSONB(none_as_null=True))
        return dialect.type_descriptor(sa.JSON(none_as_null=True))

    @property
    def comparator_factory(self) -> Any:  # type: ignore[override]
        return sa.JSON.Comparator

    def bind_processor(self, dialect: Dialect) -> Any:
        """Send text a JSONField already encoded as is (decoded for psycopg).

        psycopg adapts jsonb parameters itself, so there the encoded text is
        turned back into plain JSON data that its default encoder handles.
        """
        inner = super().bind_processor(dialect)
        raw_text = dialect.name != "postgresql"

        def process(value: Any) -> Any:
            if isinstance(value, EncodedJSON):
                if raw_text:
                    return str(value)
                value = json.loads(value)
            return inner(value) if inner is not None else value

        return process

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        """Decode JSON text; a number SQLite extracted from a document is kept."""
        if dialect.name == "postgresql":
            return super().result_processor(dialect, coltype)

        def process(value: Any) -> Any:
            if isinstance(value, (str, bytes)):
                value = json.loads(value)
            return self.process_result_value(value, dialect)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if self.decoder is None or value is None:
            return value
        return json.loads(json.dumps(value), cls=self.decoder)


class EncodedJSON(str):
    """JSON text produced by ``DatabaseOperations.adapt_json_value``.

    Marks a parameter as already encoded so the column type does not encode
    the text a second time.
    """

    __slots__ = ()
