"""Lookups spanning several relations in every direction."""

from __future__ import annotations

import pickle

import pytest

from manouche.db.models import Count, Q
from tests.db.models.modelapp.models import Author, Book, Tag


@pytest.fixture
def graph(mdb):
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    python = Tag.objects.create(name="python")
    web = Tag.objects.create(name="web")
    a1 = Book.objects.create(title="A1", author=ann, pages=10)
    a2 = Book.objects.create(title="A2", author=ann, pages=20)
    b1 = Book.objects.create(title="B1", author=bob, pages=30)
    a1.tags.add(python)
    a2.tags.add(python, web)
    b1.tags.add(web)
    return ann, bob, python, web


def test_reverse_then_many_to_many(graph):
    assert list(
        Author.objects.filter(books__tags__name="python")
        .distinct()
        .values_list("name", flat=True)
    ) == ["Ann"]
    assert list(
        Tag.objects.filter(books__author__name="Bob").values_list("name", flat=True)
    ) == ["web"]


def test_exclude_across_many_relations(graph):
    assert (
        list(
            Author.objects.exclude(books__tags__name="web").values_list(
                "name", flat=True
            )
        )
        == []
    )
    assert (
        list(Author.objects.exclude(books__pages__gt=15).values_list("name", flat=True))
        == []
    )
    assert list(
        Author.objects.exclude(books__pages__gt=25).values_list("name", flat=True)
    ) == ["Ann"]


def test_values_and_order_across_reverse_relations(graph):
    rows = list(
        Author.objects.filter(name="Ann")
        .order_by("-books__pages")
        .values_list("books__title", flat=True)
    )
    assert rows == ["A2", "A1"]


def test_count_through_two_relations(graph):
    counts = dict(
        Author.objects.annotate(n=Count("books__tags")).values_list("name", "n")
    )
    assert counts == {"Ann": 3, "Bob": 1}
    distinct = dict(
        Author.objects.annotate(n=Count("books__tags", distinct=True)).values_list(
            "name", "n"
        )
    )
    assert distinct == {"Ann": 2, "Bob": 1}


def test_or_across_relations(graph):
    titles = Book.objects.filter(Q(author__name="Bob") | Q(pages__lt=15)).order_by(
        "title"
    )
    assert [b.title for b in titles] == ["A1", "B1"]


def test_instances_pickle(graph):
    ann = Author.objects.get(name="Ann")
    restored = pickle.loads(pickle.dumps(ann))
    assert restored == ann
    assert restored.name == "Ann"
    assert restored._state.db == ann._state.db
    queryset = pickle.loads(pickle.dumps(Author.objects.order_by("name")))
    assert [a.name for a in queryset] == ["Ann", "Bob"]
