"""QuerySet.extra(): raw select columns, where clauses and ordering, always bound."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import NotSupportedError
from tests.db.models.modelapp.models import Author


@pytest.fixture
def authors(mdb: Any) -> None:
    for name, age in (("ann", 30), ("bob", 20), ("cid", 40)):
        Author.objects.create(name=name, age=age)


def test_select_adds_an_attribute_and_takes_its_parameters(authors: None) -> None:
    queryset = Author.objects.extra(
        select={"older": "age + %s", "one": 1}, select_params=[5]
    ).order_by("name")
    assert [(a.name, a.older, a.one) for a in queryset] == [
        ("ann", 35, 1),
        ("bob", 25, 1),
        ("cid", 45, 1),
    ]


def test_aliases_with_dashes_work_through_values(authors: None) -> None:
    rows = Author.objects.extra(select={"age-plus": "age + 1"}).values(
        "name", "age-plus"
    )
    assert sorted((r["name"], r["age-plus"]) for r in rows) == [
        ("ann", 31),
        ("bob", 21),
        ("cid", 41),
    ]


def test_where_clauses_are_anded_with_bound_params(authors: None) -> None:
    queryset = Author.objects.extra(
        where=["age > %s", "name <> %s"], params=[15, "cid"]
    )
    assert sorted(a.name for a in queryset) == ["ann", "bob"]


def test_order_by_accepts_extra_aliases_and_table_columns(authors: None) -> None:
    by_alias = Author.objects.extra(select={"neg": "0 - age"}, order_by=["neg"])
    assert [a.name for a in by_alias] == ["cid", "ann", "bob"]
    by_column = Author.objects.extra(order_by=["-modelapp_author.age"])
    assert [a.name for a in by_column] == ["cid", "ann", "bob"]
    assert [a.name for a in by_column.order_by("name")] == ["ann", "bob", "cid"]


def test_double_percent_is_a_literal_percent(authors: None) -> None:
    row = Author.objects.extra(select={"pct": "'%%s'"}).values_list("pct", flat=True)
    assert set(row) == {"%s"}


@pytest.mark.parametrize(
    "alias", ['x" from t; --', "a b", "name\x00", "a--b", "a#b", "1abc", "q'"]
)
def test_hostile_aliases_are_refused(alias: str) -> None:
    with pytest.raises(ValueError, match="Column aliases cannot contain whitespace"):
        Author.objects.extra(select={alias: "1"})


def test_parameter_counts_must_match() -> None:
    with pytest.raises(ValueError, match="fewer select_params"):
        Author.objects.extra(select={"a": "%s + %s"}, select_params=[1])
    with pytest.raises(ValueError, match="more select_params"):
        Author.objects.extra(select={"a": "1"}, select_params=[1])
    with pytest.raises(ValueError, match="needs where clauses"):
        Author.objects.extra(params=[1])


def test_tables_are_refused_with_a_clear_error() -> None:
    with pytest.raises(
        NotSupportedError, match="extra\\(tables=...\\) is not supported"
    ):
        Author.objects.extra(tables=["modelapp_book"])


def test_annotation_aliases_may_hold_dots_and_dashes(authors: None) -> None:
    from manouche.db.models import F

    rows = Author.objects.annotate(**{"author.age-years": F("age")}).values_list(
        "author.age-years", flat=True
    )
    assert sorted(rows) == [20, 30, 40]
