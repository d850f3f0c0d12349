"""``{% load humanize %}``: filters that give numbers and dates a human touch.

intcomma, intword, ordinal, apnumber, naturalday and naturaltime.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from manouche.template import Library
from manouche.template.defaultfilters import _check_length

__all__ = ["register"]

register = Library()


@register.filter(is_safe=True)
def ordinal(value: Any) -> Any:
    """1 -> '1st', 2 -> '2nd'."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    if value < 0:
        return str(value)
    if value % 100 in (11, 12, 13):
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


_number_re = re.compile(r"^(-?)(\d+)((?:\.\d+)?)$")


@register.filter(is_safe=True)
def intcomma(value: Any, use_l10n: bool = True) -> Any:
    """45000 -> '45,000' (linear: grouping done by slicing)."""
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (int, Decimal)):
        text = str(value)
    else:
        text = str(value)
    _check_length(text)
    match = _number_re.match(text)
    if not match:
        return value
    sign, digits, fraction = match.groups()
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return f"{sign}{','.join(groups)}{fraction}"


_intword = (
    (6, "million"),
    (9, "billion"),
    (12, "trillion"),
    (15, "quadrillion"),
    (18, "quintillion"),
    (21, "sextillion"),
    (24, "septillion"),
    (27, "octillion"),
    (30, "nonillion"),
    (33, "decillion"),
    (100, "googol"),
)


@register.filter(is_safe=False)
def intword(value: Any) -> Any:
    """1200000 -> '1.2 million'."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    abs_value = abs(value)
    if abs_value < 1000000:
        return value
    from manouche.template.defaultfilters import floatformat

    for exponent, word in _intword:
        large_number = 10**exponent
        if abs_value < large_number * 1000:
            # One decimal place always, rounded half up: '1.0 million'.
            return f"{floatformat(value / large_number, 1)} {word}"
    return value


@register.filter(is_safe=True)
def apnumber(value: Any) -> Any:
    """1-9 spelled out (AP style)."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    if not 0 < value < 10:
        return value
    return ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")[
        value - 1
    ]


@register.filter(expects_localtime=True)
def naturalday(value: Any, arg: str | None = None) -> Any:
    """'today', 'tomorrow', 'yesterday' or the formatted date."""
    from manouche.template.defaultfilters import date as date_filter

    tzinfo = getattr(value, "tzinfo", None)
    try:
        value = date(value.year, value.month, value.day)
    except AttributeError:
        return value
    today = datetime.now(tzinfo).date()
    delta = value - today
    if delta.days == 0:
        return "today"
    if delta.days == 1:
        return "tomorrow"
    if delta.days == -1:
        return "yesterday"
    return date_filter(value, arg)


@register.filter
def naturaltime(value: Any) -> Any:
    """'now', '3 minutes ago', '2 hours from now'..."""
    from manouche.utils.timesince import timesince, timeuntil
    from manouche.utils.timezone import is_aware
    from manouche.utils.timezone import now as tz_now

    if not isinstance(value, date):
        return value
    now = tz_now()
    if isinstance(value, datetime) and not is_aware(value):
        now = now.replace(tzinfo=None) if now.tzinfo else now
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=now.tzinfo)
    delta = now - value
    if value < now:
        if delta.days != 0:
            return f"{timesince(value, now, depth=2)} ago"
        if delta.seconds == 0:
            return "now"
        if delta.seconds < 60:
            count = delta.seconds
            return f"{count} second{'s' if count != 1 else ''} ago"
        if delta.seconds // 60 < 60:
            count = delta.seconds // 60
            return f"{count} minute{'s' if count != 1 else ''} ago"
        count = delta.seconds // 3600
        return f"{count} hour{'s' if count != 1 else ''} ago"
    delta = value - now
    if delta.days != 0:
        return f"{timeuntil(value, now, depth=2)} from now"
    if delta.seconds == 0:
        return "now"
    if delta.seconds < 60:
        count = delta.seconds
        return f"{count} second{'s' if count != 1 else ''} from now"
    if delta.seconds // 60 < 60:
        count = delta.seconds // 60
        return f"{count} minute{'s' if count != 1 else ''} from now"
    count = delta.seconds // 3600
    return f"{count} hour{'s' if count != 1 else ''} from now"


__all__ += ["timedelta"]
