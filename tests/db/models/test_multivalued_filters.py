"""filter() across multi-valued relations: one join per filter() call."""

from __future__ import annotations

import pytest

from manouche.db.models import Count, Prefetch
from tests.db.models.modelapp.models import Author, Book, Tag


@pytest.fixture
def shelves(mdb):
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    # Ann: an "Alpha" book of 10 pages and a 500-page "Beta".
    # Bob: one "Alpha" book of 500 pages.
    alpha_ann = Book.objects.create(title="Alpha", author=ann, pages=10)
    beta = Book.objects.create(title="Beta", author=ann, pages=500)
    alpha_bob = Book.objects.create(title="Alpha", author=bob, pages=500)
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    alpha_ann.tags.add(red)
    beta.tags.add(blue)
    alpha_bob.tags.add(red, blue)
    return ann, bob


def names(queryset):
    return sorted(a.name for a in queryset)


def test_conditions_in_one_filter_share_the_join(shelves):
    queryset = Author.objects.filter(books__title="Alpha", books__pages=500)
    assert names(queryset) == ["Bob"]


def test_chained_filters_each_join_the_relation_again(shelves):
    queryset = Author.objects.filter(books__title="Alpha").filter(books__pages=500)
    # Ann has an Alpha book and (another) 500-page book.
    assert names(queryset) == ["Ann", "Bob"]
    assert queryset.count() == 2


def test_chained_filters_across_many_to_many(shelves):
    one_call = Book.objects.filter(tags__name="red", tags__name__startswith="b")
    assert list(one_call) == []
    chained = Book.objects.filter(tags__name="red").filter(tags__name="blue")
    assert [(b.title, b.author.name) for b in chained] == [("Alpha", "Bob")]


def test_chained_filters_through_two_multivalued_steps(shelves):
    queryset = Author.objects.filter(books__tags__name="red").filter(
        books__tags__name="blue"
    )
    assert names(queryset.distinct()) == ["Ann", "Bob"]
    one_call = Author.objects.filter(books__tags__name="red", books__title="Beta")
    assert names(one_call) == []


def test_q_objects_in_one_filter_call_share_the_join(shelves):
    from manouche.db.models import Q

    queryset = Author.objects.filter(Q(books__title="Alpha") & Q(books__pages=500))
    assert names(queryset) == ["Bob"]


def test_ordering_and_annotations_reuse_the_filter_join(shelves):
    filtered = Author.objects.filter(books__pages=500).annotate(n=Count("books"))
    assert sorted((a.name, a.n) for a in filtered) == [("Ann", 1), ("Bob", 1)]
    ordered = Author.objects.filter(books__title="Alpha").order_by("-books__pages")
    assert [a.name for a in ordered] == ["Bob", "Ann"]


def test_aggregate_before_filter_is_not_restricted_by_it(shelves):
    queryset = Author.objects.annotate(n=Count("books")).filter(books__pages=500)
    assert sorted((a.name, a.n) for a in queryset) == [("Ann", 2), ("Bob", 1)]


def test_related_manager_filter_shares_the_relation_join(shelves):
    _ann, bob = shelves
    alpha_bob = bob.books.get()
    # Tags of this book; the next filter() applies to this same book.
    assert sorted(t.name for t in alpha_bob.tags.all()) == ["blue", "red"]
    assert list(alpha_bob.tags.filter(books__title="Beta")) == []
    assert [t.name for t in alpha_bob.tags.filter(books__pages=500)] == [
        "blue",
        "red",
    ]


def test_prefetch_with_a_filtered_queryset_keeps_owner_keys(shelves):
    books = Book.objects.order_by("pk").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.filter(books__title="Beta"))
    )
    assert [[t.name for t in b.tags.all()] for b in books] == [[], ["blue"], ["blue"]]
