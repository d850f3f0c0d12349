"""Positive integer columns carry CHECK (>= 0): the database refuses negatives."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import IntegrityError, transaction
from manouche.db.models import F
from tests.db.models.modelapp.models import Author, Book, Everything


def test_positive_integer_columns_refuse_negative_values(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    book = Book.objects.create(title="t", author=author, pages=0)
    book.pages = F("pages") - 1
    with pytest.raises(IntegrityError), transaction.atomic():
        book.save()
    row = Everything.objects.create()
    for name in ("positive_small", "positive_big"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Everything.objects.filter(pk=row.pk).update(**{name: F(name) - 1})
