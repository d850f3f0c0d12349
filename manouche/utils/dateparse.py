"""Parse ISO-like date, time, datetime and duration strings into Python objects."""

from __future__ import annotations

import datetime
import re

from manouche.utils.timezone import get_fixed_timezone

__all__ = [
    "date_re",
    "datetime_re",
    "iso8601_duration_re",
    "parse_date",
    "parse_datetime",
    "parse_duration",
    "parse_time",
    "postgres_interval_re",
    "standard_duration_re",
    "time_re",
]

date_re = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")

time_re = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d{0,6})?)?$"
)

datetime_re = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
    r"[T ](?P<hour>\d{1,2}):(?P<minute>\d{1,2})"
    r"(?::(?P<second>\d{1,2})(?:[.,](?P<microsecond>\d{1,6})\d{0,6})?)?"
    r"\s*(?P<tzinfo>Z|[+-]\d{2}(?::?\d{2})?)?$"
)

standard_duration_re = re.compile(
    r"^"
    r"(?:(?P<days>-?\d+) (days?, )?)?"
    r"(?P<sign>-?)"
    r"((?:(?P<hours>\d+):)(?=\d+:\d+))?"
    r"(?:(?P<minutes>\d+):)?"
    r"(?P<seconds>\d+)"
    r"(?:[.,](?P<microseconds>\d{1,6})\d{0,6})?"
    r"$"
)

iso8601_duration_re = re.compile(
    r"^(?P<sign>[-+]?)"
    r"P"
    r"(?:(?P<days>\d+([.,]\d+)?)D)?"
    r"(?:T"
    r"(?:(?P<hours>\d+([.,]\d+)?)H)?"
    r"(?:(?P<minutes>\d+([.,]\d+)?)M)?"
    r"(?:(?P<seconds>\d+([.,]\d+)?)S)?"
    r")?"
    r"$"
)

postgres_interval_re = re.compile(
    r"^"
    r"(?:(?P<days>-?\d+) (days? ?))?"
    r"(?:(?P<sign>[-+])?"
    r"(?P<hours>\d+):"
    r"(?P<minutes>\d\d):"
    r"(?P<seconds>\d\d)"
    r"(?:\.(?P<microseconds>\d{1,6}))?"
    r")?$"
)


def parse_date(value: str) -> datetime.date | None:
    """Parse 'YYYY-MM-DD' (and ISO forms) into a date; None if not well formed.

    Raises ValueError when the string is well formed but not a real date.
    """
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        if match := date_re.match(value):
            kw = {k: int(v) for k, v in match.groupdict().items()}
            return datetime.date(**kw)
    return None


def parse_time(value: str) -> datetime.time | None:
    """Parse 'HH:MM[:ss[.uuuuuu]]' into a naive time; None if not well formed."""
    try:
        return datetime.time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        if match := time_re.match(value):
            kw = match.groupdict()
            kw["microsecond"] = kw["microsecond"] and kw["microsecond"].ljust(6, "0")
            values = {k: int(v) for k, v in kw.items() if v is not None}
            return datetime.time(**values)  # type: ignore[arg-type]
    return None


def parse_datetime(value: str) -> datetime.datetime | None:
    """Parse an ISO-like datetime, aware when it carries an offset; None if not.

    Raises ValueError when the string is well formed but not a real datetime.
    """
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        if match := datetime_re.match(value):
            kw = match.groupdict()
            kw["microsecond"] = kw["microsecond"] and kw["microsecond"].ljust(6, "0")
            tzinfo_str = kw.pop("tzinfo")
            tzinfo: datetime.tzinfo | None = None
            if tzinfo_str == "Z":
                tzinfo = datetime.UTC
            elif tzinfo_str is not None:
                offset_mins = int(tzinfo_str[-2:]) if len(tzinfo_str) > 3 else 0
                offset = 60 * int(tzinfo_str[1:3]) + offset_mins
                if tzinfo_str[0] == "-":
                    offset = -offset
                tzinfo = get_fixed_timezone(offset)
            values = {k: int(v) for k, v in kw.items() if v is not None}
            return datetime.datetime(**values, tzinfo=tzinfo)
    return None


def parse_duration(value: str) -> datetime.timedelta | None:
    """Parse Django's, ISO 8601 or PostgreSQL interval durations; None if not."""
    match = (
        standard_duration_re.match(value)
        or iso8601_duration_re.match(value)
        or postgres_interval_re.match(value)
    )
    if not match:
        return None
    kw = match.groupdict()
    sign = -1 if kw.pop("sign", "+") == "-" else 1
    if kw.get("microseconds"):
        kw["microseconds"] = kw["microseconds"].ljust(6, "0")
    parts = {k: float(v.replace(",", ".")) for k, v in kw.items() if v is not None}
    days = datetime.timedelta(parts.pop("days", 0.0))
    if match.re == iso8601_duration_re:
        days *= sign
    return days + sign * datetime.timedelta(**parts)
