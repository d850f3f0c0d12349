"""Lookups on relations accept model instances and can be subclassed."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.models import ForeignKey
from manouche.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedIn,
)
from manouche.test.utils import register_lookup
from tests.db.models.modelapp.models import Author, Book


class RelatedAbove(RelatedGreaterThan):
    lookup_name = "above"


@pytest.fixture
def books(mdb: Any) -> tuple[Author, Author]:
    first = Author.objects.create(name="first")
    second = Author.objects.create(name="second")
    Book.objects.create(title="one", author=first)
    Book.objects.create(title="two", author=second)
    return first, second


def test_foreign_keys_register_the_related_lookups() -> None:
    lookups = ForeignKey.get_lookups()
    assert lookups["exact"] is RelatedExact
    assert lookups["in"] is RelatedIn


def test_comparisons_take_instances(books: tuple[Author, Author]) -> None:
    first, second = books
    assert [b.title for b in Book.objects.filter(author__gt=first)] == ["two"]
    assert [b.title for b in Book.objects.filter(author__lte=first)] == ["one"]
    titles = Book.objects.filter(author__in=[first, second.pk]).order_by("title")
    assert [b.title for b in titles] == ["one", "two"]


def test_a_subclass_registered_under_a_new_name_works(
    books: tuple[Author, Author],
) -> None:
    first, _second = books
    with register_lookup(ForeignKey, RelatedAbove):
        assert [b.title for b in Book.objects.filter(author__above=first)] == ["two"]


def test_lookup_objects_normalise_instances_themselves(
    books: tuple[Author, Author],
) -> None:
    first, _second = books
    field = Book._meta.get_field("author")
    from manouche.db.models.expressions import Col

    lookup = RelatedExact(Col(None, field), first)
    assert lookup.rhs == first.pk
