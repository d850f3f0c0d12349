"""Database functions behave as Django users expect (found with Django's suite)."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest

from manouche.db import connection
from manouche.db.models import CharField, F, Transform, Value
from manouche.db.models.fields import DateTimeField, IntegerField, TimeField
from manouche.db.models.functions import (
    Cast,
    Coalesce,
    ConcatPair,
    Lag,
    Lead,
    Left,
    LPad,
    Now,
    NthValue,
    Repeat,
    RPad,
    Trunc,
    TruncYear,
)
from manouche.db.utils import DataError
from manouche.test.utils import override_settings, register_lookup
from tests.db.models.modelapp.models import Everything

MELBOURNE = zoneinfo.ZoneInfo("Australia/Melbourne")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


@override_settings(USE_TZ=True, TIME_ZONE="UTC")
def test_trunc_results_come_back_in_their_zone(mdb: Any) -> None:
    if mdb.vendor == "mysql" and not _mysql_has_zone_tables():
        pytest.skip("MariaDB without time zone tables: zones with DST fail")
    moment = datetime.datetime(2016, 1, 1, 1, 30, 50, tzinfo=datetime.UTC)
    Everything.objects.create(when=moment)
    row = Everything.objects.annotate(
        melbourne=TruncYear("when", tzinfo=MELBOURNE),
        pacific=TruncYear("when", tzinfo=LOS_ANGELES),
        utc=TruncYear("when"),
    ).get()
    assert row.melbourne == datetime.datetime(2016, 1, 1, tzinfo=MELBOURNE)
    assert row.melbourne.tzinfo == MELBOURNE
    assert row.melbourne.year == 2016
    assert row.pacific == datetime.datetime(2015, 1, 1, tzinfo=LOS_ANGELES)
    assert row.pacific.year == 2015
    assert row.utc == datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC)


def _mysql_has_zone_tables() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT CONVERT_TZ('2020-01-01', 'UTC', 'Europe/Paris')")
        return cursor.fetchone()[0] is not None


def test_an_unknown_trunc_kind_is_refused() -> None:
    for error in (ValueError, DataError):
        with pytest.raises(error, match="Invalid kind"):
            Trunc("when", "year') OR 1=1;--")


@override_settings(USE_TZ=False)
def test_now_and_casts_keep_fractional_seconds(mdb: Any) -> None:
    moment = datetime.datetime(2018, 9, 28, 12, 42, 10, 234567)
    Everything.objects.create(when=moment)
    row = Everything.objects.annotate(
        now=Now(),
        clock_of=Cast("when", TimeField()),
        moment=Cast(Value(moment), DateTimeField()),
    ).get()
    assert row.clock_of == datetime.time(12, 42, 10, 234567)
    assert row.moment == moment
    utc_now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert abs(row.now.replace(tzinfo=None) - utc_now) < datetime.timedelta(hours=1)


@override_settings(USE_TZ=False)
def test_now_compares_with_stored_values(mdb: Any) -> None:
    Everything.objects.create(when=datetime.datetime(2000, 1, 1))
    Everything.objects.create(when=datetime.datetime(2999, 1, 1))
    assert Everything.objects.filter(when__lt=Now()).count() == 1


@pytest.mark.parametrize("function", [Lag, Lead, NthValue])
def test_window_functions_need_a_source(function: Any) -> None:
    message = f"{function.__name__} requires a non-null source expression"
    with pytest.raises(ValueError, match=message):
        function(expression=None)


def test_null_counts_give_null(mdb: Any) -> None:
    Everything.objects.create(text="John")
    row = Everything.objects.annotate(
        repeated=Repeat("text", None),
        left=LPad("text", None),
        right=RPad("text", None),
        twice=Repeat("text", 2),
    ).get()
    assert (row.repeated, row.left, row.right) == (None, None, None)
    assert row.twice == "JohnJohn"


def test_concat_pair_coalesce_spells_out_the_empty_defaults(mdb: Any) -> None:
    pair = ConcatPair(Value("a"), F("text"))
    coalesced = pair.coalesce()
    assert len(list(pair.flatten())) == 3
    assert len(list(coalesced.flatten())) == 7
    assert [type(e) for e in coalesced.get_source_expressions()] == [Coalesce] * 2
    Everything.objects.create(text="b")
    assert Everything.objects.annotate(c=coalesced).get().c == "ab"


class _Ord(Transform):
    function = "UNICODE"
    lookup_name = "ord"

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=IntegerField())

    def as_sa(self, compiler: Any) -> Any:
        import sqlalchemy as sa

        (value,) = self.compile_arguments(compiler)
        name = "unicode" if compiler.vendor == "sqlite" else "ascii"
        return getattr(sa.func, name)(value, type_=sa.Integer())


def test_text_functions_are_typed_like_their_text(mdb: Any) -> None:
    assert Left("text", 1)._output_field_or_none is None
    Everything.objects.create(text="John")
    Everything.objects.create(text="Elena")
    Everything.objects.update(slug=F("text"))
    with register_lookup(CharField, _Ord):
        queryset = Everything.objects.annotate(initial=Left("slug", 1))
        assert queryset.filter(initial__ord=ord("J")).count() == 1


def test_json_array_builds_nested_arrays(mdb: Any) -> None:
    from manouche.db.models.functions import JSONArray, JSONObject, Lower
    from manouche.db.models.functions.json import JSONArray as FromJsonModule

    assert FromJsonModule is JSONArray
    Everything.objects.create(text="Ivan", score=30)
    row = Everything.objects.annotate(
        empty=JSONArray(),
        flat=JSONArray(Value("text"), F("text"), Lower("text"), F("maybe")),
        nested=JSONArray(JSONArray(F("score"), Value(1.5)), JSONArray()),
        objects=JSONArray(JSONObject(name="text", inner=JSONObject(n="score"))),
    ).get()
    assert row.empty == []
    assert row.flat == ["text", "Ivan", "ivan", None]
    assert row.nested == [[30, 1.5], []]
    assert row.objects == [{"name": "Ivan", "inner": {"n": 30}}]


def test_feature_flags_describe_the_backend(mdb: Any) -> None:
    from manouche.db.models.functions import Collate, Round

    features = mdb.connection.features
    Everything.objects.create(score=365, text="a")
    Everything.objects.create(score=1, text="A")
    rounded = Everything.objects.annotate(r=Round("score", -1)).get(score=365).r
    assert rounded == (360 if features.rounds_to_even else 370)
    assert 0 < features.time_cast_precision <= 6
    case_sensitive = features.test_collations.get("cs")
    if case_sensitive:
        ordered = Everything.objects.order_by(Collate("text", case_sensitive))
        assert list(ordered.values_list("text", flat=True)) == ["A", "a"]
    case_insensitive = features.test_collations.get("ci")
    if case_insensitive:
        matching = Everything.objects.filter(text=Collate(Value("a"), case_insensitive))
        assert matching.count() == 2
