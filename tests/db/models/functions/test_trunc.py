"""Trunc, TruncDate and TruncTime give the same values on every backend.

SQLite computes them in Python (``sqlite3._datetime_functions``) and must
return the layout it stores, so results read back and compare equal to
stored columns.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.db.models import DateTimeField, TimeField
from manouche.db.models.functions import (
    Trunc,
    TruncDate,
    TruncDay,
    TruncHour,
    TruncQuarter,
    TruncSecond,
    TruncTime,
    TruncWeek,
)
from manouche.test.utils import override_settings
from tests.db.models.modelapp.models import Everything

WHEN = datetime.datetime(2015, 8, 20, 14, 30, 50, 321)


@pytest.fixture
def row(mdb: Any) -> Everything:
    with override_settings(USE_TZ=False):
        return Everything.objects.create(when=WHEN, day=WHEN.date(), clock=WHEN.time())


@override_settings(USE_TZ=False)
@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (TruncQuarter("when"), datetime.datetime(2015, 7, 1)),
        (TruncWeek("when"), datetime.datetime(2015, 8, 17)),
        (TruncDay("when"), datetime.datetime(2015, 8, 20)),
        (TruncSecond("when"), datetime.datetime(2015, 8, 20, 14, 30, 50)),
        (TruncQuarter("day"), datetime.date(2015, 7, 1)),
        (TruncHour("clock"), datetime.time(14)),
        (Trunc("when", "hour", output_field=TimeField()), datetime.time(14)),
        (TruncTime("when"), datetime.time(14, 30, 50, 321)),
        (TruncDate("when"), datetime.date(2015, 8, 20)),
    ],
    ids=lambda value: getattr(value, "kind", None) or type(value).__name__,
)
def test_truncated_values(row: Everything, function: Any, expected: Any) -> None:
    found = Everything.objects.annotate(t=function).values_list("t", flat=True)
    assert list(found) == [expected]


@override_settings(USE_TZ=False)
def test_truncated_values_compare_equal_to_stored_ones(row: Everything) -> None:
    Everything.objects.create(when=datetime.datetime(2016, 1, 1))
    assert Everything.objects.filter(when=TruncDay("when")).count() == 1
    assert Everything.objects.filter(clock=TruncTime("when")).count() == 1


@override_settings(USE_TZ=False)
@pytest.mark.parametrize(
    ("function", "message"),
    [
        (TruncDate("clock"), "Cannot truncate TimeField 'clock' to DateField."),
        (TruncTime("day"), "Cannot truncate DateField 'day' to TimeField."),
        (TruncHour("day"), "Cannot truncate DateField 'day' to DateTimeField"),
        (
            TruncQuarter("clock", output_field=TimeField()),
            "Cannot truncate TimeField 'clock' to DateTimeField",
        ),
        (
            Trunc("clock", "second", output_field=DateTimeField()),
            "Cannot truncate TimeField 'clock' to DateTimeField",
        ),
    ],
)
def test_parts_a_source_lacks_are_refused(
    row: Everything, function: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        list(Everything.objects.annotate(t=function))
