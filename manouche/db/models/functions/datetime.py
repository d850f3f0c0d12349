"""Date and time functions: Extract (year, month...), Trunc, Now."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models import fields
from manouche.db.models.expressions import Func
from manouche.db.models.lookups import Transform

__all__ = [
    "Extract",
    "ExtractDay",
    "ExtractHour",
    "ExtractIsoWeekDay",
    "ExtractIsoYear",
    "ExtractMinute",
    "ExtractMonth",
    "ExtractQuarter",
    "ExtractSecond",
    "ExtractWeek",
    "ExtractWeekDay",
    "ExtractYear",
    "Now",
    "Trunc",
    "TruncDate",
    "TruncDay",
    "TruncHour",
    "TruncMinute",
    "TruncMonth",
    "TruncQuarter",
    "TruncSecond",
    "TruncTime",
    "TruncWeek",
    "TruncYear",
]

_SQLITE_FORMATS = {
    "year": "%Y",
    "month": "%m",
    "day": "%d",
    "hour": "%H",
    "minute": "%M",
    "second": "%S",
    "week_day": "%w",
    "iso_week_day": "%u",
    "week": "%W",
    "iso_year": "%G",
}


class Extract(Transform):
    """Extract one component of a date/time as an integer."""

    lookup_name = "extract"
    output_field_class = fields.IntegerField

    def __init__(self, expression: Any, lookup_name: str | None = None, **extra: Any):
        if lookup_name is not None:
            self.lookup_name = lookup_name
        if not self.lookup_name or not self.lookup_name.replace("_", "").isalpha():
            raise ValueError("lookup_name must be provided")
        super().__init__(expression, output_field=fields.IntegerField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        name = self.lookup_name
        vendor = compiler.vendor
        if vendor == "sqlite":
            if name == "quarter":
                month = sa.cast(sa.func.strftime("%m", value), sa.Integer)
                return (month + 2) / 3
            if name == "week":
                return _sqlite_iso_week(value)
            component = sa.cast(
                sa.func.strftime(_SQLITE_FORMATS[name], value), sa.Integer
            )
            return component + 1 if name == "week_day" else component
        if vendor == "mysql":
            mysql_functions: dict[str, Any] = {
                "week_day": sa.func.dayofweek,
                "iso_week_day": lambda v: sa.func.weekday(v) + 1,
                "week": lambda v: sa.func.week(v, 3),
                "iso_year": lambda v: sa.cast(
                    sa.func.floor(sa.func.yearweek(v, 3) / 100), sa.Integer
                ),
            }
            if name in mysql_functions:
                return mysql_functions[name](value)
            return sa.cast(sa.extract(name, value), sa.Integer)
        postgres_names = {
            "week_day": "dow",
            "iso_week_day": "isodow",
            "iso_year": "isoyear",
        }
        extracted: Any = sa.extract(postgres_names.get(name, name), value)
        if name == "week_day":
            extracted = extracted + 1
        return sa.cast(sa.func.floor(extracted), sa.Integer)


def _sqlite_iso_week(value: Any) -> Any:
    # ISO week: the week of the Thursday in the same ISO week.
    thursday = sa.func.date(value, sa.literal("-3 days"), sa.literal("weekday 4"))
    return (sa.cast(sa.func.strftime("%j", thursday), sa.Integer) - 1) / 7 + 1


class ExtractYear(Extract):
    """The year."""

    lookup_name = "year"


class ExtractIsoYear(Extract):
    """The ISO-8601 week-numbering year."""

    lookup_name = "iso_year"


class ExtractMonth(Extract):
    """The month (1-12)."""

    lookup_name = "month"


class ExtractDay(Extract):
    """The day of the month."""

    lookup_name = "day"


class ExtractWeek(Extract):
    """The ISO-8601 week number."""

    lookup_name = "week"


class ExtractWeekDay(Extract):
    """The day of the week, 1 (Sunday) to 7 (Saturday)."""

    lookup_name = "week_day"


class ExtractIsoWeekDay(Extract):
    """The ISO day of the week, 1 (Monday) to 7 (Sunday)."""

    lookup_name = "iso_week_day"


class ExtractQuarter(Extract):
    """The quarter (1-4)."""

    lookup_name = "quarter"


class ExtractHour(Extract):
    """The hour."""

    lookup_name = "hour"


class ExtractMinute(Extract):
    """The minute."""

    lookup_name = "minute"


class ExtractSecond(Extract):
    """The second."""

    lookup_name = "second"


class TruncDate(Transform):
    """The date part of a datetime."""

    lookup_name = "date"

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=fields.DateField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        if compiler.vendor == "sqlite":
            return sa.func.date(value, type_=sa.Date())
        return sa.cast(value, sa.Date())


class TruncTime(Transform):
    """The time part of a datetime."""

    lookup_name = "time"

    def __init__(self, expression: Any, **extra: Any) -> None:
        super().__init__(expression, output_field=fields.TimeField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        if compiler.vendor == "sqlite":
            return sa.func.strftime("%H:%M:%f", value, type_=sa.Time())
        return sa.cast(value, sa.Time())


class Trunc(Func):
    """Truncate a date/time to a kind: year, quarter, month, week, day..."""

    kind = ""

    def __init__(
        self,
        expression: Any,
        kind: str | None = None,
        output_field: Any = None,
        **extra: Any,
    ) -> None:
        if kind is not None:
            self.kind = kind
        if self.kind not in (
            "year",
            "quarter",
            "month",
            "week",
            "day",
            "hour",
            "minute",
            "second",
        ):
            raise ValueError(f"Invalid kind {self.kind!r} for Trunc.")
        super().__init__(expression, output_field=output_field, **extra)

    def as_sa(self, compiler: Any) -> Any:
        truncated = self._truncate(compiler)
        output = self._output_field_or_none
        if isinstance(output, fields.DateField) and not isinstance(
            output, fields.DateTimeField
        ):
            if compiler.vendor == "sqlite":
                return sa.func.date(truncated, type_=sa.Date())
            return sa.cast(truncated, sa.Date())
        return truncated

    def _truncate(self, compiler: Any) -> Any:
        value = compiler.compile_expression(self.source_expressions[0])
        type_ = self.sa_type() or value.type
        kind = self.kind
        if compiler.vendor == "postgresql":
            return sa.func.date_trunc(kind, value, type_=type_)
        if compiler.vendor == "sqlite":
            formats = {
                "year": "%Y-01-01 00:00:00",
                "month": "%Y-%m-01 00:00:00",
                "day": "%Y-%m-%d 00:00:00",
                "hour": "%Y-%m-%d %H:00:00",
                "minute": "%Y-%m-%d %H:%M:00",
                "second": "%Y-%m-%d %H:%M:%S",
            }
            if kind == "week":
                start = sa.func.date(value, "weekday 0", "-6 days")
                return sa.func.strftime("%Y-%m-%d 00:00:00", start, type_=type_)
            if kind == "quarter":
                month = sa.cast(sa.func.strftime("%m", value), sa.Integer)
                first = ((month - 1) / 3) * 3 + 1
                return sa.func.printf(
                    "%s-%02d-01 00:00:00",
                    sa.func.strftime("%Y", value),
                    first,
                    type_=type_,
                )
            return sa.func.strftime(formats[kind], value, type_=type_)
        formats = {
            "year": "%Y-01-01 00:00:00",
            "month": "%Y-%m-01 00:00:00",
            "day": "%Y-%m-%d 00:00:00",
            "hour": "%Y-%m-%d %H:00:00",
            "minute": "%Y-%m-%d %H:%i:00",
            "second": "%Y-%m-%d %H:%i:%s",
        }
        if kind == "week":
            start = sa.func.subdate(sa.func.date(value), sa.func.weekday(value))
            return sa.cast(start, type_)
        if kind == "quarter":
            return sa.cast(
                sa.func.str_to_date(
                    sa.func.concat(
                        sa.func.year(value),
                        "-",
                        (sa.func.quarter(value) - 1) * 3 + 1,
                        "-01",
                    ),
                    "%Y-%m-%d",
                ),
                type_,
            )
        return sa.cast(sa.func.date_format(value, formats[kind]), type_)


class TruncYear(Trunc):
    """Truncate to the first day of the year."""

    kind = "year"


class TruncQuarter(Trunc):
    """Truncate to the first day of the quarter."""

    kind = "quarter"


class TruncMonth(Trunc):
    """Truncate to the first day of the month."""

    kind = "month"


class TruncWeek(Trunc):
    """Truncate to the Monday of the week."""

    kind = "week"


class TruncDay(Trunc):
    """Truncate to midnight."""

    kind = "day"


class TruncHour(Trunc):
    """Truncate to the hour."""

    kind = "hour"


class TruncMinute(Trunc):
    """Truncate to the minute."""

    kind = "minute"


class TruncSecond(Trunc):
    """Truncate to the second."""

    kind = "second"


class Now(Func):
    """The database's current timestamp."""

    template = "CURRENT_TIMESTAMP"

    def __init__(self, **extra: Any) -> None:
        super().__init__(output_field=fields.DateTimeField(), **extra)

    def as_sa(self, compiler: Any) -> Any:
        return sa.func.now(type_=self.sa_type())

    def as_sa_default(self) -> Any:
        """Return CURRENT_TIMESTAMP as a server default."""
        return sa.func.current_timestamp()


_transform: type[Any]
for _transform in (
    ExtractYear,
    ExtractIsoYear,
    ExtractMonth,
    ExtractDay,
    ExtractWeek,
    ExtractWeekDay,
    ExtractIsoWeekDay,
    ExtractQuarter,
):
    fields.DateField.register_lookup(_transform)
for _transform in (ExtractHour, ExtractMinute, ExtractSecond, TruncDate, TruncTime):
    fields.DateTimeField.register_lookup(_transform)
for _transform in (ExtractHour, ExtractMinute, ExtractSecond):
    fields.TimeField.register_lookup(_transform)
