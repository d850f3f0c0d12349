"""Deleting many collected rows issues one DELETE per GET_ITERATOR_CHUNK_SIZE keys."""

from __future__ import annotations

from typing import Any

from manouche.db import connection
from manouche.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book


def test_collected_rows_are_deleted_in_chunks(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    count = 2 * GET_ITERATOR_CHUNK_SIZE + 1
    Book.objects.bulk_create(Book(title=str(i), author=author) for i in range(count))
    with CaptureQueriesContext(connection) as captured:
        deleted, per_model = Book.objects.all().delete()
    assert (deleted, per_model) == (count, {"modelapp.Book": count})
    book_deletes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].upper().startswith("DELETE")
        and "modelapp_book" in q["sql"]
        and "modelapp_book_tags" not in q["sql"]
    ]
    assert len(book_deletes) == 3
