"""Render timedeltas as the strings the ORM and forms exchange."""

from __future__ import annotations

import datetime

__all__ = ["duration_iso_string", "duration_microseconds", "duration_string"]


def _get_duration_components(
    duration: datetime.timedelta,
) -> tuple[int, int, int, int, int]:
    days = duration.days
    seconds = duration.seconds
    microseconds = duration.microseconds
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return days, hours, minutes, seconds, microseconds


def duration_string(duration: datetime.timedelta) -> str:
    """Return '[DD] [[HH:]MM:]ss[.uuuuuu]', Django's preferred duration format."""
    days, hours, minutes, seconds, microseconds = _get_duration_components(duration)
    string = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    if days:
        string = f"{days} " + string
    if microseconds:
        string += f".{microseconds:06d}"
    return string


def duration_iso_string(duration: datetime.timedelta) -> str:
    """Return the ISO 8601 form of ``duration``, e.g. 'P1DT02H03M04.000005S'."""
    if duration < datetime.timedelta(0):
        sign = "-"
        duration *= -1
    else:
        sign = ""
    days, hours, minutes, seconds, microseconds = _get_duration_components(duration)
    ms = f".{microseconds:06d}" if microseconds else ""
    return f"{sign}P{days}DT{hours:02d}H{minutes:02d}M{seconds:02d}{ms}S"


def duration_microseconds(delta: datetime.timedelta) -> int:
    """Return the total number of microseconds in ``delta``."""
    return (24 * 60 * 60 * delta.days + delta.seconds) * 1000000 + delta.microseconds
