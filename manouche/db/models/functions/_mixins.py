"""Output-field inference shared by the math, text and comparison functions.

A source given as ``F("name")`` has no field until the compiler resolves it,
so the type is settled twice: from the sources' fields when they are known
(``output_field`` in Python), and at compile time from the compiled
arguments' SQLAlchemy types, so that results always come back converted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.fields import _types

__all__ = [
    "FixedOutputMixin",
    "IntegerResult",
    "NumericOutputFieldMixin",
    "RealResult",
    "SameAsInputMixin",
    "field_from_sa_type",
    "source_fields",
]


def field_from_sa_type(type_: Any) -> Any:
    """Return a field matching a compiled element's SQLAlchemy type, or None."""
    if isinstance(type_, _types.Decimal):
        return fields.DecimalField()
    if isinstance(type_, sa.types.TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, sa.Float):
        return fields.FloatField()
    if isinstance(type_, sa.Integer):
        return fields.IntegerField()
    if isinstance(type_, sa.Numeric):
        return fields.DecimalField()
    return None


def source_fields(expression: Any, compiled: Sequence[Any] | None = None) -> list[Any]:
    """Return the field of each source (None where unknown).

    With ``compiled`` (the compiled arguments), unknown fields are read from
    the arguments' SQLAlchemy types.
    """
    result = []
    for index, source in enumerate(expression.get_source_expressions()):
        field = getattr(source, "_output_field_or_none", None)
        if field is None and compiled is not None:
            field = field_from_sa_type(getattr(compiled[index], "type", None))
        result.append(field)
    return result


def _numeric_field(known: Sequence[Any]) -> Any:
    if any(isinstance(field, fields.DecimalField) for field in known):
        return fields.DecimalField()
    if any(isinstance(field, fields.IntegerField) for field in known):
        return fields.FloatField()
    if known:
        return known[0]
    return fields.FloatField()


class RealResult(sa.types.TypeDecorator[float]):
    """A float result, whatever number the driver hands back (SQLite: int)."""

    impl = sa.Float
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(asdecimal=False)

    def process_result_value(self, value: Any, dialect: Any) -> float | None:
        return None if value is None else float(value)


class IntegerResult(sa.types.TypeDecorator[int]):
    """An integer result (PostgreSQL's SIGN(int) answers in double precision)."""

    impl = sa.Integer
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> int | None:
        return None if value is None else int(value)


def _sa_type_of(field: Any) -> Any:
    if field is None:
        return None
    if type(field) is fields.FloatField:
        return RealResult()
    if type(field) is fields.IntegerField:
        return IntegerResult()
    try:
        return field.sa_type()
    except NotImplementedError:
        return None


class NumericOutputFieldMixin:
    """Integer input gives a float, decimal input a decimal, else the input's type."""

    _output_field: Any

    def _resolve_output_field(self) -> Any:
        known = source_fields(self)
        if any(field is None for field in known):
            return None
        return _numeric_field([f for f in known if f is not None])

    def output_sa_type(self, compiled: Sequence[Any]) -> Any:
        """Return the result type given the compiled arguments."""
        if self._output_field is not None:
            return _sa_type_of(self._output_field)
        known = [f for f in source_fields(self, compiled) if f is not None]
        return _sa_type_of(_numeric_field(known))


class SameAsInputMixin:
    """The result has the type of the first source whose type is known."""

    _output_field: Any

    def output_sa_type(self, compiled: Sequence[Any]) -> Any:
        """Return the result type given the compiled arguments."""
        if self._output_field is not None:
            return _sa_type_of(self._output_field)
        for source, element in zip(
            self.get_source_expressions(),  # type: ignore[attr-defined]
            compiled,
            strict=False,
        ):
            field = getattr(source, "_output_field_or_none", None)
            if field is not None:
                return _sa_type_of(field)
            type_ = getattr(element, "type", None)
            if type_ is not None and not isinstance(type_, sa.types.NullType):
                numeric = field_from_sa_type(type_)
                return type_ if numeric is None else _sa_type_of(numeric)
        return None


class FixedOutputMixin:
    """The result type never depends on the input (``output_field_class``)."""

    output_field_class: Any = fields.FloatField
    _output_field: Any

    def _resolve_output_field(self) -> Any:
        return self.output_field_class()

    def output_sa_type(self, compiled: Sequence[Any]) -> Any:
        """Return the result type."""
        field = self._output_field or self.output_field_class()
        return _sa_type_of(field)
