"""Time zones, date parsing, durations and the JSON encoder."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest

from manouche.core.serializers.json import DjangoJSONEncoder
from manouche.utils import timezone
from manouche.utils.dateparse import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
)
from manouche.utils.duration import duration_iso_string, duration_string

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_now_is_aware_utc_with_use_tz():
    assert timezone.now().tzinfo is datetime.UTC
    assert timezone.utc is datetime.UTC


def test_activate_override_and_deactivate():
    assert timezone.get_current_timezone_name() == "UTC"
    with timezone.override("Europe/Paris"):
        assert timezone.get_current_timezone() == PARIS
        with timezone.override(None):
            assert timezone.get_current_timezone_name() == "UTC"
    timezone.activate(PARIS)
    assert timezone.get_current_timezone() == PARIS
    timezone.deactivate()
    assert timezone.get_default_timezone_name() == "UTC"
    with pytest.raises(ValueError, match="Invalid timezone"):
        timezone.activate(3)  # type: ignore[arg-type]


def test_make_aware_naive_localtime():
    naive = datetime.datetime(2024, 6, 1, 12)
    aware = timezone.make_aware(naive, PARIS)
    assert timezone.is_aware(aware)
    assert timezone.make_naive(aware, datetime.UTC) == datetime.datetime(2024, 6, 1, 10)
    assert timezone.localtime(aware, datetime.UTC).hour == 10
    with pytest.raises(ValueError, match="naive"):
        timezone.localtime(naive)
    with pytest.raises(ValueError, match="expects a naive datetime"):
        timezone.make_aware(aware)
    with pytest.raises(ValueError, match="naive"):
        timezone.make_naive(naive)
    assert timezone.is_naive(naive)


def test_parse_date_time_datetime():
    assert parse_date("2024-02-29") == datetime.date(2024, 2, 29)
    assert parse_date("2024-2-9") == datetime.date(2024, 2, 9)
    assert parse_date("nope") is None
    with pytest.raises(ValueError):
        parse_date("2023-2-30")
    assert parse_time("10:20:30.5") == datetime.time(10, 20, 30, 500000)
    assert parse_time("10:20") == datetime.time(10, 20)
    assert parse_time("25:99x") is None
    assert parse_datetime("2024-01-02T03:04:05Z") == datetime.datetime(
        2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC
    )
    parsed = parse_datetime("2024-1-2 3:04:05+0230")
    assert parsed is not None
    assert parsed.utcoffset() == datetime.timedelta(hours=2, minutes=30)
    assert parse_datetime("garbage") is None


def test_parse_duration_formats():
    assert parse_duration("1 02:03:04.5") == datetime.timedelta(
        days=1, hours=2, minutes=3, seconds=4, microseconds=500000
    )
    assert parse_duration("P1DT2H") == datetime.timedelta(days=1, hours=2)
    assert parse_duration("-P1D") == datetime.timedelta(days=-1)
    assert parse_duration("3 days 04:05:06") == datetime.timedelta(
        days=3, hours=4, minutes=5, seconds=6
    )
    assert parse_duration("15") == datetime.timedelta(seconds=15)
    assert parse_duration("bad") is None


def test_duration_strings():
    delta = datetime.timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5)
    assert duration_string(delta) == "1 02:03:04.000005"
    assert duration_iso_string(delta) == "P1DT02H03M04.000005S"
    assert duration_iso_string(-delta).startswith("-P")


def test_json_encoder_types():
    encoded = json.dumps(
        {
            "date": datetime.date(2024, 1, 2),
            "time": datetime.time(1, 2, 3, 456789),
            "naive": datetime.datetime(2024, 1, 2, 3, 4, 5),
            "delta": datetime.timedelta(hours=1),
        },
        cls=DjangoJSONEncoder,
    )
    assert json.loads(encoded) == {
        "date": "2024-01-02",
        "time": "01:02:03.456",
        "naive": "2024-01-02T03:04:05",
        "delta": "P0DT01H00M00S",
    }
    with pytest.raises(ValueError, match="timezone-aware times"):
        json.dumps(datetime.time(1, tzinfo=datetime.UTC), cls=DjangoJSONEncoder)
    with pytest.raises(TypeError):
        json.dumps(object(), cls=DjangoJSONEncoder)
