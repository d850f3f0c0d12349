"""The short paths of fetch and get() behave exactly like the general ones.

Covers the cached statements (``sql._fast``), the short ``get()``
(``_fast_get``) and the generated row builders (``_row_builder``): signals
connected after a builder was cached, deferred fields, select_related,
errors, and the database layer's replayed statements.
"""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.db import connection, connections
from manouche.db.models import signals
from manouche.db.models._row_builder import rows_builder
from manouche.db.models.query import QuerySet
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.db.models.modelapp.models import Author, Book, Everything, Publisher


@pytest.fixture
def ann(mdb: Any) -> Any:
    return Author.objects.create(name="Ann", age=30, rating=2.5)


def test_post_init_receiver_connected_after_a_fetch_runs_for_later_fetches(
    ann: Any,
) -> None:
    assert [a.name for a in Author.objects.all()] == ["Ann"]
    Author.objects.get(pk=ann.pk)  # both short paths have built and cached
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append((sender, instance.name))

    signals.post_init.connect(receiver, sender=Author)
    try:
        fetched = list(Author.objects.all())
        got = Author.objects.get(pk=ann.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=Author)
    assert seen == [(Author, "Ann"), (Author, "Ann")]
    assert fetched[0]._state.adding is False
    assert got._state.db == "default"
    seen.clear()
    list(Author.objects.all())
    assert seen == []


def test_pre_init_receiver_connected_later_sees_fetched_rows(ann: Any) -> None:
    list(Author.objects.all())
    calls: list[Any] = []

    def receiver(sender: Any, args: Any, kwargs: Any, **extra: Any) -> None:
        calls.append(sender)

    signals.pre_init.connect(receiver, sender=Author)
    try:
        Author.objects.get(pk=ann.pk)
    finally:
        signals.pre_init.disconnect(receiver, sender=Author)
    assert calls == [Author]


def test_fetched_instances_carry_state_and_values(ann: Any) -> None:
    Author.objects.create(name="Bob", age=None, rating=1.0)
    first, second = Author.objects.all()
    assert (first.name, first.age, first.rating) == ("Ann", 30, 2.5)
    assert (second.name, second.age) == ("Bob", None)
    assert first._state.adding is False
    assert first._state.db == "default"
    assert first.get_deferred_fields() == set()


def test_deferred_fields_load_on_access_after_a_cached_full_fetch(ann: Any) -> None:
    list(Author.objects.all())
    only = Author.objects.only("name").get(pk=ann.pk)
    assert only.get_deferred_fields() == {"email", "age", "rating"}
    assert only.age == 30
    (deferred,) = Author.objects.defer("age")
    assert deferred.get_deferred_fields() == {"age"}
    assert deferred.age == 30


def test_booleans_come_back_as_bool_on_replayed_statements(mdb: Any) -> None:
    Everything.objects.create(flag=True, maybe=None)
    Everything.objects.create(flag=False, maybe=False)
    for _ in range(3):  # the first run goes through Core, the others replay
        values = [(e.flag, e.maybe) for e in Everything.objects.order_by("pk")]
        assert values == [(True, None), (False, False)]
        assert all(type(flag) is bool for flag, _ in values)


def test_get_errors_match_the_general_path(ann: Any) -> None:
    with pytest.raises(Author.DoesNotExist, match=r"^Author matching query does"):
        Author.objects.get(pk=ann.pk + 1000)
    for _ in range(22):
        Author.objects.create(name="twin")
    with pytest.raises(Author.MultipleObjectsReturned) as many:
        Author.objects.get(name="twin")
    assert str(many.value) == (
        "get() returned more than one Author -- it returned more than 20!"
    )
    with pytest.raises(ValueError, match="Field 'id' expected a number but got 'x'"):
        Author.objects.get(pk="x")


def test_get_with_an_instance_value_and_exact_suffix(ann: Any) -> None:
    book = Book.objects.create(title="T", author=ann)
    assert Book.objects.get(author=ann) == book
    assert Book.objects.get(author__exact=ann.pk) == book
    assert Book.objects.get(author_id=ann.pk) == book
    assert Author.objects.get(id__exact=ann.pk) == ann


def test_get_with_prefetch_related_still_prefetches(ann: Any) -> None:
    Book.objects.create(title="T", author=ann)
    author = Author.objects.prefetch_related("books").get(pk=ann.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [b.title for b in author.books.all()] == ["T"]
    assert len(queries.captured_queries) == 0


def test_get_runs_one_logged_query(ann: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert Author.objects.get(pk=ann.pk).name == "Ann"
    assert len(queries.captured_queries) == 3
    assert str(ann.pk) in queries.captured_queries[-1]["sql"]


def test_get_on_a_reversed_or_sliced_queryset(ann: Any) -> None:
    assert Author.objects.reverse().get(pk=ann.pk) == ann
    with pytest.raises(TypeError, match="Cannot filter a query once a slice"):
        Author.objects.all()[:1].get(pk=ann.pk)


async def test_sync_get_in_async_code_is_refused(ann: Any) -> None:
    with pytest.raises(SynchronousOnlyOperation):
        Author.objects.get(pk=ann.pk)


async def test_aget_errors_match_the_general_path(ann: Any) -> None:
    with pytest.raises(Author.DoesNotExist, match=r"^Author matching query does"):
        await Author.objects.aget(pk=ann.pk + 1000)
    for _ in range(22):
        await Author.objects.acreate(name="twin")
    with pytest.raises(Author.MultipleObjectsReturned) as many:
        await Author.objects.aget(name="twin")
    assert str(many.value) == (
        "get() returned more than one Author -- it returned more than 20!"
    )
    with pytest.raises(ValueError, match="Field 'id' expected a number but got 'x'"):
        await Author.objects.aget(pk="x")


async def test_aget_takes_the_short_path_with_one_logged_query(
    ann: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from manouche.db.models._io import arun

    book = await Book.objects.acreate(title="T", author=ann)
    driven: list[Any] = []

    async def counting_arun(operation: Any) -> Any:
        driven.append(operation)
        return await arun(operation)

    target = "manouche.db.models._queryset_evaluation.arun"
    monkeypatch.setattr(target, counting_arun)
    with CaptureQueriesContext(connection) as queries:
        assert (await Author.objects.aget(pk=ann.pk)).name == "Ann"
        assert await Book.objects.aget(author=ann) == book
        assert await Book.objects.aget(author__exact=ann.pk) == book
    assert len(queries.captured_queries) == 3
    assert str(ann.pk) in queries.captured_queries[0]["sql"]
    assert driven == []  # no operation generator: the short path
    # A patched get operation is no longer the stock one: the general path.
    general: list[Any] = []
    original = QuerySet._get_operation

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        general.append(kwargs)
        return (yield from original(self, *args, **kwargs))

    monkeypatch.setattr(QuerySet, "_get_operation", counting)
    assert await Author.objects.aget(id__exact=ann.pk) == ann
    assert general == [{"id__exact": ann.pk}]
    assert len(driven) == 1


async def test_aget_with_prefetch_related_still_prefetches(ann: Any) -> None:
    await Book.objects.acreate(title="T", author=ann)
    author = await Author.objects.prefetch_related("books").aget(pk=ann.pk)
    with CaptureQueriesContext(connection) as queries:
        assert [b.title for b in author.books.all()] == ["T"]
    assert len(queries.captured_queries) == 0


def test_select_related_builds_null_and_nested_objects(ann: Any) -> None:
    publisher = Publisher.objects.create(name="P")
    Book.objects.create(title="A", author=ann, publisher=publisher)
    Book.objects.create(title="B", author=ann, publisher=None)
    books = list(Book.objects.select_related("author", "publisher").order_by("title"))
    with CaptureQueriesContext(connection) as queries:
        assert books[0].publisher.name == "P"
        assert books[0].author.name == "Ann"
        assert books[1].publisher is None
        assert books[0].author._state.db == "default"
    assert len(queries.captured_queries) == 0


def test_rows_builder_fills_instances_from_an_offset(mdb: Any) -> None:
    build = rows_builder(Author, ["id", "name"], start=1, nullable=True)
    built = build([("x", 7, "Ann"), ("y", None, None)], "other")
    assert built[1] is None
    assert built[0].__dict__ == {"id": 7, "name": "Ann", "_state_db": "other"}
    assert built[0]._state.db == "other"
    assert rows_builder(Author, ["id", "name"], start=1, nullable=True) is build


def test_rows_builder_keeps_odd_attribute_names_as_data(mdb: Any) -> None:
    name = 'it\'s "odd"\n'
    build = rows_builder(Author, ["id", name], whole_row=True)
    (obj,) = build([(1, "v")], "default")
    assert obj.__dict__[name] == "v"


def test_prefetch_reads_from_the_instances_database(ann: Any, mdb: Any) -> None:
    if mdb.name == "sqlite":
        pytest.skip("a second alias of in-memory SQLite is another database")
    Book.objects.create(title="T", author=ann)
    databases = {"default": mdb.settings, "other": dict(mdb.settings)}
    with override_settings(DATABASES=databases):
        try:
            with CaptureQueriesContext(connections["other"]) as queries:
                (author,) = Author.objects.using("other").prefetch_related("books")
            assert [book.title for book in author.books.all()] == ["T"]
            assert author.books.all()[0]._state.db == "other"
            assert len(queries.captured_queries) == 2
        finally:
            connections["other"].close()


def test_get_honours_a_fetch_operation_patched_later(
    ann: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Author.objects.get(pk=ann.pk)
    calls: list[Any] = []
    original = QuerySet._fetch_operation

    def counting(self: Any) -> Any:
        calls.append(self.model)
        return (yield from original(self))

    monkeypatch.setattr(QuerySet, "_fetch_operation", counting)
    assert Author.objects.get(pk=ann.pk) == ann
    assert calls == [Author]


def test_replayed_fetch_of_every_field_type_matches_the_first_fetch(
    mdb: Any,
) -> None:
    import datetime
    import decimal
    import uuid

    Everything.objects.create(
        big=2**40,
        small=-3,
        flag=True,
        maybe=None,
        text="t",
        uid=uuid.UUID(int=7),
        ip="10.0.0.1",
        when=datetime.datetime(2024, 5, 6, 7, 8, 9, 123456),
        day=datetime.date(2024, 5, 6),
        clock=datetime.time(1, 2, 3, 4),
        span=datetime.timedelta(days=1, microseconds=5),
        blob=b"\x00\xff",
        amount=decimal.Decimal("12.340"),
        ratio=0.1,
        data={"a": [1, None]},
    )

    def fetched() -> list[Any]:
        (obj,) = Everything.objects.all()
        data = dict(obj.__dict__)
        data.pop("_state", None)
        data.pop("_state_db", None)
        return sorted((key, repr(value)) for key, value in data.items())

    first = fetched()  # through Core
    assert fetched() == first  # replayed (PostgreSQL: decides the format)
    assert fetched() == first  # replayed (PostgreSQL: binary where safe)


def test_replayed_fetches_of_plain_columns_keep_their_values(ann: Any) -> None:
    Author.objects.create(name="Bob", email="b@example.com", age=None, rating=0.1)
    first = [(a.pk, a.name, a.email, a.age, a.rating) for a in Author.objects.all()]
    for _ in range(2):  # replays (PostgreSQL: text, then binary results)
        again = [(a.pk, a.name, a.email, a.age, a.rating) for a in Author.objects.all()]
        assert repr(again) == repr(first)


async def test_async_replays_keep_their_values(ann: Any) -> None:
    await Author.objects.acreate(name="Bob", age=None, rating=0.1)

    async def fetched() -> str:
        return repr(
            [(a.pk, a.name, a.age, a.rating) async for a in Author.objects.all()]
        )

    first = await fetched()  # through Core
    assert await fetched() == first  # replayed (PostgreSQL: text, decides)
    assert await fetched() == first  # replayed (PostgreSQL: binary)
    assert (await Author.objects.aget(pk=ann.pk)).name == "Ann"
    if connection.vendor == "postgresql":
        states = [
            plan.driver_state
            for _, plan in connection._async_plans.values()
            if plan is not None
        ]
        assert any(state is not None and state[1] for state in states)


def test_expiring_the_meta_cache_forgets_cached_statements_and_builders(
    ann: Any,
) -> None:
    list(Author.objects.all())
    Author.objects.get(pk=ann.pk)
    cached = ("_fast_statements", "_fast_get_statements", "_rows_builders")
    assert all(name in vars(Author._meta) for name in cached)
    Author._meta._expire_cache()
    assert not any(name in vars(Author._meta) for name in cached)
    assert Author.objects.get(pk=ann.pk).name == "Ann"
