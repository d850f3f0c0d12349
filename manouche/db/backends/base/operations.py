"""SQL snippets and value adaptation that differ between databases."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["BaseDatabaseOperations"]


_INT16 = (-(2**15), 2**15 - 1)
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


class BaseDatabaseOperations:
    """Per-backend SQL helpers used by the wrapper, the ORM and test support."""

    explain_prefix: str | None = None
    max_name_length_value = 63
    #: The values each integer field's column holds, by internal type.
    integer_field_ranges: dict[str, tuple[int, int]] = {
        "SmallIntegerField": _INT16,
        "IntegerField": _INT32,
        "BigIntegerField": _INT64,
        "PositiveSmallIntegerField": (0, _INT16[1]),
        "PositiveIntegerField": (0, _INT32[1]),
        "PositiveBigIntegerField": (0, _INT64[1]),
        "SmallAutoField": _INT16,
        "AutoField": _INT32,
        "BigAutoField": _INT64,
    }

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def integer_field_range(self, internal_type: str) -> tuple[int, int]:
        """Return the (min, max) an integer field of ``internal_type`` can store.

        Model validation and lookups use it so that out-of-range values are
        refused by ``full_clean()`` and decided without reaching the database.
        """
        try:
            return self.integer_field_ranges[internal_type]
        except KeyError:
            raise ValueError(
                f"{internal_type!r} is not an integer field type of "
                f"{type(self).__module__}."
            ) from None

    def date_extract_sql(
        self, lookup_type: str, sql: str, params: Any
    ) -> tuple[str, tuple[Any, ...]]:
        """SQL extracting ``lookup_type`` ("year", "week_day"...) from a date."""
        from manouche.db.models.functions._extract_sql import extract_sql

        return extract_sql(self.connection.vendor, lookup_type, sql, params)

    def datetime_extract_sql(
        self, lookup_type: str, sql: str, params: Any, tzname: str | None
    ) -> tuple[str, tuple[Any, ...]]:
        """Like date_extract_sql, for a UTC datetime seen in ``tzname``."""
        from manouche.db.models.functions._extract_sql import extract_sql

        return extract_sql(self.connection.vendor, lookup_type, sql, params, tzname)

    time_extract_sql = date_extract_sql

    def quote_name(self, name: str) -> str:
        """Quote an identifier for this database (idempotent)."""
        if name.startswith('"') and name.endswith('"'):
            return name
        return '"' + name.replace('"', '""') + '"'

    def max_name_length(self) -> int:
        """The longest identifier the database accepts."""
        return self.max_name_length_value

    def bulk_batch_size(self, fields: Sequence[Any], objs: Sequence[Any]) -> int:
        """How many objects one INSERT may carry, given the parameter limit."""
        limit = self.connection.features.max_query_params
        if limit is None:
            return len(objs) or 1
        return max(int(limit) // max(len(fields), 1), 1)

    def start_transaction_sql(self) -> str:
        """The statement that opens a transaction."""
        return "BEGIN"

    def end_transaction_sql(self, success: bool = True) -> str:
        """The statement that ends a transaction (as ``sqlmigrate`` prints it)."""
        return "COMMIT;" if success else "ROLLBACK;"

    def savepoint_create_sql(self, sid: str) -> str:
        """The statement that creates savepoint ``sid``."""
        return f"SAVEPOINT {self.quote_name(sid)}"

    def savepoint_commit_sql(self, sid: str) -> str:
        """The statement that releases savepoint ``sid``."""
        return f"RELEASE SAVEPOINT {self.quote_name(sid)}"

    def savepoint_rollback_sql(self, sid: str) -> str:
        """The statement that rolls back to savepoint ``sid``."""
        return f"ROLLBACK TO SAVEPOINT {self.quote_name(sid)}"

    def adapt_raw_query(self, sql: str, params: Any) -> tuple[str, Any]:
        """Translate ``%s`` placeholders and params to the driver's style."""
        return sql, params

    def sql_flush(
        self,
        style: Any,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """Return statements that empty ``tables``."""
        return [f"DELETE FROM {self.quote_name(table)}" for table in tables]

    def sequence_reset_by_name_sql(
        self, style: Any, sequences: Iterable[dict[str, Any]]
    ) -> list[str]:
        """Statements restarting the given sequences at 1 (none by default).

        ``sequences`` holds ``{"table", "column"(, "name")}`` entries, as
        ``introspection.sequence_list()`` returns them.
        """
        return []

    def sequence_reset_sql(self, style: Any, model_list: Iterable[Any]) -> list[str]:
        """Statements moving the models' sequences past their largest key.

        Needed where a row written with an explicit key does not move the
        sequence (PostgreSQL); auto-increment counters elsewhere follow.
        """
        return []

    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        """Run ``sql_list`` (from ``sql_flush``) in one transaction."""
        from manouche.db import transaction

        atomic = transaction.atomic(
            using=self.connection.alias,
            savepoint=self.connection.features.can_rollback_ddl,
        )
        with atomic, self.connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)

    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        """Return ``sql`` with ``params`` written in, for display."""
        from manouche.db.backends.utils import interpolate

        return interpolate(sql, params, "format")

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """Return the EXPLAIN prefix for the requested ``format`` and options."""
        from manouche.db.utils import NotSupportedError

        features = self.connection.features
        if not features.supports_explaining_query_execution:
            raise NotSupportedError(
                "This backend does not support explaining query execution."
            )
        if format:
            self.check_explain_format(format)
        if options:
            raise ValueError(f"Unknown options: {', '.join(sorted(options))}")
        return self.explain_prefix or "EXPLAIN"

    def check_explain_format(self, format: str) -> str:
        """Return ``format`` upper-cased, or raise ValueError naming the choices."""
        supported = self.connection.features.supported_explain_formats
        normalized = format.upper()
        if normalized not in supported:
            message = f"{normalized} is not a recognized format."
            if supported:
                message += f" Allowed formats: {', '.join(sorted(supported))}"
            else:
                name = self.connection.display_name
                message += f" {name} does not support any formats."
            raise ValueError(message)
        return normalized

    def adapt_decimalfield_value(
        self,
        value: Any,
        max_digits: int | None = None,
        decimal_places: int | None = None,
    ) -> Any:
        """The driver value for a DecimalField's Decimal (unchanged by default).

        A hook for backends whose driver needs decimals in another form.
        """
        return value

    def adapt_json_value(self, value: Any, encoder: Any) -> str:
        """Encode a JSONField value as JSON text with the field's encoder.

        Encoding here (not in the driver) makes an unencodable value fail
        with the encoder's own ``TypeError`` before any SQL is sent.
        """
        return json.dumps(value, cls=encoder)

    def pk_default_value(self) -> str:
        """The value that makes the database pick a primary key."""
        return "DEFAULT"

    def prep_for_like_query(self, value: Any) -> str:
        """Escape LIKE wildcards in ``value``."""
        return str(value).replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")

    def no_limit_value(self) -> int | None:
        """The LIMIT value meaning "no limit" (None: omit LIMIT)."""
        return None

    def force_no_ordering(self) -> list[Any]:
        """Return the ORDER BY a GROUP BY query needs to stay unordered (none)."""
        return []

    def limit_offset_sql(self, low_mark: int | None, high_mark: int | None) -> str:
        """Return the ``LIMIT ... OFFSET ...`` text for a slice ``[low:high]``."""
        limit = None if high_mark is None else high_mark - (low_mark or 0)
        if limit is None:
            limit = self.no_limit_value()
        parts = []
        if limit is not None:
            parts.append(f"LIMIT {int(limit)}")
        if low_mark:
            parts.append(f"OFFSET {int(low_mark)}")
        return " ".join(parts)
