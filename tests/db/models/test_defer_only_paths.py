"""defer()/only(): paths through relations, chaining, inheritance, bad names."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from tests.db.models.modelapp.models import Author, Book, Restaurant

BOOK_FIELDS = {
    "title",
    "author_id",
    "publisher_id",
    "pages",
    "price",
    "status",
    "priority",
    "published",
    "created",
    "updated",
}


def _book() -> Book:
    author = Author.objects.create(name="Ann", email="ann@example.com", age=40)
    return Book.objects.create(title="T", author=author, pages=12)


def test_only_through_a_relation_keeps_the_local_key(mdb: Any) -> None:
    book = _book()
    loaded = Book.objects.only("author__name")[0]
    assert loaded.get_deferred_fields() == BOOK_FIELDS - {"author_id"}
    assert loaded.author_id == book.author_id


def test_only_and_defer_reach_select_related_models(mdb: Any) -> None:
    _book()
    only = Book.objects.select_related("author").only("author__name")[0]
    assert only.get_deferred_fields() == BOOK_FIELDS - {"author_id"}
    assert only.author.get_deferred_fields() == {"email", "age", "rating"}
    assert only.author.name == "Ann"
    deferred = Book.objects.select_related("author").defer("author__email")[0]
    assert deferred.get_deferred_fields() == set()
    assert deferred.author.get_deferred_fields() == {"email"}
    assert deferred.author.email == "ann@example.com"


@pytest.mark.parametrize(
    ("build", "deferred"),
    [
        (lambda qs: qs.only("title").defer("title"), set()),
        (lambda qs: qs.only("title").defer("title").defer("pages"), {"pages"}),
        (lambda qs: qs.only("title").defer("title", "pages"), {"pages"}),
        (lambda qs: qs.only("title", "pages").defer("title"), BOOK_FIELDS - {"pages"}),
        (lambda qs: qs.defer("title").only("title"), set()),
        (lambda qs: qs.only("title").defer(None), set()),
    ],
)
def test_only_and_defer_chain(mdb: Any, build: Any, deferred: set[str]) -> None:
    _book()
    assert build(Book.objects.all())[0].get_deferred_fields() == deferred


def test_only_on_a_child_model_loads_its_own_key_only(mdb: Any) -> None:
    Restaurant.objects.create(name="Luigi", address="Main St", serves_pizza=True)
    loaded = Restaurant.objects.only("name").get()
    assert loaded.get_deferred_fields() == {"id", "address", "serves_pizza"}
    assert (loaded.name, loaded.address, loaded.serves_pizza) == (
        "Luigi",
        "Main St",
        True,
    )
    assert loaded.id == loaded.pk


@pytest.mark.parametrize(
    "build",
    [
        lambda: Book.objects.defer("author").select_related("author"),
        lambda: Book.objects.only("title").select_related("author"),
    ],
)
def test_deferred_relation_cannot_be_traversed(mdb: Any, build: Any) -> None:
    with pytest.raises(
        FieldError,
        match=r"Field Book\.author cannot be both deferred and traversed "
        "using select_related at the same time",
    ):
        list(build())


def test_unrestricted_select_related_still_follows_a_deferred_key(mdb: Any) -> None:
    book = _book()
    loaded = Book.objects.defer("author").select_related()[0]
    assert loaded.get_deferred_fields() == {"author_id"}
    assert loaded.author.name == "Ann"
    assert loaded.author.pk == book.author_id


@pytest.mark.parametrize("method", ["defer", "only"])
def test_bad_paths_raise_before_querying(mdb: Any, method: str) -> None:
    with pytest.raises(FieldDoesNotExist, match="Book has no field named 'missing'"):
        list(getattr(Book.objects, method)("missing"))
    with pytest.raises(FieldError, match="missing"):
        list(getattr(Book.objects, method)("title__missing"))
    with pytest.raises(FieldDoesNotExist, match="Author has no field named 'missing'"):
        list(getattr(Book.objects, method)("author__missing"))
