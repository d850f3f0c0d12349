"""``{% load humanize %}``: every filter."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.test.utils import override_settings
from manouche.utils import timezone
from tests.template.helpers import render


def humanize(expr: str, value: Any) -> str:
    return render("{% load humanize %}{{ v|" + expr + " }}", {"v": value})


@pytest.mark.parametrize(
    ("expr", "value", "expected"),
    [
        ("ordinal", 1, "1st"),
        ("ordinal", 2, "2nd"),
        ("ordinal", 3, "3rd"),
        ("ordinal", 11, "11th"),
        ("ordinal", 22, "22nd"),
        ("ordinal", 113, "113th"),
        ("ordinal", "x", "x"),
        ("intcomma", 1000000, "1,000,000"),
        ("intcomma", 45000, "45,000"),
        ("intcomma", -1234567, "-1,234,567"),
        ("intcomma", 999, "999"),
        ("intcomma", "1234", "1,234"),
        ("intcomma", "abc", "abc"),
        ("intword", 999, "999"),
        ("intword", 1200000, "1.2 million"),
        ("intword", -1200000, "-1.2 million"),
        ("intword", 1000000000, "1.0 billion"),
        ("intword", 1250000, "1.3 million"),
        ("intword", 10**100, "1.0 googol"),
        ("intword", 10**104, str(10**104)),
        ("apnumber", 5, "five"),
        ("apnumber", 9, "nine"),
        ("apnumber", 10, "10"),
        ("apnumber", "x", "x"),
    ],
)
def test_number_filters(expr: str, value: Any, expected: str) -> None:
    assert humanize(expr, value) == expected


def test_intword_leaves_values_it_cannot_read() -> None:
    assert humanize("intword", "lots") == "lots"


@override_settings(USE_TZ=False)
def test_naturalday() -> None:
    today = datetime.date.today()
    one_day = datetime.timedelta(days=1)
    assert humanize("naturalday", today) == "today"
    assert humanize("naturalday", today - one_day) == "yesterday"
    assert humanize("naturalday", today + one_day) == "tomorrow"
    assert humanize("naturalday:'Y'", datetime.date(2000, 1, 1)) == "2000"
    assert humanize("naturalday", "not a date") == "not a date"


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (datetime.timedelta(0), "now"),
        (datetime.timedelta(seconds=-30), "30 seconds ago"),
        (datetime.timedelta(minutes=-5), "5 minutes ago"),
        (datetime.timedelta(hours=-3, seconds=-5), "3 hours ago"),
        (datetime.timedelta(hours=2, seconds=5), "2 hours from now"),
        (datetime.timedelta(days=-2, seconds=-5), "2\xa0days ago"),
    ],
)
def test_naturaltime(delta: datetime.timedelta, expected: str) -> None:
    moment = timezone.now() + delta
    assert humanize("naturaltime", moment) == expected
