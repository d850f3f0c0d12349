"""Raw queries: values read through the model's column types; named parameters."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from tests.db.models.modelapp.models import Author, Book


@pytest.fixture
def book(mdb: Any) -> Book:
    author = Author.objects.create(name="Jo")
    return Book.objects.create(
        title="T",
        author=author,
        price=decimal.Decimal("12.50"),
        published=datetime.date(1950, 9, 20),
    )


def test_raw_rows_hold_python_values(book: Book) -> None:
    (row,) = Book.objects.raw("SELECT * FROM modelapp_book")
    assert row.published == datetime.date(1950, 9, 20)
    assert row.price == decimal.Decimal("12.50")
    assert isinstance(row.created, datetime.datetime)


def test_translated_columns_are_converted_too(book: Book) -> None:
    (row,) = Book.objects.raw(
        "SELECT id, published AS day FROM modelapp_book",
        translations={"day": "published"},
    )
    assert row.published == datetime.date(1950, 9, 20)


def test_named_parameters_and_no_parameters(book: Book) -> None:
    named = Author.objects.raw(
        "SELECT * FROM modelapp_author WHERE name = %(name)s", {"name": "Jo"}
    )
    assert [a.name for a in named] == ["Jo"]
    like = Author.objects.raw(
        "SELECT * FROM modelapp_author WHERE name LIKE 'J%%'", params=None
    )
    assert len(like) == 1
    with pytest.raises(KeyError, match="no parameter named 'missing'"):
        list(
            Author.objects.raw(
                "SELECT * FROM modelapp_author WHERE name = %(missing)s", {}
            )
        )
