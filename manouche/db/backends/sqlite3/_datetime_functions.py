"""Date and time truncation for SQLite, in Python.

SQLite stores datetimes and times as text in SQLAlchemy's layout
(``YYYY-MM-DD HH:MM:SS.ffffff``, ``HH:MM:SS.ffffff``). Its own ``strftime``
cannot produce that layout with microseconds, pads years below 1000 only
sometimes, and knows no quarters; a truncated value must come back in the
stored layout so that it reads back as a Python value and compares equal to
stored columns. ``strftime`` before SQLite 3.46 also lacks the ISO week-year
(``%G``) and weekday (``%u``). Registered by ``register_functions`` as
``manouche_trunc``, ``manouche_time``, ``manouche_datetime``,
``manouche_extract``, and, for arithmetic, ``manouche_shift`` and
``manouche_timediff``; all return NULL for NULL or unreadable input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

__all__ = ["DATETIME_FUNCTIONS", "EXTRACT_KINDS"]

# A time-only value is truncated as a moment of this (arbitrary) day.
_TIME_DAY = datetime.date(2000, 1, 1)


def _parse(value: object) -> datetime.datetime | None:
    """Read a stored date, datetime or time (the last on ``_TIME_DAY``)."""
    if value is None:
        return None
    text = str(value)
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.datetime.combine(_TIME_DAY, datetime.time.fromisoformat(text))
    except ValueError:
        return None


def _truncate(kind: str, moment: datetime.datetime) -> datetime.datetime:
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if kind == "year":
        return midnight.replace(month=1, day=1)
    if kind == "quarter":
        return midnight.replace(month=(moment.month - 1) // 3 * 3 + 1, day=1)
    if kind == "month":
        return midnight.replace(day=1)
    if kind == "week":
        return midnight - datetime.timedelta(days=moment.weekday())
    if kind == "day":
        return midnight
    if kind == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    if kind == "minute":
        return moment.replace(second=0, microsecond=0)
    if kind == "second":
        return moment.replace(microsecond=0)
    raise ValueError(f"Unknown truncation kind {kind!r}.")


def _stored(moment: datetime.datetime, output: str) -> str:
    """Format ``moment`` the way a column of type ``output`` stores it."""
    if output == "date":
        return moment.date().isoformat()
    if output == "time":
        return moment.time().isoformat(timespec="microseconds")
    return moment.isoformat(sep=" ", timespec="microseconds")


def trunc(kind: str, value: object, output: str) -> str | None:
    """SQL ``manouche_trunc(kind, value, 'datetime'|'date'|'time')``."""
    moment = _parse(value)
    if moment is None:
        return None
    return _stored(_truncate(kind, moment), output)


def datetime_of(value: object) -> str | None:
    """SQL ``manouche_datetime(value)``: a datetime, microseconds kept."""
    moment = _parse(value)
    return None if moment is None else _stored(moment, "datetime")


def time_of(value: object) -> str | None:
    """SQL ``manouche_time(value)``: the time of day, microseconds kept."""
    moment = _parse(value)
    return None if moment is None else _stored(moment, "time")


_COMPONENTS: dict[str, Callable[[datetime.datetime], int]] = {
    "year": lambda moment: moment.year,
    "iso_year": lambda moment: moment.isocalendar().year,
    "quarter": lambda moment: (moment.month - 1) // 3 + 1,
    "month": lambda moment: moment.month,
    "week": lambda moment: moment.isocalendar().week,
    "day": lambda moment: moment.day,
    # 1 = Sunday ... 7 = Saturday.
    "week_day": lambda moment: moment.isoweekday() % 7 + 1,
    "iso_week_day": lambda moment: moment.isoweekday(),
    "hour": lambda moment: moment.hour,
    "minute": lambda moment: moment.minute,
    "second": lambda moment: moment.second,
}


#: The components ``manouche_extract`` knows.
EXTRACT_KINDS = frozenset(_COMPONENTS)


def extract(kind: str, value: object) -> int | None:
    """SQL ``manouche_extract(kind, value)``: one component as an integer."""
    component = _COMPONENTS.get(kind)
    moment = _parse(value)
    if component is None or moment is None:
        return None
    return component(moment)


def shift(value: object, microseconds: object, output: str) -> str | None:
    """SQL ``manouche_shift(value, microseconds, 'datetime'|'time')``.

    A date, datetime or time moved by a duration stored as microseconds;
    a time wraps around midnight, as on PostgreSQL. A date moved to a
    midnight stays in the date layout, so that it compares equal to stored
    dates (text comparison) as the date's midnight does elsewhere.
    """
    moment = _parse(value)
    if moment is None or microseconds is None:
        return None
    try:
        delta = datetime.timedelta(microseconds=round(float(str(microseconds))))
        result = moment + delta
    except (ValueError, OverflowError):
        return None
    is_date = isinstance(value, str) and len(value) == len("YYYY-MM-DD")
    if output == "datetime" and is_date and result.time() == datetime.time():
        output = "date"
    return _stored(result, output)


def timediff(left: object, right: object) -> int | None:
    """SQL ``manouche_timediff(left, right)``: ``left - right`` in microseconds."""
    first, second = _parse(left), _parse(right)
    if first is None or second is None:
        return None
    return (first - second) // datetime.timedelta(microseconds=1)


#: name -> (number of arguments, implementation)
DATETIME_FUNCTIONS: dict[str, tuple[int, Callable[..., str | int | None]]] = {
    "manouche_trunc": (3, trunc),
    "manouche_time": (1, time_of),
    "manouche_datetime": (1, datetime_of),
    "manouche_extract": (2, extract),
    "manouche_shift": (3, shift),
    "manouche_timediff": (2, timediff),
}
