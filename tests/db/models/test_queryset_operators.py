"""QuerySet ``|``, ``&`` and ``^``: each side keeps its filter() calls' joins."""

from __future__ import annotations

from typing import Any

import pytest

from tests.db.models.modelapp.models import Author, Book, Tag


@pytest.fixture
def shelf(mdb: Any) -> dict[str, Any]:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    both = Book.objects.create(title="Both", author=ann)
    both.tags.add(red, blue)
    only_red = Book.objects.create(title="Red", author=bob)
    only_red.tags.add(red)
    Book.objects.create(title="None", author=bob, pages=7)
    return {"ann": ann, "bob": bob, "red": red, "blue": blue}


def titles(queryset: Any) -> list[str]:
    return sorted(book.title for book in queryset)


def test_or_keeps_separate_joins_of_chained_filters(shelf: dict[str, Any]) -> None:
    two_tags = Book.objects.filter(tags=shelf["red"]).filter(tags=shelf["blue"])
    short = Book.objects.filter(pages=7)
    # Two filter() calls: two different tags of one book, not one tag both.
    assert titles(two_tags | short) == ["Both", "None"]
    assert titles(short | two_tags) == ["Both", "None"]


def test_and_then_or_keeps_each_sides_joins(shelf: dict[str, Any]) -> None:
    red = Book.objects.filter(tags=shelf["red"])
    blue = Book.objects.filter(tags=shelf["blue"], author=shelf["ann"])
    short = Book.objects.filter(pages=7)
    assert titles((red & blue) | short) == ["Both", "None"]


def test_or_reuses_the_first_join_of_each_side(shelf: dict[str, Any]) -> None:
    one = Author.objects.filter(books__title="Missing")
    chained = Author.objects.filter(books__title="Red").filter(books__title="None")
    combined = one | chained
    # The right side's first call shares the left side's join; its second
    # call joins again.
    assert str(combined.query).count("JOIN") == 2
    assert [author.name for author in combined] == ["Bob"]


def test_xor_keeps_separate_joins_of_chained_filters(shelf: dict[str, Any]) -> None:
    two_tags = Book.objects.filter(tags=shelf["red"]).filter(tags=shelf["blue"])
    by_bob = Book.objects.filter(author=shelf["bob"])
    assert titles(two_tags ^ by_bob) == ["Both", "None", "Red"]


def test_combined_related_managers_keep_their_known_instances(
    shelf: dict[str, Any],
) -> None:
    ann, bob = shelf["ann"], shelf["bob"]
    either = ann.books.all() | bob.books.all()
    assert {book.author is ann or book.author is bob for book in either} == {True}
    both = Book.objects.filter(title="Both") & ann.books.all()
    (only,) = list(both)
    assert only.author is ann
