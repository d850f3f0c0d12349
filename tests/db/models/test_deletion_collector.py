"""The Collector: signal and DELETE order, batched and skipped fast deletes."""

from __future__ import annotations

from math import ceil
from typing import Any

from manouche.db import connection
from manouche.db.models import signals
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book, Profile, Publisher


def _log_signals(log: list[tuple[str, str, Any]]) -> tuple[Any, Any]:
    def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
        log.append(("pre", sender.__name__, instance.pk))

    def post(sender: Any, instance: Any, **kwargs: Any) -> None:
        log.append(("post", sender.__name__, instance.pk))

    signals.pre_delete.connect(pre, weak=False)
    signals.post_delete.connect(post, weak=False)
    return pre, post


def test_signals_follow_child_first_order_and_pk_order(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    first = Book.objects.create(title="1", author=author)
    second = Book.objects.create(title="2", author=author)
    author_pk, first_pk, second_pk = author.pk, first.pk, second.pk
    log: list[tuple[str, str, Any]] = []
    pre, post = _log_signals(log)
    try:
        author.delete()
    finally:
        signals.pre_delete.disconnect(pre)
        signals.post_delete.disconnect(post)
    assert log == [
        ("pre", "Book", first_pk),
        ("pre", "Book", second_pk),
        ("pre", "Author", author_pk),
        # Rows go in reverse key order; each model's post_delete follows
        # its own DELETE.
        ("post", "Book", second_pk),
        ("post", "Book", first_pk),
        ("post", "Author", author_pk),
    ]


def test_post_delete_of_children_sees_the_parent_row(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    Book.objects.create(title="1", author=author)
    seen: list[bool] = []

    def post(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(Author.objects.filter(pk=instance.author_id).exists())

    signals.post_delete.connect(post, sender=Book, weak=False)
    try:
        author.delete()
    finally:
        signals.post_delete.disconnect(post, sender=Book)
    assert seen == [True]
    assert not Author.objects.exists()


def test_referencing_rows_are_looked_up_in_batches(mdb: Any) -> None:
    count = 1200
    Author.objects.bulk_create(Author(name=str(i)) for i in range(count))
    batch = max(connection.ops.bulk_batch_size(["author"], range(count)), 1)
    with CaptureQueriesContext(connection) as captured:
        deleted, _ = Author.objects.all().delete()
    assert deleted == count
    # One query per batch of authors, for each kind of referencing row.
    for table in ("modelapp_book", "modelapp_profile"):
        lookups = [
            q["sql"]
            for q in captured.captured_queries
            if f"FROM {table} " in q["sql"] or f"FROM {table}\n" in q["sql"]
        ]
        assert len(lookups) == ceil(count / batch), table
    assert not Author.objects.exists()


def test_fast_delete_matching_nothing_sends_no_query(mdb: Any) -> None:
    author = Author.objects.create(name="kept")
    with CaptureQueriesContext(connection) as captured:
        assert Profile.objects.filter(pk__in=[]).delete() == (0, {})
    assert captured.captured_queries == []
    assert list(Author.objects.all()) == [author]


def test_collected_rows_select_only_the_columns_cascading_needs(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    Book.objects.create(title="t", author=author)
    with CaptureQueriesContext(connection) as captured:
        author.delete()
    book_select = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].upper().startswith("SELECT") and "modelapp_book" in q["sql"]
    )
    columns = book_select.split("FROM")[0]
    assert "modelapp_book.id" in columns
    assert "title" not in columns
    assert not Book.objects.exists()


def test_collected_rows_are_complete_when_signals_listen(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    Book.objects.create(title="t", author=author)
    titles: list[str] = []

    def pre(sender: Any, instance: Any, **kwargs: Any) -> None:
        titles.append(instance.__dict__.get("title", "<deferred>"))

    signals.pre_delete.connect(pre, sender=Book, weak=False)
    try:
        author.delete()
    finally:
        signals.pre_delete.disconnect(pre, sender=Book)
    assert titles == ["t"]


def test_set_null_updates_without_reading_the_rows(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    press = Publisher.objects.create(name="press")
    book = Book.objects.create(title="t", author=author, publisher=press)
    with CaptureQueriesContext(connection) as captured:
        press.delete()
    book_selects = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].upper().startswith("SELECT") and "FROM modelapp_book" in q["sql"]
    ]
    assert book_selects == []
    book.refresh_from_db()
    assert book.publisher_id is None


def test_set_default_callable_runs_only_when_rows_point_here(mdb: Any) -> None:
    # Edition.publisher is SET_DEFAULT with a default creating "fallback".
    press = Publisher.objects.create(name="press")
    press.delete()
    assert not Publisher.objects.filter(name="fallback").exists()
