"""Comparison and conversion functions on every backend."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.db.models import Value
from manouche.db.models.functions import (
    Cast,
    Coalesce,
    Collate,
    Greatest,
    JSONObject,
    Least,
    NullIf,
    Upper,
)
from tests.db.conftest import DatabaseFixture
from tests.db.models.functions.conftest import Number, Word

D = decimal.Decimal

# A binary (case- and accent-sensitive) collation per backend.
BINARY_COLLATION = {"sqlite": "BINARY", "postgresql": "C", "mysql": "utf8mb4_bin"}


MONEY = models.DecimalField(max_digits=6, decimal_places=2)


def test_cast_converts_between_types(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=7, decimal=D("2.5"), floating=1.1)
    row = Number.objects.annotate(
        to_float=Cast("integer", models.FloatField()),
        decimal_to_float=Cast("decimal", models.FloatField()),
        to_text=Cast("integer", models.TextField()),
        to_char=Cast("integer", models.CharField(max_length=10)),
        to_decimal=Cast(
            "floating", models.DecimalField(max_digits=6, decimal_places=2)
        ),
        to_int=Cast(Value("42"), models.IntegerField()),
        to_bool=Cast("integer", models.BooleanField()),
        to_date=Cast(Value("2024-02-29"), models.DateField()),
        null=Cast(Value(None), models.IntegerField()),
    ).get()
    assert (row.to_float, row.decimal_to_float) == (7.0, 2.5)
    assert isinstance(row.to_float, float)
    assert (row.to_text, row.to_char) == ("7", "7")
    assert row.to_decimal == D("1.10")
    assert row.to_int == 42
    assert row.to_bool is True
    assert row.to_date == datetime.date(2024, 2, 29)
    assert row.null is None


def test_cast_keeps_double_precision_on_mysql(fdb: DatabaseFixture) -> None:
    Number.objects.create(decimal=D("0.1234"))
    row = Number.objects.annotate(f=Cast("decimal", models.FloatField())).get()
    assert row.f == 0.1234


def test_coalesce_greatest_least_nullif_keep_decimals(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=None, decimal=D("2.5"), floating=3.5)
    row = Number.objects.annotate(
        first=Coalesce("integer", "decimal", output_field=models.DecimalField()),
        high=Greatest("decimal", Value(D("1.25"))),
        low=Least("decimal", Value(D("1.25"))),
        same=NullIf("decimal", Value(D("2.5"))),
        different=NullIf("floating", Value(1.0)),
    ).get()
    assert row.first == D("2.5")
    assert isinstance(row.first, decimal.Decimal)
    assert (row.high, row.low) == (D("2.5"), D("1.25"))
    assert isinstance(row.high, decimal.Decimal)
    assert (row.same, row.different) == (None, 3.5)


def test_greatest_and_least_null_rules_per_backend(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=None, floating=2.0)
    row = Number.objects.annotate(
        high=Greatest("integer", "floating", output_field=models.FloatField()),
        low=Least("integer", "floating", output_field=models.FloatField()),
    ).get()
    expected = 2.0 if fdb.vendor == "postgresql" else None
    assert (row.high, row.low) == (expected, expected)


@pytest.mark.parametrize("function", [Coalesce, Greatest, Least, NullIf])
def test_mixed_number_types_need_an_output_field(
    fdb: DatabaseFixture, function: type[Any]
) -> None:
    Number.objects.create(integer=1, decimal=D("2.5"))
    queryset = Number.objects.annotate(v=function("integer", "decimal"))
    with pytest.raises(FieldError, match="Expression contains mixed types"):
        list(queryset)
    assert Number.objects.annotate(v=function("integer", Value(3))).get().v in (
        1,
        3,
        None,
    )


@pytest.mark.parametrize("function", [Coalesce, Greatest, Least])
def test_at_least_two_expressions_are_required(function: type[Any]) -> None:
    with pytest.raises(ValueError, match="must take at least two expressions"):
        function("integer")


def test_nullif_takes_two_arguments() -> None:
    with pytest.raises(TypeError, match="'NullIf' takes exactly 2 arguments"):
        NullIf("integer")


def test_collate_changes_comparison_and_ordering(fdb: DatabaseFixture) -> None:
    for text in ("b", "A", "a", "B"):
        Word.objects.create(text=text)
    collation = BINARY_COLLATION[fdb.vendor]
    binary = Word.objects.annotate(c=Collate("text", collation))
    assert sorted(binary.filter(c="a").values_list("text", flat=True)) == ["a"]
    ordered = Word.objects.order_by(Collate("text", collation))
    assert [w.text for w in ordered] == ["A", "B", "a", "b"]
    assert binary.filter(c=Upper(Value("a"))).count() == 1


@pytest.mark.parametrize(
    "name", ["utf8mb4_bin; DROP TABLE x", '"C"', "a b", "", "C)--", 42]
)
def test_collate_rejects_bad_names(name: Any) -> None:
    with pytest.raises(ValueError, match="Invalid collation name"):
        Collate("text", name)


def test_json_object_builds_an_object(fdb: DatabaseFixture) -> None:
    Word.objects.create(text='it\'s "quoted"', code=3)
    row = Word.objects.annotate(
        obj=JSONObject(
            name="text", code="code", upper=Upper("text"), literal=Value("x'y")
        ),
        empty=JSONObject(),
    ).get()
    assert row.obj == {
        "name": 'it\'s "quoted"',
        "code": 3,
        "upper": 'IT\'S "QUOTED"',
        "literal": "x'y",
    }
    assert row.empty == {}


def test_json_object_keys_are_bound_not_spliced(fdb: DatabaseFixture) -> None:
    Word.objects.create(code=1)
    key = "k'); DROP TABLE x; --"
    row = Word.objects.annotate(obj=JSONObject(**{key: "code"})).get()
    assert row.obj == {key: 1}
