"""distinct() ordered by columns it does not select (an outer ORDER BY)."""

from __future__ import annotations

from typing import Any

from manouche.db.models import F
from tests.db.models.modelapp.models import Author, Book


def _books(mdb: Any) -> None:
    author = Author.objects.create(name="A")
    Book.objects.create(title="x", author=author, pages=1)
    Book.objects.create(title="y", author=author, pages=2)
    Book.objects.create(title="x", author=author, pages=3)


def test_ordering_values_become_part_of_the_distinct_rows(mdb: Any) -> None:
    _books(mdb)
    queryset = Book.objects.values("title").distinct().order_by("pages")
    assert list(queryset) == [{"title": "x"}, {"title": "y"}, {"title": "x"}]
    flat = Book.objects.values_list("title", flat=True).distinct()
    assert list(flat.order_by("-pages")) == ["x", "y", "x"]
    assert list(queryset.values_list("title")) == [("x",), ("y",), ("x",)]


def test_selected_ordering_needs_no_extra_column(mdb: Any) -> None:
    _books(mdb)
    queryset = Book.objects.values("title").distinct().order_by("-title")
    assert list(queryset) == [{"title": "y"}, {"title": "x"}]
    assert "__orderbycol" not in str(queryset.query)


def test_expression_ordering_and_slicing(mdb: Any) -> None:
    _books(mdb)
    queryset = (
        Book.objects.values("title")
        .distinct()
        .order_by(F("pages").desc(nulls_last=True))
    )
    assert list(queryset[:2]) == [{"title": "x"}, {"title": "y"}]
