"""Comparisons on integer fields that know the column's range.

An integer column holds whole numbers within its field's range, so two kinds
of right-hand value can be decided before reaching the database:

* a value outside the column's range on the database in use
  (``connection.ops.integer_field_range``), e.g. ``filter(n=2**70)``, would
  overflow the driver's bind parameter; the comparison is already known to be
  always false (or, for the bounds facing away, true for every non-null row),
  and a query left with an always-false WHERE is not sent at all;
* a fractional value for ``gte``/``lt`` compares like its ceiling
  (``n >= 1.5`` is ``n >= 2``), where ``int()`` would truncate it wrongly.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa

from manouche.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
    Lookup,
)

__all__ = [
    "IntegerFieldExact",
    "IntegerGreaterThan",
    "IntegerGreaterThanOrEqual",
    "IntegerLessThan",
    "IntegerLessThanOrEqual",
    "column_range",
    "int_out_of_range",
]


def column_range(field: Any, connection: Any) -> tuple[int | None, int | None] | None:
    """The (min, max) of an integer ``field``'s column on ``connection``.

    None for fields that are not integers. The range depends only on the
    backend (SQLite: always 64-bit), so it is kept on the field per vendor.
    """
    backend_range = getattr(field, "backend_range", None)
    if backend_range is None:
        return None
    if connection is None:
        return backend_range(None)  # type: ignore[no-any-return]
    cache = field.__dict__.setdefault("_column_ranges", {})
    bounds = cache.get(connection.vendor)
    if bounds is None:
        bounds = cache[connection.vendor] = backend_range(connection)
    return bounds  # type: ignore[no-any-return]


def int_out_of_range(field: Any, connection: Any, value: Any) -> bool:
    """Whether ``value`` is an int that ``field``'s column cannot hold.

    The statement caches of ``sql._fast`` bind values unchecked: they leave
    such values to the general path, which decides them without the database.
    """
    if type(value) is not int:
        return False
    bounds = column_range(field, connection)
    if bounds is None:
        return False
    low, high = bounds
    return (low is not None and value < low) or (high is not None and value > high)


class _IntegerRangeMixin(Lookup):
    """Decide comparisons with out-of-range values without the database."""

    #: Result when the value is above the range / below the range:
    #: False matches nothing, True matches every non-null row.
    above_max: bool = False
    below_min: bool = False
    round_up_floats = False

    def get_prep_lookup(self, value: Any) -> Any:
        if self.round_up_floats and isinstance(value, float) and math.isfinite(value):
            value = math.ceil(value)
        return super().get_prep_lookup(value)

    def _out_of_range(self, connection: Any) -> bool | None:
        value = self.rhs
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        field = getattr(self.lhs, "_output_field_or_none", None)
        bounds = column_range(field, connection)
        if bounds is None:
            return None
        low, high = bounds
        if high is not None and value > high:
            return self.above_max
        if low is not None and value < low:
            return self.below_min
        return None

    def as_sa(self, compiler: Any) -> Any:
        decided = self._out_of_range(compiler.connection)
        if decided is None:
            return super().as_sa(compiler)
        if decided:
            return compiler.compile_expression(self.lhs).is_not(None)
        return sa.false()


class IntegerFieldExact(_IntegerRangeMixin, Exact):
    """``=`` that matches nothing for a value out of the field's range."""


class IntegerGreaterThan(_IntegerRangeMixin, GreaterThan):
    """``>`` decided early for out-of-range values."""

    below_min = True


class IntegerGreaterThanOrEqual(_IntegerRangeMixin, GreaterThanOrEqual):
    """``>=`` rounding fractional values up."""

    below_min = True
    round_up_floats = True


class IntegerLessThan(_IntegerRangeMixin, LessThan):
    """``<`` rounding fractional values up."""

    above_max = True
    round_up_floats = True


class IntegerLessThanOrEqual(_IntegerRangeMixin, LessThanOrEqual):
    """``<=`` decided early for out-of-range values."""

    above_max = True
