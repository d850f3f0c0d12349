"""Extract gives whole numbers on the ISO calendar, the same on every backend."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.db.models.functions import (
    Extract,
    ExtractIsoWeekDay,
    ExtractIsoYear,
    ExtractQuarter,
    ExtractSecond,
    ExtractWeek,
    ExtractWeekDay,
    ExtractYear,
)
from manouche.test.utils import override_settings
from tests.db.models.modelapp.models import Everything

# (moment, year, iso_year, quarter, week, week_day (Sun=1), iso_week_day (Mon=1))
MOMENTS = [
    (datetime.datetime(2014, 12, 31, 13, 0), 2014, 2015, 4, 1, 4, 3),
    (datetime.datetime(2016, 1, 1, 8, 5, 59, 999), 2016, 2015, 1, 53, 6, 5),
    (datetime.datetime(2015, 6, 14, 23, 59), 2015, 2015, 2, 24, 1, 7),
    (datetime.datetime(2015, 8, 15, 14, 10, 50, 123), 2015, 2015, 3, 33, 7, 6),
]


@override_settings(USE_TZ=False)
@pytest.mark.parametrize("source", ["when", "day"])
def test_calendar_components_are_integers(mdb: Any, source: str) -> None:
    for moment, *_ in MOMENTS:
        Everything.objects.create(when=moment, day=moment.date())
    rows = (
        Everything.objects.annotate(
            year=ExtractYear(source),
            iso_year=ExtractIsoYear(source),
            quarter=ExtractQuarter(source),
            week=ExtractWeek(source),
            week_day=ExtractWeekDay(source),
            iso_week_day=ExtractIsoWeekDay(source),
        )
        .order_by("when")
        .values_list("year", "iso_year", "quarter", "week", "week_day", "iso_week_day")
    )
    expected = sorted(MOMENTS)
    assert list(rows) == [tuple(row[1:]) for row in expected]
    assert all(type(value) is int for row in rows for value in row)


@override_settings(USE_TZ=False)
def test_seconds_are_whole(mdb: Any) -> None:
    Everything.objects.create(when=datetime.datetime(2015, 6, 15, 14, 30, 50, 321))
    assert Everything.objects.annotate(s=ExtractSecond("when")).get().s == 50


@override_settings(USE_TZ=False)
def test_calendar_lookups_filter(mdb: Any) -> None:
    for moment, *_ in MOMENTS:
        Everything.objects.create(when=moment, day=moment.date())
    assert Everything.objects.filter(when__quarter=1).count() == 1
    assert Everything.objects.filter(day__week=53).count() == 1
    assert Everything.objects.filter(when__iso_week_day=7).count() == 1


def test_extract_needs_a_lookup_name() -> None:
    with pytest.raises(ValueError, match="lookup_name must be provided"):
        Extract("when")


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_tzinfo_needs_a_datetime_source(mdb: Any) -> None:
    zone = datetime.timezone(datetime.timedelta(hours=9))
    Everything.objects.create(
        when=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        day=datetime.date(2020, 1, 1),
        clock=datetime.time(1, 2),
    )
    message = "tzinfo can only be used with DateTimeField."
    for source, name in (("day", "day"), ("clock", "hour")):
        with pytest.raises(ValueError, match=message):
            Everything.objects.annotate(x=Extract(source, name, tzinfo=zone)).get()
    row = Everything.objects.annotate(x=Extract("when", "hour", tzinfo=zone)).get()
    assert row.x == 9
