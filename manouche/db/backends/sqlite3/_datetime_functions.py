"""Date and time truncation for SQLite, in Python.

SQLite stores datetimes and times as text in SQLAlchemy's layout
(``YYYY-MM-DD HH:MM:SS.ffffff``, ``HH:MM:SS.ffffff``). Its own ``strftime``
cannot produce that layout with microseconds, pads years below 1000 only
sometimes, and knows no quarters; a truncated value must come back in the
stored layout so that it reads back as a Python value and compares equal to
stored columns. Registered by ``register_functions`` as ``manouche_trunc``
and ``manouche_time``; both return NULL for NULL or unreadable input.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

__all__ = ["DATETIME_FUNCTIONS"]

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


def time_of(value: object) -> str | None:
    """SQL ``manouche_time(value)``: the time of day, microseconds kept."""
    moment = _parse(value)
    return None if moment is None else _stored(moment, "time")


#: name -> (number of arguments, implementation)
DATETIME_FUNCTIONS: dict[str, tuple[int, Callable[..., str | None]]] = {
    "manouche_trunc": (3, trunc),
    "manouche_time": (1, time_of),
}
