"""Math functions on every backend: values, output types, NULLs, lookups."""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable
from typing import Any

import pytest

from manouche.db import models
from manouche.db.models import F, Value
from manouche.db.models.functions import (
    Abs,
    ACos,
    ASin,
    ATan,
    ATan2,
    Ceil,
    Cos,
    Cot,
    Degrees,
    Exp,
    Floor,
    Ln,
    Log,
    Mod,
    Pi,
    Power,
    Radians,
    Random,
    Round,
    Sign,
    Sin,
    Sqrt,
    Tan,
)
from manouche.test.utils import register_lookup
from tests.db.conftest import DatabaseFixture
from tests.db.models.functions.conftest import Number

D = decimal.Decimal

REAL_FUNCTIONS: list[tuple[type[Any], Callable[[float], float]]] = [
    (ACos, math.acos),
    (ASin, math.asin),
    (ATan, math.atan),
    (Cos, math.cos),
    (Cot, lambda x: 1 / math.tan(x)),
    (Degrees, math.degrees),
    (Exp, math.exp),
    (Ln, math.log),
    (Radians, math.radians),
    (Sin, math.sin),
    (Sqrt, math.sqrt),
    (Tan, math.tan),
]


@pytest.fixture
def numbers(fdb: DatabaseFixture) -> Number:
    Number.objects.create(integer=None, decimal=None, floating=None)
    row = Number.objects.create(integer=1, decimal=D("0.5"), floating=0.25)
    assert isinstance(row, Number)
    return row


@pytest.mark.parametrize(("function", "python"), REAL_FUNCTIONS)
def test_real_functions_compute_and_type_by_input(
    numbers: Number, function: type[Any], python: Callable[[float], float]
) -> None:
    row = Number.objects.annotate(
        i=function("integer"), d=function("decimal"), f=function("floating")
    ).get(pk=numbers.pk)
    assert isinstance(row.i, float)
    assert row.i == pytest.approx(python(1))
    assert isinstance(row.d, decimal.Decimal)
    assert float(row.d) == pytest.approx(python(0.5))
    assert isinstance(row.f, float)
    assert row.f == pytest.approx(python(0.25))


@pytest.mark.parametrize(
    "function",
    [f for f, _ in REAL_FUNCTIONS] + [Abs, Ceil, Floor, Sign, Round],
)
def test_one_argument_functions_give_null_for_null(
    numbers: Number, function: type[Any]
) -> None:
    row = Number.objects.annotate(
        i=function("integer"), d=function("decimal"), f=function("floating")
    ).get(integer__isnull=True)
    assert (row.i, row.d, row.f) == (None, None, None)


@pytest.mark.parametrize(
    ("function", "python"),
    [
        (ATan2, math.atan2),
        (Log, lambda base, x: math.log(x, base)),
        (Mod, math.fmod),
        (Power, math.pow),
    ],
)
def test_two_argument_functions(
    fdb: DatabaseFixture, function: type[Any], python: Callable[..., float]
) -> None:
    Number.objects.create(integer=8, decimal=D("2.5"), floating=4.5)
    row = Number.objects.annotate(
        ints=function(Value(3), "integer"),
        decimals=function("decimal", Value(D("7.5"))),
        floats=function("floating", "integer"),
        null=function("floating", Value(None, output_field=models.FloatField())),
    ).get()
    assert isinstance(row.ints, float)
    assert row.ints == pytest.approx(python(3, 8))
    assert isinstance(row.decimals, decimal.Decimal)
    assert float(row.decimals) == pytest.approx(python(2.5, 7.5))
    assert isinstance(row.floats, float)
    assert row.floats == pytest.approx(python(4.5, 8))
    assert row.null is None


def test_pi_has_full_precision_and_random_is_a_float(numbers: Number) -> None:
    row = Number.objects.annotate(pi=Pi(), r=Random()).get(pk=numbers.pk)
    assert row.pi == pytest.approx(math.pi, abs=1e-12)
    assert isinstance(row.r, float)
    assert 0 <= row.r < 1


def test_random_orders_rows(fdb: DatabaseFixture) -> None:
    Number.objects.bulk_create([Number(integer=i) for i in range(20)])
    ordered = list(Number.objects.order_by(Random()).values_list("integer", flat=True))
    assert sorted(ordered) == list(range(20))


def test_abs_ceil_floor_sign_keep_the_input_type(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=-7, decimal=D("-2.5"), floating=-1.25)
    row = Number.objects.annotate(
        ai=Abs("integer"),
        ad=Abs("decimal"),
        af=Abs("floating"),
        cd=Ceil("decimal"),
        cf=Ceil("floating"),
        fd=Floor("decimal"),
        ff=Floor("floating"),
        si=Sign("integer"),
        sd=Sign("decimal"),
        sf=Sign("floating"),
    ).get()
    assert (row.ai, row.ad, row.af) == (7, D("2.5"), 1.25)
    assert (row.cd, row.cf, row.fd, row.ff) == (D(-2), -1.0, D(-3), -2.0)
    assert isinstance(row.cd, decimal.Decimal)
    assert isinstance(row.cf, float)
    assert (row.si, row.sd, row.sf) == (-1, D(-1), -1.0)
    assert isinstance(row.si, int)


def test_round_with_precision(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=1250, decimal=D("2.3456"), floating=3.14159)
    row = Number.objects.annotate(
        d0=Round("decimal"),
        d2=Round("decimal", 2),
        f2=Round("floating", precision=3),
        i_neg=Round("integer", -2),
        f_neg=Round("floating", -1),
        half=Round(Value(D("2.5"))),
        negative_half=Round(Value(D("-2.5"))),
    ).get()
    assert row.d0 == D(2)
    assert row.d2 == D("2.35")
    assert row.f2 == pytest.approx(3.142)
    assert row.i_neg == 1300
    assert isinstance(row.i_neg, int)
    assert row.f_neg == pytest.approx(0.0)
    assert (row.half, row.negative_half) == (D(3), D(-3))


@pytest.mark.parametrize("precision", [1.5, "2", True, None])
def test_round_rejects_a_non_integer_precision(precision: Any) -> None:
    with pytest.raises(TypeError, match="Round precision must be an integer"):
        Round("floating", precision)


def test_functions_in_filter_and_order_by(fdb: DatabaseFixture) -> None:
    for value in (-5, 3, -1, None):
        Number.objects.create(integer=value, floating=value)
    ordered = Number.objects.filter(integer__isnull=False).order_by(Abs("integer"))
    assert [n.integer for n in ordered] == [-1, 3, -5]
    big = Number.objects.annotate(root=Sqrt(Abs("floating"))).filter(root__gt=2)
    assert [n.integer for n in big] == [-5]
    assert Number.objects.filter(floating=Power(Value(-1.0), 1) * 5).count() == 1


def test_registered_transforms_work_as_lookups(fdb: DatabaseFixture) -> None:
    Number.objects.create(integer=-4, floating=16.0)
    Number.objects.create(integer=2, floating=2.0)
    with (
        register_lookup(models.IntegerField, Abs, Sign),
        register_lookup(models.FloatField, Sqrt, Ceil),
    ):
        assert Number.objects.get(integer__abs=4).floating == 16.0
        assert Number.objects.get(integer__sign=1).integer == 2
        assert Number.objects.get(floating__sqrt__gte=3).integer == -4
        assert Number.objects.filter(floating__ceil=2).count() == 1
        values = Number.objects.order_by("integer").values_list(
            "integer__abs", flat=True
        )
        assert list(values) == [4, 2]


def test_output_field_inference_matches_django() -> None:
    int_value = Value(4)
    assert isinstance(Sqrt(int_value).output_field, models.FloatField)
    assert isinstance(Sqrt(Value(D("4"))).output_field, models.DecimalField)
    assert isinstance(Power(Value(2.0), int_value).output_field, models.FloatField)
    assert isinstance(Mod(Value(D(1)), int_value).output_field, models.DecimalField)
    assert isinstance(Abs(int_value).output_field, models.IntegerField)
    assert isinstance(Round(Value(2.5), 1).output_field, models.FloatField)
    assert isinstance(Pi().output_field, models.FloatField)
    assert isinstance(Random().output_field, models.FloatField)
    assert isinstance(
        Sqrt(F("x"), output_field=models.IntegerField()).output_field,
        models.IntegerField,
    )


def test_arity_is_checked() -> None:
    with pytest.raises(TypeError, match="'ATan2' takes exactly 2 arguments"):
        ATan2("floating")
    with pytest.raises(TypeError, match="'Pi' takes exactly 0 arguments"):
        Pi("floating")
