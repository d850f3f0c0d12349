"""update() on annotated querysets: aggregate filters kept, aggregate values refused."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Count, F, Max
from tests.db.models.modelapp.models import Author, Book, Tag


@pytest.fixture
def shelf(mdb: Any) -> dict[str, Any]:
    ann = Author.objects.create(name="Ann", age=30)
    bob = Author.objects.create(name="Bob", age=40)
    Author.objects.create(name="Cy", age=50)
    Book.objects.create(title="A1", author=ann)
    Book.objects.create(title="B1", author=bob)
    Book.objects.create(title="B2", author=bob)
    return {"ann": ann, "bob": bob}


def test_update_filtered_on_an_aggregate_updates_the_matching_rows(
    shelf: dict[str, Any],
) -> None:
    counted = Author.objects.annotate(book_count=Count("books"))
    assert counted.filter(book_count=2).update(age=1) == 1
    assert counted.update(email="x@example.com") == 3
    assert list(Author.objects.filter(age=1)) == [shelf["bob"]]


def test_update_with_an_aggregate_value_is_refused(shelf: dict[str, Any]) -> None:
    with pytest.raises(FieldError) as info:
        Author.objects.annotate(top=Max("age")).update(age=F("top"))
    assert str(info.value) == (
        "Aggregate functions are not allowed in this query "
        "(age=Max(Col(modelapp_author, modelapp.Author.age)))."
    )
    with pytest.raises(
        FieldError, match="^Joined field references are not permitted in this query$"
    ):
        Author.objects.annotate(most=Max("books__pages")).update(age=F("most"))


def test_update_ordered_by_an_aggregate_is_refused(shelf: dict[str, Any]) -> None:
    with pytest.raises(FieldError) as info:
        Book.objects.annotate(tag_count=Count("tags")).order_by("-tag_count").update(
            pages=1
        )
    assert str(info.value) == (
        "Cannot update when ordering by an aggregate: "
        "Count(Col(modelapp_book_tags, modelapp.Book_tags.tag))"
    )
    Tag.objects.create(name="t")
    assert Book.objects.annotate(n=Count("tags")).order_by("title").update(pages=2) == 3
