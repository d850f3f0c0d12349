"""Prefetched reverse foreign key sets: cached results, Query built on demand."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from manouche.db import connections
from manouche.db.models import Prefetch
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book


@pytest.fixture
def shelves(mdb: Any) -> list[Author]:
    ann = Author.objects.create(name="ann")
    bob = Author.objects.create(name="bob")
    for title in ("a1", "a2"):
        Book.objects.create(title=title, author=ann)
    Book.objects.create(title="b1", author=bob)
    return list(Author.objects.prefetch_related("books").order_by("name"))


def _count(run: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connections["default"]) as context:
        value = run()
    return value, len(context.captured_queries)


def test_cached_reads_send_no_query(shelves: list[Author]) -> None:
    ann, bob = shelves
    titles, queries = _count(lambda: sorted(b.title for b in ann.books.all()))
    assert (titles, queries) == (["a1", "a2"], 0)
    assert _count(lambda: (bob.books.count(), ann.books.exists())) == ((1, True), 0)
    assert _count(lambda: ann.books.all()[0].author is ann) == (True, 0)


def test_refining_queries_only_that_parent(shelves: list[Author]) -> None:
    ann, bob = shelves
    titles, queries = _count(
        lambda: list(
            ann.books.filter(title__startswith="a").values_list("title", flat=True)
        )
    )
    assert (sorted(titles), queries) == (["a1", "a2"], 1)
    assert list(bob.books.filter(title="a1")) == []
    assert "author_id" in str(bob.books.all().query)


def test_add_remove_clear_drop_the_cache(shelves: list[Author]) -> None:
    ann, bob = shelves
    moved = Book.objects.get(title="b1")
    ann.books.add(moved)
    assert sorted(b.title for b in ann.books.all()) == ["a1", "a2", "b1"]
    assert bob.books.count() == 1  # bob's own cache is not touched by ann's add
    ann.books.all().delete()
    assert list(ann.books.all()) == []
    bob.books.set([])
    assert Book.objects.count() == 0


def test_copies_keep_the_filter(shelves: list[Author]) -> None:
    _ann, bob = shelves
    clone = copy.deepcopy(bob.books.all())
    assert [b.title for b in clone] == ["b1"]
    assert [b.title for b in clone.filter(pages__gt=0)] == ["b1"]


def test_to_attr_and_custom_queryset(mdb: Any, shelves: list[Author]) -> None:
    authors = Author.objects.prefetch_related(
        Prefetch("books", Book.objects.filter(title="a2"), to_attr="picked")
    ).order_by("name")
    assert [[b.title for b in a.picked] for a in authors] == [["a2"], []]
    authors = Author.objects.prefetch_related(
        Prefetch("books", Book.objects.filter(title="a2"))
    ).order_by("name")
    ann = authors[0]
    assert _count(lambda: [b.title for b in ann.books.all()]) == (["a2"], 0)
