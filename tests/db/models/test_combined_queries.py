"""union()/intersection()/difference(): values() on the result, ORDER BY, none()."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import DatabaseError, NotSupportedError
from manouche.db.models import F, IntegerField, Value
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author


def _authors() -> None:
    for name, age in (("ann", 30), ("bob", None), ("cid", 20), ("dee", 40)):
        Author.objects.create(name=name, age=age)


def test_values_on_a_combined_queryset_choose_every_members_columns(
    mdb: Any,
) -> None:
    _authors()
    young = Author.objects.filter(age__lt=35)
    old = Author.objects.filter(age__gte=35)
    row = young.union(old).values("name", "age").order_by("name")[0]
    assert row == {"name": "ann", "age": 30}
    ages = young.union(old).values_list("age", flat=True).order_by("-age")
    assert list(ages) == [40, 30, 20]
    rest = Author.objects.all().difference(young).values_list("name", flat=True)
    assert sorted(rest) == ["bob", "dee"]


def test_ordering_by_an_unselected_column_selects_it_in_every_member(
    mdb: Any,
) -> None:
    _authors()
    named = Author.objects.filter(name__in=["ann", "cid"])
    others = Author.objects.filter(name="dee")
    union = named.union(others)
    assert list(union.order_by("-age").values_list("name", flat=True)) == [
        "dee",
        "ann",
        "cid",
    ]
    assert list(union.values_list("name", flat=True).order_by("pk")) == [
        "ann",
        "cid",
        "dee",
    ]


def test_ordering_by_f_expressions_and_null_placement(mdb: Any) -> None:
    _authors()
    union = Author.objects.filter(age__lt=35).union(
        Author.objects.filter(age__isnull=True)
    )
    ages = union.values_list("age", flat=True)
    assert list(ages.order_by(F("age").asc(nulls_first=True))) == [None, 20, 30]
    assert list(ages.order_by(F("age").desc(nulls_last=True))) == [30, 20, None]
    names = union.order_by(F("name").desc())
    assert [a.name for a in names] == ["cid", "bob", "ann"]


def test_ordering_by_a_computed_expression(mdb: Any) -> None:
    _authors()
    first = Author.objects.filter(age__gte=30).annotate(rank=Value(2))
    second = Author.objects.filter(age__lt=30).annotate(rank=Value(1))
    names = (
        first.union(second)
        .order_by(F("rank") * Value(-1, output_field=IntegerField()), "name")
        .values_list("name", flat=True)
    )
    assert list(names) == ["ann", "dee", "cid"]


def test_members_with_their_own_columns_cannot_order_by_others(mdb: Any) -> None:
    _authors()
    first = Author.objects.values("name", years=F("age"))
    second = Author.objects.values("name", "age")
    assert len(list(first.union(second).order_by("years"))) == 4
    with pytest.raises(DatabaseError, match="ORDER BY term does not match any"):
        list(first.union(second).order_by("age"))
    with pytest.raises(DatabaseError, match="ORDER BY term does not match any"):
        list(first.union(second).order_by(F("pk").desc()))


def test_ordering_a_combined_query_by_a_transform_is_refused(mdb: Any) -> None:
    annotated = Author.objects.annotate(n=Value(1, output_field=IntegerField()))
    with pytest.raises(NotImplementedError, match="by transforms"):
        list(annotated.union(annotated).order_by("n__abs"))


def test_none_members_keep_their_place(mdb: Any) -> None:
    _authors()
    everyone = Author.objects.all()
    assert len(everyone.difference(Author.objects.none())) == 4
    assert len(everyone.union(Author.objects.none())) == 4
    with CaptureQueriesContext(mdb.connection) as queries:
        assert list(Author.objects.none().difference(everyone)) == []
        assert list(everyone.intersection(Author.objects.none())) == []
    assert len(queries) == 0


def test_a_combined_queryset_as_an_in_subquery(mdb: Any) -> None:
    _authors()
    union = Author.objects.filter(name="ann").union(Author.objects.filter(name="cid"))
    names = Author.objects.filter(pk__in=union).values_list("name", flat=True)
    assert sorted(names) == ["ann", "cid"]


def test_get_with_filters_after_a_combinator_is_not_supported(mdb: Any) -> None:
    everyone = Author.objects.all()
    with pytest.raises(
        NotSupportedError, match=r"get\(\.\.\.\) with filters after union\(\)"
    ):
        everyone.union(everyone).get(name="ann")


def test_an_expression_named_twice_in_values_is_selected_once(mdb: Any) -> None:
    Author.objects.create(name="ann", age=3)
    row = Author.objects.values("later", "name", later=Value(7)).get()
    assert list(row.items()) == [("later", 7), ("name", "ann")]
