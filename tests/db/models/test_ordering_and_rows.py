"""ORDER BY details (duplicates, related Meta.ordering expressions, odd aliases)
and values_list() rows (pickling, extra() columns, first() on aggregates)."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Count, F, FilteredRelation
from manouche.db.models.functions import Lower
from tests.db.models.modelapp.models import Author, Book


def _books() -> None:
    for name, title in (("bob", "B1"), ("Alice", "A1"), ("carl", "C1")):
        author = Author.objects.create(name=name)
        Book.objects.create(title=title, author=author)


def test_a_repeated_order_by_column_is_kept_once(mdb: Any) -> None:
    _books()
    query = Book.objects.order_by(F("title").asc(), F("title").desc())
    sql = str(query.query).upper()
    assert sql[sql.index("ORDER BY") :].count("TITLE") == 1
    assert [b.title for b in query] == ["A1", "B1", "C1"]
    query = Book.objects.order_by(F("title").desc(), F("title").asc())
    assert [b.title for b in query] == ["C1", "B1", "A1"]


def test_ordering_by_a_relation_follows_its_expression_ordering(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _books()
    monkeypatch.setattr(Author._meta, "ordering", [Lower("name")])
    titles = [b.title for b in Book.objects.order_by("author")]
    assert titles == ["A1", "B1", "C1"]
    titles = [b.title for b in Book.objects.order_by("-author")]
    assert titles == ["C1", "B1", "A1"]


def test_unknown_field_behind_a_relation_names_the_choices(mdb: Any) -> None:
    with pytest.raises(
        FieldError,
        match=r"Cannot resolve keyword 'unknown' into field\. Choices are: .*email",
    ):
        list(Book.objects.order_by("author__unknown"))


def test_annotation_alias_with_a_period_orders(mdb: Any) -> None:
    _books()
    query = Book.objects.annotate(**{"book.title": F("title")})
    assert [b.title for b in query.order_by("-book.title")] == ["C1", "B1", "A1"]


def test_filtered_relation_alias_with_a_period_is_refused() -> None:
    with pytest.raises(ValueError, match="doesn't support aliases with periods"):
        Book.objects.annotate(**{"a.b": FilteredRelation("author")})


def test_named_rows_pickle(mdb: Any) -> None:
    _books()
    row = Book.objects.values_list("title", "pages", named=True).order_by("title")[0]
    again = pickle.loads(pickle.dumps(row))
    assert again == row
    assert (type(again).__name__, again.title, again._fields) == (
        "Row",
        "A1",
        ("title", "pages"),
    )


def test_first_on_per_object_aggregates_orders_by_pk(mdb: Any) -> None:
    _books()
    query = Author.objects.annotate(Count("books")).values_list(
        "name", "books__count", named=True
    )
    first = query.order_by().first()
    assert first is not None
    assert first.books__count == 1
    grouped = Book.objects.values("author").annotate(n=Count("id")).order_by()
    with pytest.raises(TypeError, match="unordered queryset performing aggregation"):
        grouped.first()


def test_extra_columns_come_first_in_all_field_rows(mdb: Any) -> None:
    Author.objects.create(name="Ann", age=3)
    query = Author.objects.extra(select={"older": "age + 1"}).annotate(Count("id"))
    row = query.values_list(named=True).first()
    assert row is not None
    assert row._fields[0] == "older"
    assert row._fields[-1] == "id__count"
    assert row.older == 4
