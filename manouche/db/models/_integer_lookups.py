"""Comparisons on integer fields that know the column's range.

An integer column holds whole numbers within its field's range, so two kinds
of right-hand value can be decided before reaching the database:

* a value outside the range (``filter(n=2**70)``) would overflow the driver's
  bind parameter; the comparison is already known to be always false (or, for
  the bounds facing away, true for every non-null row);
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
]


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

    def _out_of_range(self) -> bool | None:
        value = self.rhs
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        field = getattr(self.lhs, "_output_field_or_none", None)
        high = getattr(field, "max_value", None)
        low = getattr(field, "min_value", None)
        if high is not None and value > high:
            return self.above_max
        if low is not None and value < low:
            return self.below_min
        return None

    def as_sa(self, compiler: Any) -> Any:
        decided = self._out_of_range()
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
