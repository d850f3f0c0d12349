"""``connection.ops.*_extract_sql`` for transforms written with ``as_sql``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from manouche.db import models
from manouche.test.utils import override_settings, register_lookup
from tests.db.models.modelapp.models import Everything

MOMENT = datetime.datetime(2016, 1, 1, 22, 30)  # a Friday, ISO year 2015


def _transform(name: str, component: str, with_zone: bool = False) -> type[Any]:
    class Component(models.Transform):
        lookup_name = name

        def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
            sql, params = compiler.compile(self.lhs)
            if with_zone:
                return connection.ops.datetime_extract_sql(
                    component, sql, params, "+05:00"
                )
            return connection.ops.date_extract_sql(component, sql, params)

        @property
        def output_field(self) -> Any:
            return models.IntegerField()

    return Component


@override_settings(USE_TZ=False)
@pytest.mark.parametrize(
    ("component", "expected"),
    [
        ("year", 2016),
        ("iso_year", 2015),
        ("quarter", 1),
        ("month", 1),
        ("week", 53),
        ("day", 1),
        ("week_day", 6),
        ("iso_week_day", 5),
    ],
)
def test_date_components(mdb: Any, component: str, expected: int) -> None:
    Everything.objects.create(day=MOMENT.date())
    Everything.objects.create(day=datetime.date(2010, 7, 7))
    with register_lookup(models.DateField, _transform("part", component)):
        assert Everything.objects.filter(day__part=expected).count() == 1
        values = Everything.objects.filter(day__part=expected).values_list(
            "day", flat=True
        )
        assert list(values) == [MOMENT.date()]


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_datetime_components_in_a_zone(mdb: Any) -> None:
    Everything.objects.create(when=MOMENT.replace(tzinfo=datetime.UTC))
    hour = _transform("zoned_hour", "hour", with_zone=True)
    day = _transform("zoned_day", "day", with_zone=True)
    with register_lookup(models.DateTimeField, hour, day):
        assert Everything.objects.filter(when__zoned_hour=3).count() == 1
        assert Everything.objects.filter(when__zoned_day=2).count() == 1


def test_component_names_are_checked(mdb: Any) -> None:
    from manouche.db import connection

    with pytest.raises(ValueError, match="Invalid lookup type"):
        connection.ops.date_extract_sql("year FROM x) OR (1", "x", ())
