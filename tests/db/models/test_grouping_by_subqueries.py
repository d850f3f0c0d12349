"""GROUP BY of subquery annotations that read a multivalued outer relation."""

from __future__ import annotations

from typing import Any

from manouche.db.models import Count, OuterRef, Subquery
from tests.db.models.modelapp.models import Author, Book


def test_subquery_reading_a_reverse_relation_keeps_one_group_per_row(
    mdb: Any,
) -> None:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    Author.objects.create(name="Cy")
    for title, author in [("One", ann), ("Two", ann), ("Three", bob)]:
        Book.objects.create(title=title, author=author)
    same_title = Author.objects.filter(
        pk=OuterRef("pk"), books__title=OuterRef("books__title")
    ).values("pk")
    authors = Author.objects.annotate(same=Subquery(same_title)).annotate(
        n=Count("books")
    )
    assert authors.count() == 3
    rows = sorted(authors.values_list("name", "same", "n"))
    assert rows == [("Ann", ann.pk, 2), ("Bob", bob.pk, 1), ("Cy", None, 0)]


def test_values_list_groups_by_a_queryset_or_its_query(mdb: Any) -> None:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    Author.objects.create(name="Cy")
    for title, author in [("One", ann), ("Two", ann), ("Three", bob)]:
        Book.objects.create(title=title, author=author)
    books_per_author = (
        Book.objects.filter(author=OuterRef("pk"))
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for group in (books_per_author, books_per_author.query):
        breakdown = Author.objects.values_list(group).annotate(total=Count("*"))
        assert dict(breakdown) == {None: 1, 1: 1, 2: 1}
