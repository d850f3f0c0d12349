"""Format dates and times with Django's format characters (like PHP's date())."""

from __future__ import annotations

import calendar
import datetime
import re
from email.utils import format_datetime as format_datetime_rfc5322
from typing import Any

__all__ = ["DateFormat", "TimeFormat", "format", "time_format"]

re_formatchars = re.compile(r"(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])")
re_escaped = re.compile(r"\\(.)")

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTHS_AP = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July",
    "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class TimeFormat:
    """Time-related format characters."""

    def __init__(self, obj: Any) -> None:
        self.data = obj
        self.timezone: Any = None
        if isinstance(obj, (datetime.datetime, datetime.time)) and obj.tzinfo:
            self.timezone = obj.tzinfo

    def format(self, formatstr: str) -> str:
        """Apply the format string."""
        pieces = []
        for i, piece in enumerate(re_formatchars.split(str(formatstr))):
            if i % 2:
                if type(self.data) is datetime.date and hasattr(TimeFormat, piece):
                    raise TypeError(
                        "The format for date objects may not contain time-related "
                        f"format specifiers (found '{piece}')."
                    )
                pieces.append(str(getattr(self, piece)()))
            elif piece:
                pieces.append(re_escaped.sub(r"\1", piece))
        return "".join(pieces)

    def a(self) -> str:
        """'a.m.' or 'p.m.'."""
        return "p.m." if self.data.hour > 11 else "a.m."

    def A(self) -> str:
        """'AM' or 'PM'."""
        return "PM" if self.data.hour > 11 else "AM"

    def e(self) -> str:
        """Time zone name."""
        if self.timezone is None:
            return ""
        return str(self.data.tzname() or "")

    def f(self) -> str:
        """Hour and minutes, minutes left off when zero: '1', '1:30'."""
        hour = self.data.hour % 12 or 12
        minute = self.data.minute
        return f"{hour}:{minute:02d}" if minute else str(hour)

    def g(self) -> int:
        """Hour, 12-hour, no leading zero."""
        return self.data.hour % 12 or 12

    def G(self) -> int:
        """Hour, 24-hour, no leading zero."""
        return self.data.hour  # type: ignore[no-any-return]

    def h(self) -> str:
        """Hour, 12-hour, two digits."""
        return f"{self.g():02d}"

    def H(self) -> str:
        """Hour, 24-hour, two digits."""
        return f"{self.G():02d}"

    def i(self) -> str:
        """Minutes."""
        return f"{self.data.minute:02d}"

    def O(self) -> str:  # noqa: E743
        """Offset from UTC: '+0200'."""
        if self.timezone is None:
            return ""
        offset = self.data.utcoffset()
        if offset is None:
            return ""
        seconds = int(offset.total_seconds())
        sign = "-" if seconds < 0 else "+"
        seconds = abs(seconds)
        return f"{sign}{seconds // 3600:02d}{(seconds // 60) % 60:02d}"

    def P(self) -> str:
        """'1 a.m.', '1:30 p.m.', 'midnight', 'noon'."""
        if self.data.minute == 0 and self.data.hour == 0:
            return "midnight"
        if self.data.minute == 0 and self.data.hour == 12:
            return "noon"
        return f"{self.f()} {self.a()}"

    def s(self) -> str:
        """Seconds."""
        return f"{self.data.second:02d}"

    def T(self) -> str:
        """Time zone abbreviation."""
        return self.e()

    def u(self) -> str:
        """Microseconds."""
        return f"{self.data.microsecond:06d}"

    def Z(self) -> Any:
        """Offset in seconds."""
        if self.timezone is None:
            return ""
        offset = self.data.utcoffset()
        return "" if offset is None else int(offset.total_seconds())


class DateFormat(TimeFormat):
    """Date-related format characters."""

    def b(self) -> str:
        """Month, three lowercase letters."""
        return _MONTHS[int(self.data.month) - 1][:3].lower()

    def c(self) -> str:
        """ISO 8601."""
        return str(self.data.isoformat())

    def d(self) -> str:
        """Day, two digits."""
        return f"{self.data.day:02d}"

    def D(self) -> str:
        """Day, three letters."""
        return _DAYS[int(self.data.weekday())][:3]

    def E(self) -> str:
        """Month name (alternative form)."""
        return _MONTHS[int(self.data.month) - 1]

    def F(self) -> str:
        """Month name."""
        return _MONTHS[int(self.data.month) - 1]

    def I(self) -> str:  # noqa: E743
        """'1' during daylight saving time."""
        if self.timezone is None:
            return ""
        dst = self.data.dst()
        return "1" if dst else "0"

    def j(self) -> int:
        """Day, no leading zero."""
        return self.data.day  # type: ignore[no-any-return]

    def l(self) -> str:  # noqa: E743
        """Day name."""
        return _DAYS[int(self.data.weekday())]

    def L(self) -> bool:
        """Leap year."""
        return calendar.isleap(self.data.year)

    def m(self) -> str:
        """Month, two digits."""
        return f"{self.data.month:02d}"

    def M(self) -> str:
        """Month, three letters."""
        return _MONTHS[int(self.data.month) - 1][:3]

    def n(self) -> int:
        """Month, no leading zero."""
        return self.data.month  # type: ignore[no-any-return]

    def N(self) -> str:
        """Month, AP style."""
        return _MONTHS_AP[int(self.data.month) - 1]

    def o(self) -> int:
        """ISO-8601 week-numbering year."""
        return self.data.isocalendar()[0]  # type: ignore[no-any-return]

    def r(self) -> str:
        """RFC 5322 date."""
        value = self.data
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time.min)
        if value.tzinfo is None:
            from manouche.utils.timezone import get_current_timezone

            value = value.replace(tzinfo=get_current_timezone())
        return format_datetime_rfc5322(value)

    def S(self) -> str:
        """English ordinal suffix."""
        day = self.data.day
        if day in (11, 12, 13):
            return "th"
        return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")

    def t(self) -> int:
        """Days in the month."""
        return calendar.monthrange(self.data.year, self.data.month)[1]

    def U(self) -> int:
        """Seconds since the epoch."""
        value = self.data
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time.min)
        return int(value.timestamp())

    def w(self) -> int:
        """Day of week, 0 = Sunday."""
        return (self.data.weekday() + 1) % 7  # type: ignore[no-any-return]

    def W(self) -> int:
        """ISO-8601 week number."""
        return self.data.isocalendar()[1]  # type: ignore[no-any-return]

    def y(self) -> str:
        """Year, two digits."""
        return f"{self.data.year % 100:02d}"

    def Y(self) -> str:
        """Year, four digits."""
        return f"{self.data.year:04d}"

    def z(self) -> int:
        """Day of the year."""
        return self.data.timetuple().tm_yday  # type: ignore[no-any-return]


def format(value: Any, format_string: str) -> str:
    """Format a date or datetime."""
    return DateFormat(value).format(format_string)


def time_format(value: Any, format_string: str) -> str:
    """Format a time or datetime."""
    return TimeFormat(value).format(format_string)
