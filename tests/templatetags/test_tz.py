"""``{% load tz %}``: the time zone filters and tags."""

from __future__ import annotations

import datetime

import pytest

from manouche.template import TemplateSyntaxError
from manouche.test.utils import override_settings
from tests.template.helpers import render

NOON_UTC = datetime.datetime(2024, 1, 2, 12, 0, tzinfo=datetime.UTC)


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ d|utc|date:'H:i e' }}", "12:00 UTC"),
        ("{{ d|timezone:'Europe/Paris'|date:'H:i' }}", "13:00"),
        ("{{ d|timezone:'No/Such_Zone' }}", ""),
        ("{{ 'text'|timezone:'UTC' }}", ""),
        (
            "{% timezone 'Asia/Tokyo' %}{{ d|localtime|date:'H:i' }} "
            "{% get_current_timezone as TZ %}{{ TZ }}{% endtimezone %}",
            "21:00 Asia/Tokyo",
        ),
        ("{% get_current_timezone as TZ %}{{ TZ }}", "UTC"),
        (
            "{% timezone 'Asia/Tokyo' %}{{ d|date:'H:i' }}"
            "{% localtime off %}/{{ d|date:'H:i' }}{% endlocaltime %}"
            "{% endtimezone %}",
            "21:00/12:00",
        ),
        (
            "{% timezone 'Asia/Tokyo' %}{% localtime off %}{{ d|time:'H:i' }}"
            "{% localtime on %}/{{ d|time:'H:i' }}{% endlocaltime %}"
            "{% endlocaltime %}{% endtimezone %}",
            "12:00/21:00",
        ),
    ],
)
def test_tz_filters_and_tags(source: str, expected: str) -> None:
    assert render("{% load tz %}" + source, {"d": NOON_UTC}) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% timezone %}{% endtimezone %}", "takes one argument"),
        ("{% localtime maybe %}{% endlocaltime %}", "should be 'on' or 'off'"),
        ("{% get_current_timezone %}", "requires 'as variable'"),
    ],
)
def test_tz_tag_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=message):
        render("{% load tz %}" + source)
