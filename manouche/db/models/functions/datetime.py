"""Date and time functions: Extract (year, month...), Trunc, Now."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from manouche.conf import settings
from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.backends.sqlite3._datetime_functions import EXTRACT_KINDS
from manouche.db.models import fields
from manouche.db.models.expressions import F, Func, OuterRef
from manouche.db.models.fields._types import AwareDateTime
from manouche.db.models.lookups import Transform
from manouche.db.utils import DataError

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


class TimezoneMixin:
    """Datetimes are stored in UTC: convert them to a zone before slicing.

    With USE_TZ on, the zone is ``tzinfo`` or the current time zone. On
    PostgreSQL the conversion is ``AT TIME ZONE``; on SQLite two functions
    registered on each connection (Python's zoneinfo); on MariaDB
    ``CONVERT_TZ`` with the zone's fixed offset when it has a single one
    (1970-2050), else with its name, which needs the server's time zone
    tables (``mariadb-tzinfo-to-sql``): without them such a zone raises
    NotSupportedError rather than returning wrong values.
    """

    tzinfo: Any = None

    def get_tzname(self) -> str | None:
        """The zone name to convert to, None when no conversion is needed."""
        if not settings.USE_TZ:
            return None
        from manouche.utils import timezone

        zone = self.tzinfo or timezone.get_current_timezone()
        name = getattr(zone, "key", None)
        if name is None:
            # A fixed offset (datetime.timezone): "+HH:MM".
            delta = zone.utcoffset(None) or datetime.timedelta()
            name = _offset_name(delta)
        return None if name in ("UTC", "Etc/UTC", "+00:00") else str(name)

    def _localize(self, compiler: Any, value: Any) -> tuple[Any, str | None]:
        """Return ``value`` in the local zone (and the zone name) if needed."""
        if not isinstance(getattr(value, "type", None), AwareDateTime):
            return value, None
        tzname = self.get_tzname()
        if tzname is None:
            return value, None
        return _to_zone(compiler, value, "UTC", tzname), tzname


def _to_zone(compiler: Any, value: Any, source: str, target: str) -> Any:
    vendor = compiler.vendor
    if vendor == "postgresql":
        # PostgreSQL reads "+05:00" the POSIX way (west of UTC): flip it.
        source, target = _posix(source), _posix(target)
        if source == "UTC":
            # timestamptz -> local timestamp
            return sa.func.timezone(target, value, type_=sa.DateTime())
        # local timestamp -> timestamptz
        return sa.func.timezone(source, value, type_=value.type)
    if vendor == "sqlite":
        return sa.func.manouche_convert_tz(value, source, target, type_=value.type)
    return sa.func.convert_tz(
        value,
        _mysql_zone(compiler, source),
        _mysql_zone(compiler, target),
        type_=value.type,
    )


def _mysql_zone(compiler: Any, name: str) -> str:
    if name == "UTC":
        return "+00:00"
    if name[:1] in "+-":
        return name
    offset = _fixed_offset(name)
    if offset is not None:
        return offset
    connection = compiler.connection
    if connection is not None and not _mysql_has_zone_tables(connection):
        from manouche.db.utils import NotSupportedError

        raise NotSupportedError(
            f"The time zone {name!r} has several UTC offsets and the database "
            "server has no time zone tables: load them (mariadb-tzinfo-to-sql) "
            "to convert datetimes to it."
        )
    return name


@functools.lru_cache(maxsize=64)
def _fixed_offset(name: str) -> str | None:
    """``+HH:MM`` if the zone has one UTC offset over 1970-2050, else None."""
    zone = zoneinfo.ZoneInfo(name)
    offsets = {
        datetime.datetime(year, month, 1, tzinfo=zone).utcoffset()
        for year in range(1970, 2051)
        for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        return None
    return _offset_name(offsets.pop() or datetime.timedelta())


def _offset_name(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _posix(name: str) -> str:
    if name[:1] == "+":
        return "-" + name[1:]
    if name[:1] == "-":
        return "+" + name[1:]
    return name


def _mysql_has_zone_tables(connection: Any) -> bool:
    cached = getattr(connection, "_manouche_zone_tables", None)
    if cached is None:
        with connection.sa_engine.connect() as conn:
            probe = sa.text("SELECT CONVERT_TZ('2020-01-01', 'UTC', 'Europe/Paris')")
            cached = conn.execute(probe).scalar() is not None
        connection._manouche_zone_tables = cached
    return bool(cached)


class Extract(TimezoneMixin, Transform):
    """Extract one component of a date/time as an integer."""

    # Empty: Extract itself needs a lookup_name (its subclasses set one).
    lookup_name = ""
    output_field_class = fields.IntegerField

    def __init__(
        self,
        expression: Any,
        lookup_name: str | None = None,
        tzinfo: Any = None,
        **extra: Any,
    ):
        self.tzinfo = tzinfo
        if lookup_name is not None:
            self.lookup_name = lookup_name
        if not self.lookup_name or not self.lookup_name.replace("_", "").isalpha():
            raise ValueError("lookup_name must be provided")
        super().__init__(expression, output_field=fields.IntegerField(), **extra)

    def check_query_sources(self, query: Any, outer: Any = None) -> None:
        """Refuse, when annotated, a component the source's type lacks.

        ``outer`` is the enclosing query, where an ``OuterRef`` source points.
        """
        source = self.source_expressions[0]
        if isinstance(source, OuterRef):
            if outer is None or not isinstance(source.name, str):
                return
            query, source = outer, F(source.name)
        try:
            field = _query_field(query, source)
        except (FieldError, FieldDoesNotExist):
            return  # reported with its own message when compiled
        if field is not None:
            _check_extract_kind(field, self.lookup_name)

    def as_sa(self, compiler: Any) -> Any:
        _check_extract_source(compiler, self.source_expressions[0], self.lookup_name)
        _check_tzinfo_source(compiler, self)
        value = compiler.compile_expression(self.source_expressions[0])
        value, _ = self._localize(compiler, value)
        name = self.lookup_name
        vendor = compiler.vendor
        if vendor == "sqlite":
            if name not in EXTRACT_KINDS:
                raise ValueError(f"Invalid lookup_name {name!r} for Extract on SQLite.")
            # Python's calendar (sqlite3._datetime_functions): strftime lacks
            # ISO years and weekdays before SQLite 3.46.
            return sa.func.manouche_extract(name, value, type_=sa.Integer())
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


_DATE_PARTS = frozenset(
    {"year", "iso_year", "month", "week", "week_day", "iso_week_day", "quarter"}
)
_TIME_PARTS = frozenset({"hour", "minute", "second"})


def _source_field(compiler: Any, expression: Any) -> Any:
    """The field an Extract reads, when it can be known before compiling."""
    return _query_field(getattr(compiler, "query", None), expression)


def _query_field(query: Any, expression: Any) -> Any:
    """The field ``expression`` reads in ``query``, if known without compiling."""
    field = getattr(expression, "_output_field_or_none", None)
    if field is not None:
        return field
    name = getattr(expression, "name", None)
    if not isinstance(name, str) or query is None or query.model is None:
        return None
    if name in query.annotations:
        return getattr(query.annotations[name], "_output_field_or_none", None)
    return query.field_for_path(name)


def _check_tzinfo_source(compiler: Any, function: Any) -> None:
    """An explicit zone only means something for a datetime source."""
    if function.tzinfo is None:
        return
    field = _source_field(compiler, function.source_expressions[0])
    if field is not None and not isinstance(field, fields.DateTimeField):
        raise ValueError("tzinfo can only be used with DateTimeField.")


def _check_extract_source(compiler: Any, expression: Any, name: str) -> None:
    """Refuse components the source type does not have (with a clear error)."""
    field = _source_field(compiler, expression)
    if field is None:
        return
    if isinstance(field, fields.DurationField):
        features = getattr(compiler.connection, "features", None)
        if not getattr(features, "has_native_duration_field", False):
            raise ValueError("Extract requires native DurationField database support.")
    _check_extract_kind(field, name)


def _check_extract_kind(field: Any, name: str) -> None:
    """Refuse a component that ``field``'s type does not have."""
    label = getattr(field, "name", None) or type(field).__name__
    if isinstance(field, fields.DurationField):
        if name in _DATE_PARTS:
            raise ValueError(
                f"Cannot extract component '{name}' from DurationField '{label}'."
            )
    elif isinstance(field, fields.TimeField):
        if name in _DATE_PARTS:
            raise ValueError(
                f"Cannot extract date component '{name}' from TimeField '{label}'."
            )
    elif isinstance(field, fields.DateField):
        if not isinstance(field, fields.DateTimeField) and name in _TIME_PARTS:
            raise ValueError(
                f"Cannot extract time component '{name}' from DateField '{label}'."
            )
    else:
        raise ValueError(
            "Extract input expression must be DateField, DateTimeField, TimeField, "
            "or DurationField."
        )


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


def _check_part_source(compiler: Any, source: Any, lacking: type) -> None:
    """Refuse to take the date of a time, or the time of a date.

    ``lacking`` is the source type without the part asked for; a
    DateTimeField (a DateField subclass) has both parts.
    """
    field = _source_field(compiler, source)
    if isinstance(field, lacking) and not isinstance(field, fields.DateTimeField):
        label = getattr(field, "name", None) or type(field).__name__
        target = "TimeField" if lacking is fields.DateField else "DateField"
        raise ValueError(
            f"Cannot truncate {type(field).__name__} {label!r} to {target}."
        )


class TruncDate(TimezoneMixin, Transform):
    """The date part of a datetime."""

    lookup_name = "date"

    def __init__(self, expression: Any, tzinfo: Any = None, **extra: Any) -> None:
        self.tzinfo = tzinfo
        extra.setdefault("output_field", fields.DateField())
        super().__init__(expression, **extra)

    def as_sa(self, compiler: Any) -> Any:
        _check_part_source(compiler, self.source_expressions[0], fields.TimeField)
        value = compiler.compile_expression(self.source_expressions[0])
        value, _ = self._localize(compiler, value)
        if compiler.vendor == "sqlite":
            return sa.func.date(value, type_=sa.Date())
        return sa.cast(value, sa.Date())


class TruncTime(TimezoneMixin, Transform):
    """The time part of a datetime."""

    lookup_name = "time"

    def __init__(self, expression: Any, tzinfo: Any = None, **extra: Any) -> None:
        self.tzinfo = tzinfo
        extra.setdefault("output_field", fields.TimeField())
        super().__init__(expression, **extra)

    def as_sa(self, compiler: Any) -> Any:
        _check_part_source(compiler, self.source_expressions[0], fields.DateField)
        value = compiler.compile_expression(self.source_expressions[0])
        value, _ = self._localize(compiler, value)
        if compiler.vendor == "sqlite":
            return sa.func.manouche_time(value, type_=sa.Time())
        return _time_of(compiler, value)


class InvalidTruncKind(DataError, ValueError):
    """A Trunc kind no database knows.

    Raised when the Trunc is built rather than left to the database; both a
    ValueError (a bad argument) and the DataError PostgreSQL raises for it.
    """


class Trunc(TimezoneMixin, Func):
    """Truncate a date/time to a kind: year, quarter, month, week, day..."""

    kind = ""

    def __init__(
        self,
        expression: Any,
        kind: str | None = None,
        output_field: Any = None,
        tzinfo: Any = None,
        **extra: Any,
    ) -> None:
        self.tzinfo = tzinfo
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
            raise InvalidTruncKind(f"Invalid kind {self.kind!r} for Trunc.")
        super().__init__(expression, output_field=output_field, **extra)

    def as_sa(self, compiler: Any) -> Any:
        self._check_types(compiler)
        _check_tzinfo_source(compiler, self)
        value = compiler.compile_expression(self.source_expressions[0])
        local, tzname = self._localize(compiler, value)
        output = self._output_field_or_none
        # The type of the result: the output field, else the source's.
        layout = _layout(output or _source_field(compiler, self.source_expressions[0]))
        if compiler.vendor == "sqlite":
            # Straight to the stored layout (see sqlite3._datetime_functions).
            return _sqlite_trunc(self, local, layout, tzname, compiler, value)
        truncated = self._truncate(compiler, local, self._sa_type(value))
        if layout == "date":
            return sa.cast(truncated, sa.Date())
        if layout == "time":
            return _time_of(compiler, truncated)
        if tzname is not None:
            # Back to UTC: the local midnight (...) as an aware instant.
            return self._in_zone(_to_zone(compiler, truncated, tzname, "UTC"))
        return self._in_zone(truncated)

    def _in_zone(self, value: Any) -> Any:
        """Read aware results back in the zone they were truncated in."""
        if not settings.USE_TZ or not isinstance(value.type, AwareDateTime):
            return value
        from manouche.utils import timezone

        zone = self.tzinfo or timezone.get_current_timezone()
        return sa.type_coerce(value, ZonedDateTime(zone))

    def _sa_type(self, value: Any) -> Any:
        return self.sa_type() or value.type

    def _check_types(self, compiler: Any) -> None:
        """Refuse outputs and sources that cannot hold the truncated value."""
        temporal = (fields.DateField, fields.TimeField)
        explicit = self.__dict__.get("_output_field")
        if explicit is not None and not isinstance(explicit, temporal):
            raise ValueError(
                "output_field must be either DateField, TimeField, or DateTimeField"
            )
        source = self.source_expressions[0]
        field = _source_field(compiler, source)
        if field is None:
            return
        label = getattr(field, "name", None) or type(field).__name__
        if not isinstance(field, temporal):
            raise TypeError(
                f"{label!r} isn't a DateField, TimeField, or DateTimeField."
            )
        target = "DateTimeField"  # what Trunc names, whatever the output field
        is_date = not isinstance(field, fields.DateTimeField) and isinstance(
            field, fields.DateField
        )
        wants_time = isinstance(explicit, (fields.TimeField, fields.DateTimeField))
        if is_date and (wants_time or self.kind in ("hour", "minute", "second")):
            raise ValueError(f"Cannot truncate DateField '{label}' to {target}.")
        if isinstance(field, fields.TimeField) and (
            isinstance(explicit, fields.DateTimeField)
            or self.kind in ("year", "quarter", "month", "week", "day")
        ):
            raise ValueError(f"Cannot truncate TimeField '{label}' to {target}.")

    def _truncate(self, compiler: Any, value: Any, type_: Any) -> Any:
        kind = self.kind
        if compiler.vendor == "postgresql":
            return sa.func.date_trunc(kind, value, type_=type_)
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


def _sqlite_trunc(
    trunc: Trunc, local: Any, layout: str, tzname: str | None, compiler: Any, value: Any
) -> Any:
    truncated = sa.func.manouche_trunc(
        trunc.kind, local, layout, type_=trunc._sa_type(value)
    )
    if layout == "datetime" and tzname is not None:
        truncated = _to_zone(compiler, truncated, tzname, "UTC")
    return trunc._in_zone(truncated)


class ZonedDateTime(AwareDateTime):
    """An aware datetime read back in ``zone`` (the one truncated in)."""

    cache_ok = True

    def __init__(self, zone: Any) -> None:
        super().__init__()
        self.zone = zone

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        value = super().process_result_value(value, dialect)
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return value.astimezone(self.zone)
        return value


def _time_of(compiler: Any, value: Any) -> Any:
    """CAST to a time, microseconds kept (MariaDB's TIME drops them)."""
    if compiler.vendor in ("mysql", "mariadb"):
        return sa.cast(value, mysql.TIME(fsp=6))
    return sa.cast(value, sa.Time())


def _layout(output: Any) -> str:
    """Which kind of value a truncation to ``output`` gives: datetime/date/time."""
    if isinstance(output, fields.TimeField):
        return "time"
    if isinstance(output, fields.DateField) and not isinstance(
        output, fields.DateTimeField
    ):
        return "date"
    return "datetime"


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
        if compiler.vendor == "sqlite":
            # CURRENT_TIMESTAMP has whole seconds; '%f' gives milliseconds,
            # padded to the stored layout (six digits) so values compare.
            stamp = sa.func.strftime("%Y-%m-%d %H:%M:%f", "now")
            return sa.type_coerce(stamp.op("||")("000"), self.sa_type())
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


def _register_year_lookups() -> None:
    from manouche.db.models.functions._year_lookups import YEAR_LOOKUPS

    for extract in (ExtractYear, ExtractIsoYear):
        for lookup in YEAR_LOOKUPS:
            extract.register_lookup(lookup)


_register_year_lookups()
