"""Date/time extracts and truncations work in the current time zone (USE_TZ)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from manouche.db import NotSupportedError
from manouche.db.models import F
from manouche.db.models.functions import (
    ExtractDay,
    ExtractHour,
    ExtractYear,
    TruncDate,
    TruncDay,
    TruncMonth,
)
from manouche.test.utils import override_settings
from manouche.utils import timezone
from tests.db.models.modelapp.models import Everything

UTC = datetime.UTC
# 2020-12-31 23:30 UTC is already 2021-01-01 in Paris and Tokyo, still
# 2020-12-31 in New York.
LATE = datetime.datetime(2020, 12, 31, 23, 30, tzinfo=UTC)
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")  # +09:00 all year: no tables needed


@pytest.fixture
def late(mdb):
    return Everything.objects.create(when=LATE)


def test_utc_is_unchanged(late):
    row = Everything.objects.annotate(
        y=ExtractYear("when"), d=TruncDate("when"), h=ExtractHour("when")
    ).get()
    assert (row.y, row.d, row.h) == (2020, datetime.date(2020, 12, 31), 23)
    assert Everything.objects.filter(when__year=2020).count() == 1


def test_override_moves_extracts_and_date_lookups(late):
    with timezone.override(TOKYO):
        row = Everything.objects.annotate(
            y=ExtractYear("when"),
            dom=ExtractDay("when"),
            h=ExtractHour("when"),
            d=TruncDate("when"),
        ).get()
        assert (row.y, row.dom, row.h) == (2021, 1, 8)
        assert row.d == datetime.date(2021, 1, 1)
        assert Everything.objects.filter(when__year=2021).count() == 1
        assert Everything.objects.filter(when__date=datetime.date(2021, 1, 1)).exists()
        assert not Everything.objects.filter(when__year=2020).exists()


def test_truncation_returns_the_local_boundary_as_an_instant(late):
    with timezone.override(TOKYO):
        row = Everything.objects.annotate(
            tday=TruncDay("when"), month=TruncMonth("when")
        ).get()
    local_midnight = datetime.datetime(2021, 1, 1, tzinfo=TOKYO)
    assert row.tday == local_midnight
    assert row.month == local_midnight
    assert row.tday.utcoffset() is not None


def test_explicit_tzinfo_argument_wins(late):
    row = Everything.objects.annotate(
        y=ExtractYear("when", tzinfo=TOKYO), y_utc=ExtractYear(F("when"))
    ).get()
    assert (row.y, row.y_utc) == (2021, 2020)


def test_dst_zone_converts_or_refuses_clearly(late, mdb):
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    summer = Everything.objects.create(
        when=datetime.datetime(2021, 6, 30, 22, 30, tzinfo=UTC)
    )
    queryset = Everything.objects.annotate(d=TruncDate("when")).order_by("pk")
    with timezone.override(paris):
        try:
            dates = [row.d for row in queryset]
        except NotSupportedError as exc:
            # MariaDB without time zone tables: a clear error, never wrong data.
            assert mdb.vendor == "mysql"
            assert "time zone tables" in str(exc)  # noqa: PT017
            return
    assert dates == [datetime.date(2021, 1, 1), datetime.date(2021, 7, 1)]
    assert summer.pk is not None


def test_time_zone_setting_is_the_default(late):
    with override_settings(TIME_ZONE="Etc/GMT+5"):
        row = Everything.objects.annotate(d=TruncDate("when")).get()
    assert row.d == datetime.date(2020, 12, 31)
    with override_settings(TIME_ZONE="Asia/Tokyo"):
        row = Everything.objects.annotate(d=TruncDate("when")).get()
    assert row.d == datetime.date(2021, 1, 1)


def test_fixed_offset_tzinfo(late):
    minus_five = datetime.timezone(datetime.timedelta(hours=-5))
    plus_nine = datetime.timezone(datetime.timedelta(hours=9))
    row = Everything.objects.annotate(
        west=TruncDate("when", tzinfo=minus_five),
        east=TruncDate("when", tzinfo=plus_nine),
        h=ExtractHour("when", tzinfo=plus_nine),
    ).get()
    assert (row.west, row.east, row.h) == (
        datetime.date(2020, 12, 31),
        datetime.date(2021, 1, 1),
        8,
    )
