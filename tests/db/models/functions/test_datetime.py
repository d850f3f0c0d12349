"""TruncDate / TruncTime honour an explicit tzinfo on every backend."""

from __future__ import annotations

import datetime
import zoneinfo

from manouche.db.models.functions import Now, TruncDate, TruncTime
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture
from tests.db.models.functions.conftest import Word

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")  # +09:00 all year: no zone tables needed
LATE = datetime.datetime(2020, 12, 31, 23, 30, 15, tzinfo=datetime.UTC)


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_trunc_date_and_time_in_an_explicit_zone(fdb: DatabaseFixture) -> None:
    Word.objects.create(when=LATE)
    Word.objects.create(when=None)
    row = Word.objects.annotate(
        utc_day=TruncDate("when"),
        tokyo_day=TruncDate("when", tzinfo=TOKYO),
        utc_time=TruncTime("when"),
        tokyo_time=TruncTime("when", tzinfo=TOKYO),
    ).get(when__isnull=False)
    assert (row.utc_day, row.tokyo_day) == (
        datetime.date(2020, 12, 31),
        datetime.date(2021, 1, 1),
    )
    assert (row.utc_time, row.tokyo_time) == (
        datetime.time(23, 30, 15),
        datetime.time(8, 30, 15),
    )
    null = Word.objects.annotate(d=TruncDate("when", tzinfo=TOKYO)).get(
        when__isnull=True
    )
    assert null.d is None


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_now_filters_past_rows(fdb: DatabaseFixture) -> None:
    Word.objects.create(when=LATE)
    assert Word.objects.filter(when__lt=Now()).count() == 1
