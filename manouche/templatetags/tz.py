"""``{% load tz %}``: localtime, utc and timezone filters; timezone tags."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, tzinfo
from typing import Any

from manouche.template import Library, Node
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils import timezone

__all__ = ["do_timezone", "localtime", "register", "utc"]

register = Library()


@register.filter
def localtime(value: Any) -> Any:
    """Convert to the current time zone."""
    return do_timezone(value, timezone.get_current_timezone())


@register.filter
def utc(value: Any) -> Any:
    """Convert to UTC."""
    return do_timezone(value, zoneinfo.ZoneInfo("UTC"))


@register.filter("timezone")
def do_timezone(value: Any, arg: Any) -> Any:
    """Convert an aware datetime to the zone ``arg`` (a tzinfo or a name)."""
    if not isinstance(value, datetime):
        return ""
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
    except Exception:
        return ""
    if isinstance(arg, tzinfo):
        tz = arg
    elif isinstance(arg, str):
        try:
            tz = zoneinfo.ZoneInfo(arg)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return ""
    else:
        return ""
    return _converted(value.astimezone(tz))


class _ConvertedDatetime(datetime):
    """A datetime the template layer must not convert to local time again."""

    convert_to_local_time = False


def _converted(value: datetime) -> datetime:
    return _ConvertedDatetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        value.tzinfo,
        fold=value.fold,
    )


class TimezoneNode(Node):
    """``{% timezone tz %}...{% endtimezone %}``."""

    def __init__(self, nodelist: Any, tz: Any) -> None:
        self.nodelist = nodelist
        self.tz = tz

    def render(self, context: Any) -> Any:
        """Render the body in another zone."""
        with timezone.override(self.tz.resolve(context)):
            return self.nodelist.render(context)


class GetCurrentTimezoneNode(Node):
    """``{% get_current_timezone as var %}``."""

    child_nodelists = ()

    def __init__(self, variable: str) -> None:
        self.variable = variable

    def render(self, context: Any) -> str:
        """Store the current zone's name."""
        context[self.variable] = timezone.get_current_timezone_name()
        return ""


@register.tag("timezone")
def timezone_tag(parser: Any, token: Any) -> Node:
    """Switch the current time zone for a block."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes one argument (timezone)")
    tz = parser.compile_filter(bits[1])
    nodelist = parser.parse(("endtimezone",))
    parser.delete_first_token()
    return TimezoneNode(nodelist, tz)


class LocalTimeNode(Node):
    """``{% localtime on|off %}...{% endlocaltime %}``."""

    def __init__(self, nodelist: Any, use_tz: bool) -> None:
        self.nodelist = nodelist
        self.use_tz = use_tz

    def render(self, context: Any) -> Any:
        """Render the body converting (or not) datetimes to local time."""
        old_setting = context.use_tz
        context.use_tz = self.use_tz
        try:
            return self.nodelist.render(context)
        finally:
            context.use_tz = old_setting


@register.tag("localtime")
def localtime_tag(parser: Any, token: Any) -> Node:
    """Force or prevent the conversion of datetimes to local time in a block."""
    bits = token.split_contents()
    if len(bits) == 1:
        use_tz = True
    elif len(bits) > 2 or bits[1] not in ("on", "off"):
        raise TemplateSyntaxError(f"'{bits[0]}' argument should be 'on' or 'off'")
    else:
        use_tz = bits[1] == "on"
    nodelist = parser.parse(("endlocaltime",))
    parser.delete_first_token()
    return LocalTimeNode(nodelist, use_tz)


@register.tag("get_current_timezone")
def get_current_timezone_tag(parser: Any, token: Any) -> Node:
    """Store the current time zone's name."""
    args = token.contents.split()
    if len(args) != 3 or args[1] != "as":
        raise TemplateSyntaxError(
            f"'get_current_timezone' requires 'as variable' (got {args!r})"
        )
    return GetCurrentTimezoneNode(args[2])
