"""exclude() across a multi-valued relation inside a subquery, and querysets
given to annotate()."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Exists, F, OuterRef
from tests.db.models.modelapp.models import Author, Book, Tag


def test_outer_ref_in_a_multivalued_exclude_names_the_outer_query(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    red, blue = Tag.objects.create(name="red"), Tag.objects.create(name="blue")
    both = Book.objects.create(title="Both", author=ann)
    both.tags.add(red, blue)
    only_red = Book.objects.create(title="Red", author=ann)
    only_red.tags.add(red)
    missing_a_tag = Book.objects.filter(
        Exists(Tag.objects.exclude(books=OuterRef("pk")))
    )
    assert list(missing_a_tag) == [only_red]


def test_a_queryset_annotation_is_a_subquery(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    Author.objects.create(name="Bob")
    book = Book.objects.create(title="Alpha", author=ann)
    first_book = Book.objects.filter(author=OuterRef("pk")).values("pk")[:1]
    rows = Author.objects.annotate(first_book=first_book).values_list(
        "name", "first_book"
    )
    assert sorted(rows) == [("Ann", book.pk), ("Bob", None)]


def test_in_lookup_against_one_reference(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    tagged = Book.objects.create(title="Tagged", author=ann)
    tagged.tags.add(Tag.objects.create(name="red"))
    Book.objects.create(title="Bare", author=ann)
    with_tags = Book.objects.filter(
        Exists(Tag.objects.filter(books__in=OuterRef("pk")))
    )
    assert list(with_tags) == [tagged]
    assert Book.objects.filter(pages__in=F("pages")).count() == 2
