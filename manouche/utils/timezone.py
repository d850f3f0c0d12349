"""Time zone support: the current zone per context, and aware/naive conversions."""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from manouche.utils.functional import empty

__all__ = [
    "activate",
    "deactivate",
    "get_current_timezone",
    "get_current_timezone_name",
    "get_default_timezone",
    "get_default_timezone_name",
    "get_fixed_timezone",
    "is_aware",
    "is_naive",
    "localdate",
    "localtime",
    "make_aware",
    "make_naive",
    "now",
    "override",
    "template_localtime",
    "utc",
]

utc = datetime.UTC

_active: ContextVar[Any] = ContextVar("manouche_timezone", default=empty)


def get_fixed_timezone(offset: datetime.timedelta | int) -> datetime.timezone:
    """Return a fixed-offset zone for ``offset`` (a timedelta or minutes)."""
    if isinstance(offset, datetime.timedelta):
        offset = int(offset.total_seconds() // 60)
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset), 60)
    return datetime.timezone(
        datetime.timedelta(minutes=offset), f"{sign}{hours:02d}{minutes:02d}"
    )


@functools.lru_cache
def get_default_timezone() -> zoneinfo.ZoneInfo:
    """Return the zone named by settings.TIME_ZONE (cached; reset on change)."""
    from manouche.conf import settings

    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def get_default_timezone_name() -> str:
    """Return the name of the default time zone."""
    return _get_timezone_name(get_default_timezone())


def get_current_timezone() -> datetime.tzinfo:
    """Return the zone activated in this context, or the default one."""
    value = _active.get()
    if value is empty:
        return get_default_timezone()
    return value  # type: ignore[no-any-return]


def get_current_timezone_name() -> str:
    """Return the name of the current time zone."""
    return _get_timezone_name(get_current_timezone())


def _get_timezone_name(timezone: datetime.tzinfo) -> str:
    return timezone.tzname(None) or str(timezone)


def activate(timezone: datetime.tzinfo | str) -> None:
    """Make ``timezone`` (a tzinfo or a zone name) current in this context."""
    if isinstance(timezone, datetime.tzinfo):
        _active.set(timezone)
    elif isinstance(timezone, str):
        _active.set(zoneinfo.ZoneInfo(timezone))
    else:
        raise ValueError(f"Invalid timezone: {timezone!r}")


def deactivate() -> None:
    """Go back to the default time zone in this context."""
    _active.set(empty)


class override:
    """Temporarily activate a time zone (None deactivates) as a context manager."""

    def __init__(self, timezone: datetime.tzinfo | str | None) -> None:
        self.timezone = timezone

    def __enter__(self) -> None:
        self.old_timezone = _active.get()
        if self.timezone is None:
            deactivate()
        else:
            activate(self.timezone)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _active.set(self.old_timezone)

    def __call__(self, func: Any) -> Any:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return inner


def template_localtime(value: Any, use_tz: bool | None = None) -> Any:
    """Convert an aware datetime to the current zone for display in templates."""
    from manouche.conf import settings

    should_convert = (
        isinstance(value, datetime.datetime)
        and (settings.USE_TZ if use_tz is None else use_tz)
        and not is_naive(value)
        and getattr(value, "convert_to_local_time", True)
    )
    return localtime(value) if should_convert else value


def localtime(
    value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """Convert an aware datetime (now by default) to ``timezone`` (current zone)."""
    if value is None:
        value = now()
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("localtime() cannot be applied to a naive datetime")
    return value.astimezone(timezone)


def localdate(
    value: datetime.datetime | None = None, timezone: datetime.tzinfo | None = None
) -> datetime.date:
    """Return the local date of an aware datetime (now by default)."""
    return localtime(value, timezone).date()


def now() -> datetime.datetime:
    """Return the current time: aware in UTC when USE_TZ, naive local otherwise."""
    from manouche.conf import settings

    return datetime.datetime.now(tz=datetime.UTC if settings.USE_TZ else None)


def is_aware(value: datetime.datetime | datetime.time) -> bool:
    """Tell whether ``value`` carries a UTC offset."""
    return value.utcoffset() is not None


def is_naive(value: datetime.datetime | datetime.time) -> bool:
    """Tell whether ``value`` lacks a UTC offset."""
    return value.utcoffset() is None


def make_aware(
    value: datetime.datetime, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """Attach ``timezone`` (the current zone by default) to a naive datetime."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_aware(value):
        raise ValueError(f"make_aware expects a naive datetime, got {value}")
    return value.replace(tzinfo=timezone)


def make_naive(
    value: datetime.datetime, timezone: datetime.tzinfo | None = None
) -> datetime.datetime:
    """Convert an aware datetime to ``timezone`` and drop the zone."""
    if timezone is None:
        timezone = get_current_timezone()
    if is_naive(value):
        raise ValueError("make_naive() cannot be applied to a naive datetime")
    return value.astimezone(timezone).replace(tzinfo=None)
