"""FilteredRelation: the condition joins in the ON clause, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Count, F, FilteredRelation, Q
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author, Book, Publisher, Tag


@pytest.fixture
def library(mdb: DatabaseFixture) -> dict[str, Any]:
    ann = Author.objects.create(name="Ann")
    bob = Author.objects.create(name="Bob")
    cy = Author.objects.create(name="Cy")
    acme = Publisher.objects.create(name="Acme")
    poem = Book.objects.create(title="Poem", author=ann, pages=10, publisher=acme)
    Book.objects.create(title="Novel", author=ann, pages=500)
    Book.objects.create(title="Essay", author=bob, pages=40)
    short = Tag.objects.create(name="short")
    poem.tags.add(short)
    return {"ann": ann, "bob": bob, "cy": cy, "poem": poem, "short": short}


def _short_books() -> FilteredRelation:
    return FilteredRelation("books", condition=Q(books__pages__lt=50))


def test_outer_join_keeps_rows_without_a_match(library: dict[str, Any]) -> None:
    rows = list(
        Author.objects.annotate(short=_short_books())
        .order_by("name")
        .values_list("name", "short__title")
    )
    assert rows == [("Ann", "Poem"), ("Bob", "Essay"), ("Cy", None)]


def test_filter_through_the_alias(library: dict[str, Any]) -> None:
    authors = Author.objects.annotate(short=_short_books())
    assert list(authors.filter(short__isnull=False).order_by("name")) == [
        library["ann"],
        library["bob"],
    ]
    assert list(authors.filter(short__title="Poem")) == [library["ann"]]
    # The condition lives in the ON clause: "Novel" is not reachable here.
    assert not authors.filter(short__title="Novel").exists()
    assert Author.objects.filter(books__title="Novel").exists()


def test_the_condition_is_not_a_where_clause(library: dict[str, Any]) -> None:
    counts = dict(
        Author.objects.annotate(short=_short_books())
        .annotate(n=Count("short"))
        .values_list("name", "n")
    )
    assert counts == {"Ann": 1, "Bob": 1, "Cy": 0}


def test_alias_is_joined_once_and_shared(library: dict[str, Any]) -> None:
    queryset = (
        Author.objects.alias(short=_short_books())
        .filter(short__pages__gte=10)
        .filter(short__title__startswith="P")
    )
    assert list(queryset) == [library["ann"]]
    assert str(queryset.query).upper().count("JOIN") == 1


def test_forward_relation_and_outer_references(library: dict[str, Any]) -> None:
    books = Book.objects.annotate(
        acme=FilteredRelation("publisher", condition=Q(publisher__name="Acme"))
    )
    assert list(books.filter(acme__isnull=False)) == [library["poem"]]
    assert books.filter(acme__name="Acme").count() == 1
    own_title = Author.objects.annotate(
        named=FilteredRelation("books", condition=Q(books__title=F("name")))
    )
    assert not own_title.filter(named__isnull=False).exists()


def test_many_to_many_relation(library: dict[str, Any]) -> None:
    tagged = Book.objects.annotate(
        short_tag=FilteredRelation("tags", condition=Q(tags__name="short"))
    )
    rows = dict(tagged.values_list("title", "short_tag__name"))
    assert rows == {"Poem": "short", "Novel": None, "Essay": None}


def test_nested_relation_name(library: dict[str, Any]) -> None:
    authors = Author.objects.annotate(
        acme_books=FilteredRelation(
            "books__publisher", condition=Q(books__publisher__name="Acme")
        )
    )
    assert list(authors.filter(acme_books__name="Acme")) == [library["ann"]]


def test_ordering_and_several_aliases(library: dict[str, Any]) -> None:
    authors = Author.objects.annotate(
        short=_short_books(),
        long=FilteredRelation("books", condition=Q(books__pages__gte=50)),
    ).filter(Q(short__isnull=False) | Q(long__isnull=False))
    rows = list(
        authors.order_by("-short__pages", "name").values_list("name", "long__title")
    )
    assert rows == [("Bob", None), ("Ann", "Novel")]


def test_invalid_relation_names_and_conditions(mdb: DatabaseFixture) -> None:
    with pytest.raises(ValueError, match="condition argument must be a Q"):
        FilteredRelation("books", condition="pages < 5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="relation_name cannot be empty"):
        FilteredRelation("")
    with pytest.raises(ValueError, match="cannot contain lookups"):
        Author.objects.annotate(x=FilteredRelation("books__title__icontains"))
    with pytest.raises(ValueError, match="must name relations"):
        Author.objects.annotate(x=FilteredRelation("name"))
    with pytest.raises(ValueError, match="relations outside the 'books'"):
        Author.objects.annotate(x=FilteredRelation("books", condition=Q(name="x")))
    nested = Author.objects.annotate(
        x=FilteredRelation("books", condition=Q(books__publisher__name="Acme"))
    ).filter(x__isnull=False)
    with pytest.raises(FieldError, match="nested relations deeper"):
        list(nested)
    with pytest.raises(ValueError, match="not supported with FilteredRelation"):
        Author.objects.annotate(short=_short_books()).prefetch_related("short__tags")


def test_hostile_alias_is_refused(mdb: DatabaseFixture) -> None:
    with pytest.raises(ValueError, match="Column aliases"):
        Author.objects.annotate(**{"x; DROP TABLE y": _short_books()})


def test_equality_repr_and_deconstruct() -> None:
    relation = _short_books()
    assert relation == _short_books()
    assert relation != FilteredRelation("books")
    assert "books" in repr(relation)
    assert relation.deconstruct() == (
        "manouche.db.models.FilteredRelation",
        ("books",),
        {"condition": Q(books__pages__lt=50)},
    )
    assert relation.clone() == relation


def test_select_related_sets_the_alias_attribute(library: dict[str, Any]) -> None:
    books = (
        Book.objects.annotate(
            acme=FilteredRelation("publisher", condition=Q(publisher__name="Acme")),
            by_ann=FilteredRelation("author", condition=Q(author__name="Ann")),
        )
        .select_related("acme", "by_ann")
        .order_by("title")
    )
    rows = {book.title: (book.acme, book.by_ann) for book in books}
    assert rows["Poem"][0].name == "Acme"
    assert rows["Poem"][1] == library["ann"]
    assert rows["Novel"] == (None, library["ann"])
    assert rows["Essay"] == (None, None)


def test_select_related_refuses_multi_valued_aliases(library: dict[str, Any]) -> None:
    queryset = Author.objects.annotate(short=_short_books()).select_related("short")
    with pytest.raises(FieldError, match="multi-valued FilteredRelation 'short'"):
        list(queryset)


def test_update_delete_and_count_through_the_alias(library: dict[str, Any]) -> None:
    def short_authors() -> Any:
        return Author.objects.annotate(short=_short_books()).filter(
            short__title="Essay"
        )

    assert short_authors().count() == 1
    assert short_authors().update(age=7) == 1
    assert Author.objects.get(age=7) == library["bob"]
    deleted, _ = short_authors().delete()
    assert deleted >= 1
    assert not Author.objects.filter(name="Bob").exists()


def test_exclude_mixing_the_alias_and_a_multi_valued_path(
    library: dict[str, Any],
) -> None:
    authors = Author.objects.annotate(short=_short_books()).exclude(
        Q(short__title="Poem") & Q(books__title="Novel")
    )
    assert sorted(a.name for a in authors) == ["Bob", "Cy"]
