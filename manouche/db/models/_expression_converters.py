"""Result converters of expressions (``Expression.convert_value``).

Databases without column types for computed values (SQLite) may return a
float for an integer or decimal expression; a converter restores the type.
"""

from __future__ import annotations

import decimal
from typing import Any

import sqlalchemy as sa

__all__ = ["WholeNumber", "converter_for", "result_type"]


def _convert_nothing(value: Any, expression: Any, connection: Any) -> Any:
    return value


def _to_decimal(value: Any) -> decimal.Decimal:
    return decimal.Decimal(repr(value) if isinstance(value, float) else value)


_RESULT_TYPES: dict[str | None, Any] = {
    "FloatField": float,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int,
    "DecimalField": _to_decimal,
}


def converter_for(field: Any) -> Any:
    """Return ``converter(value, expression, connection)`` for ``field``'s type."""
    internal_type = field.get_internal_type() if field is not None else None
    python_type = _RESULT_TYPES.get(internal_type)
    if python_type is None:
        return _convert_nothing
    return lambda value, expression, connection: (
        None if value is None else python_type(value)
    )


class WholeNumber(sa.types.TypeDecorator[Any]):
    """An integer result that the database may return as a decimal or float."""

    impl = sa.BigInteger
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else int(value)


def result_type(expression: Any) -> Any:
    """Return the SQLAlchemy type reading ``expression``'s results.

    A stated integer output reads as an int even when the database computed
    a float (``Sum(price + pages, output_field=IntegerField())`` on SQLite).
    """
    field = expression._output_field_or_none
    if field is not None and field.get_internal_type().endswith("IntegerField"):
        return WholeNumber()
    return expression.sa_type()
