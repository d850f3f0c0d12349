"""repr() of expressions: what a user sees when debugging a query."""

from __future__ import annotations

import pytest

from manouche.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    StdDev,
    Sum,
    Value,
    Variance,
    When,
)
from manouche.db.models.expressions import ExpressionList, OrderBy, RawSQL, Ref
from manouche.db.models.functions import Concat


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        (
            Case(When(a=1)),
            "<Case: CASE WHEN <Q: (AND: ('a', 1))> THEN Value(None), ELSE Value(None)>",
        ),
        (
            When(Q(n__gt=2), then=Value("x")),
            "<When: WHEN <Q: (AND: ('n__gt', 2))> THEN Value('x')>",
        ),
        (F("a") + F("b"), "<CombinedExpression: F(a) + F(b)>"),
        (
            ExpressionWrapper(F("a") * 2, IntegerField()),
            "ExpressionWrapper(F(a) * Value(2))",
        ),
        (Func("a", function="LOWER"), "Func(F(a), function=LOWER)"),
        (F("name")[0:2], "Sliced(F(name), slice(0, 2, None))"),
        (OuterRef("name")[1:], "Sliced(OuterRef(name), slice(1, None, None))"),
        (RawSQL("t.c + %s", [1]), "RawSQL(t.c + %s, [1])"),
        (Ref("total", Sum("n")), "Ref(total, Sum(F(n)))"),
        (
            ExpressionList(F("a"), OrderBy(F("b"))),
            "ExpressionList(F(a), OrderBy(F(b), descending=False))",
        ),
        (Concat("a", "b", "c"), "Concat(ConcatPair(F(a), ConcatPair(F(b), F(c))))"),
    ],
)
def test_expression_repr(expression: object, shown: str) -> None:
    assert repr(expression) == shown


def test_aggregate_repr_shows_its_options() -> None:
    condition = Q(a=1)
    assert repr(Count("*")) == "Count('*')"
    assert repr(Count("a", distinct=True)) == "Count(F(a), distinct=True)"
    assert repr(Avg("a", filter=condition)) == "Avg(F(a), filter=(AND: ('a', 1)))"
    assert (
        repr(Count("a", filter=condition, distinct=True))
        == "Count(F(a), distinct=True, filter=(AND: ('a', 1)))"
    )
    assert repr(StdDev("a")) == "StdDev(F(a), sample=False)"
    assert repr(Variance("a", sample=True)) == "Variance(F(a), sample=True)"
