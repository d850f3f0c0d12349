"""Arithmetic on dates, datetimes, times and durations, on every backend."""

from __future__ import annotations

import datetime

import pytest

from manouche.db import DatabaseError
from manouche.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    TimeField,
    Value,
)
from manouche.db.models.expressions import CombinedExpression
from tests.db.models.modelapp.models import Everything

UTC = datetime.UTC
WHEN = datetime.datetime(2010, 6, 25, 12, 15, 30, 747000, tzinfo=UTC)
DAY = datetime.date(2010, 6, 25)
CLOCK = datetime.time(23, 30, 15, 2345)
SPAN = datetime.timedelta(hours=21, minutes=8, microseconds=5)


def _row(**values: object) -> Everything:
    defaults: dict[str, object] = {
        "when": WHEN,
        "day": DAY,
        "clock": CLOCK,
        "span": SPAN,
    }
    defaults.update(values)
    return Everything.objects.create(**defaults)


def _one(**annotations: object) -> Everything:
    return Everything.objects.annotate(**annotations).get()


def test_datetime_plus_duration_column(mdb: object) -> None:
    _row()
    assert _one(shifted=F("when") + F("span")).shifted == WHEN + SPAN
    assert _one(shifted=F("span") + F("when")).shifted == WHEN + SPAN
    assert _one(shifted=F("when") - F("span")).shifted == WHEN - SPAN


def test_an_explicit_output_field_keeps_the_temporal_sql(mdb: object) -> None:
    _row()
    combined = CombinedExpression(
        F("when"), "+", F("span"), output_field=DateTimeField()
    )
    assert _one(shifted=combined).shifted == WHEN + SPAN


def test_datetime_plus_python_timedelta(mdb: object) -> None:
    _row()
    delta = datetime.timedelta(days=-2, hours=3, microseconds=-30)
    assert _one(shifted=F("when") + delta).shifted == WHEN + delta
    big = datetime.timedelta(microseconds=8999999999999999)
    assert _one(shifted=F("when") - big).shifted == WHEN - big


def test_date_plus_duration_is_a_datetime(mdb: object) -> None:
    _row()
    shifted = _one(shifted=F("day") + F("span")).shifted
    assert shifted == datetime.datetime.combine(DAY, datetime.time(), UTC) + SPAN
    back = _one(shifted=F("day") - datetime.timedelta(days=4)).shifted
    assert back == datetime.datetime(2010, 6, 21, tzinfo=UTC)


def test_time_plus_duration_wraps_around_midnight(mdb: object) -> None:
    _row()
    shifted = _one(shifted=F("clock") + datetime.timedelta(hours=1)).shifted
    assert shifted == datetime.time(0, 30, 15, 2345)
    earlier = _one(shifted=F("clock") - datetime.timedelta(minutes=30)).shifted
    assert earlier == datetime.time(23, 0, 15, 2345)
    bound = _one(shifted=Value(datetime.time(23, 0)) + F("span")).shifted
    assert bound == datetime.time(20, 8, 0, 5)


def test_moment_differences_are_durations(mdb: object) -> None:
    _row(span=datetime.timedelta(0))
    later = WHEN + datetime.timedelta(days=3, microseconds=7)
    Everything.objects.update(when=F("when") + datetime.timedelta(days=3))
    Everything.objects.update(when=F("when") + datetime.timedelta(microseconds=7))
    row = _one(
        elapsed=F("when") - Value(WHEN),
        days=F("day") - Value(datetime.date(2010, 6, 20)),
        clock_gap=F("clock") - Value(datetime.time(11, 15)),
    )
    assert row.when == later
    assert row.elapsed == datetime.timedelta(days=3, microseconds=7)
    assert row.days == datetime.timedelta(days=5)
    assert row.clock_gap == datetime.timedelta(hours=12, minutes=15, seconds=15.002345)


def test_filter_and_order_by_temporal_arithmetic(mdb: object) -> None:
    short = _row(span=datetime.timedelta(hours=1))
    long = _row(span=datetime.timedelta(days=10))
    limit = WHEN + datetime.timedelta(days=1)
    assert list(Everything.objects.filter(when__gt=F("when") - F("span"))) != []
    found = Everything.objects.filter(when__lt=Value(limit) - F("span"))
    assert list(found) == [short]
    ends = Everything.objects.annotate(end=F("when") + F("span")).order_by("-end")
    assert list(ends) == [long, short]
    gap = Everything.objects.filter(span__gt=Value(limit) - F("when"))
    assert list(gap) == [long]


def test_update_with_temporal_arithmetic(mdb: object) -> None:
    row = _row()
    Everything.objects.update(
        when=F("when") + F("span"),
        clock=F("clock") + datetime.timedelta(minutes=45),
        span=F("span") * 2,
    )
    row.refresh_from_db()
    assert row.when == WHEN + SPAN
    assert row.clock == datetime.time(0, 15, 15, 2345)
    assert row.span == SPAN * 2


def test_update_from_annotations_built_on_themselves(mdb: object) -> None:
    row = _row()
    queryset = Everything.objects.annotate(moved=F("when") - F("span")).annotate(
        moved=F("moved") + datetime.timedelta(microseconds=-30)
    )
    queryset.update(when=F("moved"))
    row.refresh_from_db()
    assert row.when == WHEN - SPAN - datetime.timedelta(microseconds=30)


def test_durations_multiply_and_divide_by_numbers(mdb: object) -> None:
    _row(score=3)
    row = _one(
        twice=ExpressionWrapper(F("span") * 2, output_field=DurationField()),
        third=ExpressionWrapper(F("span") / F("score"), output_field=DurationField()),
        summed=F("span") + datetime.timedelta(seconds=1),
    )
    assert row.twice == SPAN * 2
    assert abs(row.third - SPAN / 3) <= datetime.timedelta(microseconds=1)
    assert row.summed == SPAN + datetime.timedelta(seconds=1)


def test_null_operands_give_null(mdb: object) -> None:
    _row()
    row = _one(
        no_delta=ExpressionWrapper(
            F("when") + Value(None, output_field=DurationField()),
            output_field=DateTimeField(),
        ),
        no_moment=F("when") - Value(None, output_field=DateTimeField()),
        no_time=ExpressionWrapper(
            F("clock") - Value(None, output_field=DurationField()),
            output_field=TimeField(),
        ),
    )
    assert row.no_delta is None
    assert row.no_moment is None
    assert row.no_time is None
    _row(span=None)
    nulls = Everything.objects.annotate(end=F("when") + F("span"))
    assert sorted(row.end is None for row in nulls) == [False, True]


def test_a_queryset_operand_is_a_subquery(mdb: object) -> None:
    _row()
    same = Everything.objects.filter(pk=OuterRef("pk")).values("when")
    row = _one(gap=same - F("when"))
    assert row.gap == datetime.timedelta(0)


def test_multiplying_a_moment_is_refused(mdb: object) -> None:
    _row()
    with pytest.raises(DatabaseError):
        list(Everything.objects.filter(when=F("when") * datetime.timedelta(0)))


def test_a_date_shifted_to_midnight_equals_the_date(mdb: object) -> None:
    row = _row()
    same = Everything.objects.filter(day=F("day") + datetime.timedelta(0))
    assert list(same) == [row]
    assert (
        list(Everything.objects.filter(day__lt=F("day") + datetime.timedelta(0))) == []
    )
