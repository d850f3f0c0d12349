"""Expressions as field values of Model.save(): what INSERT and UPDATE accept."""

from __future__ import annotations

import decimal
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.db.models import F, Max, Value
from manouche.db.models.functions import Lower
from manouche.test.utils import isolate_apps
from tests.db.models.modelapp.models import Author, Book


def test_an_aggregate_cannot_be_inserted(mdb: Any) -> None:
    message = (
        r"Aggregate functions are not allowed in this query "
        r"\(age=Max\(Value\(1\)\)\)\."
    )
    with pytest.raises(FieldError, match=message):
        Author.objects.create(name="Ann", age=Max(Value(1)))
    assert Author.objects.count() == 0


def test_a_column_reference_cannot_be_inserted(mdb: Any) -> None:
    author: Any = Author(name="Ann", age=F("age") + 1)
    message = (
        r'Failed to insert expression "Col\(modelapp_author, modelapp.Author.age\) '
        r'\+ Value\(1\)" on modelapp.Author.age. F\(\) expressions can only be '
        r"used to update, not to insert."
    )
    with pytest.raises(ValueError, match=message):
        author.save()
    author.age = 3
    author.name = Lower(F("name"))
    message = r'Failed to insert expression "Lower\(Col\(modelapp_author, '
    with pytest.raises(ValueError, match=message):
        author.save()
    author.name = Lower(Value("ANN"))  # no column: fine
    author.save()
    author.refresh_from_db()
    assert author.name == "ann"


def test_an_update_cannot_read_a_joined_field(mdb: Any) -> None:
    author = Author.objects.create(name="Ann", age=30)
    book = Book.objects.create(title="One", author=author)
    book.title = F("author__name")
    with pytest.raises(FieldError, match="Joined field references are not permitted"):
        book.save()
    book.title = Lower(F("title"))
    book.save()
    book.refresh_from_db()
    assert book.title == "one"


def test_decimal_arithmetic_reads_back_without_float_noise(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Measure(models.Model):
            value = models.DecimalField(max_digits=20, decimal_places=17)

            class Meta:
                app_label = "custom_label"

        database.create_models(Measure)
        row = Measure.objects.create(value=decimal.Decimal("0.5"))
        # SQLite computes in floats: 0.09999999999999998 before rounding.
        row.value = F("value") - decimal.Decimal("0.4")
        row.save()
        row.refresh_from_db()
        assert row.value == decimal.Decimal("0.1")
