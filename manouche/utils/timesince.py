"""Human-readable time differences: "3 days, 2 hours"."""

from __future__ import annotations

import datetime
from typing import Any

__all__ = ["TIME_STRINGS", "timesince", "timeuntil"]

TIME_STRINGS = {
    "year": ("%(num)d year", "%(num)d years"),
    "month": ("%(num)d month", "%(num)d months"),
    "week": ("%(num)d week", "%(num)d weeks"),
    "day": ("%(num)d day", "%(num)d days"),
    "hour": ("%(num)d hour", "%(num)d hours"),
    "minute": ("%(num)d minute", "%(num)d minutes"),
}
_CHUNKS = (
    ("year", 365 * 24 * 3600),
    ("month", 30 * 24 * 3600),
    ("week", 7 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
)


def timesince(
    d: Any,
    now: Any = None,
    reversed: bool = False,
    time_strings: dict[str, tuple[str, str]] | None = None,
    depth: int = 2,
) -> str:
    """Describe the time from ``d`` to ``now`` with up to ``depth`` units."""
    from manouche.utils.timezone import is_aware
    from manouche.utils.timezone import now as tz_now
    from manouche.utils.translation import ngettext

    strings = time_strings or TIME_STRINGS
    if depth <= 0:
        raise ValueError("depth must be greater than 0.")
    if not isinstance(d, datetime.datetime):
        d = datetime.datetime(d.year, d.month, d.day)
    if now and not isinstance(now, datetime.datetime):
        now = datetime.datetime(now.year, now.month, now.day)
    if not now:
        now = tz_now()
        if not is_aware(d):
            now = now.replace(tzinfo=None) if now.tzinfo else now
        else:
            now = now.astimezone(d.tzinfo)
    if reversed:
        d, now = now, d
    delta = now - d
    since = delta.days * 24 * 3600 + delta.seconds
    if since <= 0:
        text = ngettext(strings["minute"][0], strings["minute"][1], 0) % {"num": 0}
        return text.replace(" ", "\xa0")
    parts = []
    for name, seconds in _CHUNKS:
        count = since // seconds
        if count:
            text = ngettext(strings[name][0], strings[name][1], count) % {"num": count}
            parts.append(text.replace(" ", "\xa0"))
            since -= count * seconds
            if len(parts) >= depth:
                break
        elif parts:
            break
    return ", ".join(parts)


def timeuntil(
    d: Any,
    now: Any = None,
    time_strings: dict[str, tuple[str, str]] | None = None,
    depth: int = 2,
) -> str:
    """Like timesince, but measuring from now until ``d``."""
    return timesince(d, now, reversed=True, time_strings=time_strings, depth=depth)
