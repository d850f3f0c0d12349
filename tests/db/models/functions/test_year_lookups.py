"""``__year`` / ``__iso_year`` with a plain year compare the column itself.

The column is compared with the year's bounds (so an index on it applies);
an expression on the right-hand side still compares the extracted year.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest

from manouche.db.models import F
from manouche.db.models.functions import ExtractYear
from manouche.test.utils import override_settings
from manouche.utils import timezone
from tests.db.models.modelapp.models import Everything

EARLY = datetime.datetime(2015, 6, 15, 14, 10)
# Friday 1 January 2016: ISO year 2015 (week 53).
NEW_YEAR = datetime.datetime(2016, 1, 1, 0, 0)
LATER = datetime.datetime(2016, 6, 15, 14, 10)


def _create(when: datetime.datetime) -> None:
    Everything.objects.create(when=when, day=when.date())


@override_settings(USE_TZ=False)
@pytest.mark.parametrize("source", ["when", "day"])
@pytest.mark.parametrize(
    ("lookup", "year", "count"),
    [
        ("year", 2015, 1),
        ("year__exact", 2016, 2),
        ("year__gt", 2015, 2),
        ("year__gte", 2016, 2),
        ("year__lt", 2016, 1),
        ("year__lte", 2015, 1),
        ("iso_year", 2015, 2),
        ("iso_year__gt", 2015, 1),
        ("iso_year__lte", 2015, 2),
        ("iso_year__lt", 2015, 0),
    ],
)
def test_plain_years_compare_the_column(
    mdb: Any, source: str, lookup: str, year: int, count: int
) -> None:
    for moment in (EARLY, NEW_YEAR, LATER):
        _create(moment)
    queryset = Everything.objects.filter(**{f"{source}__{lookup}": year})
    assert queryset.count() == count
    where = str(queryset.query).lower().split("where", 1)[1]
    assert "extract" not in where
    if lookup in ("year", "year__exact", "iso_year"):
        assert " between " in where


@override_settings(USE_TZ=False)
def test_expressions_compare_the_extracted_year(mdb: Any) -> None:
    _create(EARLY)
    Everything.objects.create(when=LATER, day=EARLY.date())
    queryset = Everything.objects.annotate(y=ExtractYear("day")).filter(
        when__year=F("y") + 1
    )
    assert queryset.count() == 1
    assert " between " not in str(queryset.query).lower()


@override_settings(USE_TZ=False)
def test_years_out_of_python_range_still_work(mdb: Any) -> None:
    _create(EARLY)
    assert Everything.objects.filter(when__year=0).count() == 0
    assert Everything.objects.filter(when__year__lt=10000).count() == 1


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_bounds_follow_the_current_time_zone(mdb: Any) -> None:
    # 20:00 UTC on 31 December 2015 is already 2016 in Tokyo (+09:00).
    Everything.objects.create(
        when=datetime.datetime(2015, 12, 31, 20, 0, tzinfo=datetime.UTC)
    )
    assert Everything.objects.filter(when__year=2015).count() == 1
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert Everything.objects.filter(when__year=2015).count() == 0
        assert Everything.objects.filter(when__year=2016).count() == 1
        assert Everything.objects.filter(when__year__gte=2016).count() == 1


@override_settings(USE_TZ=False)
def test_repeated_queries_use_each_year(mdb: Any) -> None:
    # Statement caches must not reuse one year's bounds for another.
    for moment in (EARLY, LATER):
        _create(moment)
    for _ in range(3):
        for year in (2015, 2016):
            assert Everything.objects.get(when__year=year).when.year == year
            assert Everything.objects.filter(day__year__gte=year).count() == (
                2017 - year
            )
