"""Year comparisons that compare the column itself, so indexes apply.

``date__year=2015`` means "date within 2015": comparing the column with the
first and last moments of the year (``BETWEEN``) lets the database use an
index on it, where extracting the year from every row cannot. The same holds
for ``gt``/``gte``/``lt``/``lte`` and for ISO week-numbering years. The
rewrite applies when the right-hand side is a plain year and the extracted
value is a date or datetime; anything else (an expression, a year outside
what Python's dates hold) compares the extracted year as before.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

from manouche.conf import settings
from manouche.db.models import fields
from manouche.db.models._integer_lookups import (
    IntegerFieldExact,
    IntegerGreaterThan,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
    IntegerLessThanOrEqual,
)
from manouche.db.models.lookups import Lookup

__all__ = ["YEAR_LOOKUPS"]


def _year_dates(year: int, iso: bool) -> tuple[datetime.date, datetime.date]:
    """First and last day of the (ISO week-numbering) ``year``."""
    if iso:
        first = datetime.date.fromisocalendar(year, 1, 1)
        last = datetime.date.fromisocalendar(year + 1, 1, 1) - datetime.timedelta(1)
        return first, last
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class _YearBoundsMixin(Lookup):
    """Compare the source column with the year's bounds when possible."""

    def _bounds(self) -> tuple[Any, Any, Any] | None:
        """(source expression, first, last) values, or None to extract."""
        year = self.rhs
        if type(year) is not int:
            return None
        source = self.lhs.lhs
        field = getattr(source, "_output_field_or_none", None)
        if not isinstance(field, fields.DateField):
            return None
        try:
            first, last = _year_dates(year, self.lhs.lookup_name == "iso_year")
        except (ValueError, OverflowError):
            return None
        if not isinstance(field, fields.DateTimeField):
            return source, first, last
        start = datetime.datetime.combine(first, datetime.time.min)
        end = datetime.datetime.combine(last, datetime.time.max)
        if settings.USE_TZ:
            from manouche.utils import timezone

            zone = self.lhs.tzinfo or timezone.get_current_timezone()
            start, end = start.replace(tzinfo=zone), end.replace(tzinfo=zone)
        return source, field.get_prep_value(start), field.get_prep_value(end)

    def as_sa(self, compiler: Any) -> Any:
        bounds = self._bounds()
        if bounds is None:
            return super().as_sa(compiler)
        source, first, last = bounds
        column = compiler.compile_expression(source)
        return self.compare_bounds(
            column,
            sa.bindparam(None, first, type_=column.type),
            sa.bindparam(None, last, type_=column.type),
        )

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        """The condition on the column for the year's ``first``/``last``."""
        raise NotImplementedError


class YearExact(_YearBoundsMixin, IntegerFieldExact):
    """``year = n``: within the year."""

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        return column.between(first, last)


class YearGt(_YearBoundsMixin, IntegerGreaterThan):
    """``year > n``: after the year's last moment."""

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        return column > last


class YearGte(_YearBoundsMixin, IntegerGreaterThanOrEqual):
    """``year >= n``: from the year's first moment."""

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        return column >= first


class YearLt(_YearBoundsMixin, IntegerLessThan):
    """``year < n``: before the year's first moment."""

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        return column < first


class YearLte(_YearBoundsMixin, IntegerLessThanOrEqual):
    """``year <= n``: up to the year's last moment."""

    def compare_bounds(self, column: Any, first: Any, last: Any) -> Any:
        return column <= last


#: Registered on ExtractYear and ExtractIsoYear.
YEAR_LOOKUPS: tuple[type[Lookup], ...] = (YearExact, YearGt, YearGte, YearLt, YearLte)
