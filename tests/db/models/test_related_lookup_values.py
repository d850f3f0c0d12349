"""Instances and QuerySets of an unrelated model are refused by filter()."""

from __future__ import annotations

from typing import Any

import pytest

from tests.db.models.modelapp.models import Author, Book, BookProxy, Tag


@pytest.fixture
def library(mdb: Any) -> dict[str, Any]:
    ann = Author.objects.create(name="Ann")
    book = Book.objects.create(title="Alpha", author=ann)
    tag = Tag.objects.create(name="red")
    return {"ann": ann, "book": book, "tag": tag}


def test_instance_of_another_model_is_refused(library: dict[str, Any]) -> None:
    tag, ann = library["tag"], library["ann"]
    message = 'Cannot query "red": Must be "Author" instance.'
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(author=tag)
    with pytest.raises(ValueError, match=message):
        Book.objects.exclude(author__in=[ann, tag])
    with pytest.raises(ValueError, match=message):
        Book.objects.get(author=tag)


def test_reverse_relation_checks_the_instances_too(library: dict[str, Any]) -> None:
    ann = library["ann"]
    with pytest.raises(ValueError, match='Cannot query "Ann": Must be "Book"'):
        Author.objects.filter(books=ann)


def test_proxy_instances_and_querysets_are_accepted(library: dict[str, Any]) -> None:
    ann, book = library["ann"], library["book"]
    proxy = BookProxy.objects.get(pk=book.pk)
    assert list(Author.objects.filter(books=proxy)) == [ann]
    assert list(Author.objects.filter(books__in=BookProxy.objects.all())) == [ann]
    assert list(Book.objects.filter(author__in=Author.objects.all())) == [book]


def test_queryset_of_another_model_is_refused(library: dict[str, Any]) -> None:
    message = 'Cannot use QuerySet for "Tag": Use a QuerySet for "Author".'
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(author__in=Tag.objects.all())
    # values() chooses the compared column: any model may answer.
    chosen = Tag.objects.filter(name="none").values("pk")
    assert list(Book.objects.filter(author__in=chosen)) == []


def test_malformed_key_value_fails_in_filter(library: dict[str, Any]) -> None:
    message = "Field 'id' expected a number but got 'abc'."
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(author="abc")
    with pytest.raises(ValueError, match=message):
        Book.objects.filter(author__in=[1, "abc"])
