"""bulk_create through one array per column (PostgreSQL) and its fallbacks."""

from __future__ import annotations

import datetime
import decimal
from types import SimpleNamespace
from typing import Any

from manouche.db import connections
from manouche.db.models._bulk_unnest import unnest_columns
from manouche.test.utils import CaptureQueriesContext
from tests.db.models.modelapp.models import Author, Book

NAME = SimpleNamespace(attname="name")
WHEN = SimpleNamespace(attname="when")


def test_uniform_columns_become_lists() -> None:
    rows = [{"name": "a"}, {"name": None}, {"name": "c"}]
    assert unnest_columns(rows, [NAME]) == [["a", None, "c"]]


def test_mixed_python_types_are_refused() -> None:
    assert unnest_columns([{"name": "a"}, {"name": 1}], [NAME]) is None


def test_non_scalar_values_are_refused() -> None:
    assert unnest_columns([{"name": ["x"]}, {"name": ["y"]}], [NAME]) is None


def test_aware_and_naive_datetimes_are_refused() -> None:
    naive = datetime.datetime(2026, 1, 1)
    aware = naive.replace(tzinfo=datetime.UTC)
    assert unnest_columns([{"when": naive}, {"when": aware}], [WHEN]) is None
    assert unnest_columns([{"when": aware}, {"when": aware}], [WHEN]) is not None


def _inserts(context: Any) -> list[str]:
    return [q["sql"] for q in context.captured_queries if "INSERT" in q["sql"]]


def test_keys_match_objects_across_batches(mdb: Any) -> None:
    objs = [Author(name=f"n{i:02}", age=i, rating=i / 3) for i in range(25)]
    with CaptureQueriesContext(connections["default"]) as context:
        created = Author.objects.bulk_create(objs, batch_size=10)
    assert len(_inserts(context)) == 3
    if mdb.vendor == "postgresql":
        assert all("unnest" in sql for sql in _inserts(context))
    stored = {a.pk: (a.name, a.age, a.rating) for a in Author.objects.all()}
    assert len(stored) == 25
    if mdb.connection.features.can_return_rows_from_bulk_insert:
        assert {o.pk: (o.name, o.age, o.rating) for o in created} == stored


def test_nulls_decimals_and_defaults_round_trip(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    books = [
        Book(title="t1", author=author, price=decimal.Decimal("1.50")),
        Book(title="t2", author=author),
        Book(title="t3", author=author, price=decimal.Decimal("3.25")),
    ]
    Book.objects.bulk_create(books)
    stored = dict(Book.objects.values_list("title", "price"))
    assert stored == {
        "t1": decimal.Decimal("1.50"),
        "t2": decimal.Decimal("0"),
        "t3": decimal.Decimal("3.25"),
    }
    assert Book.objects.filter(publisher__isnull=True).count() == 3


def test_json_column_falls_back_to_values(mdb: Any) -> None:
    from tests.db.models.modelapp.models import Everything

    objs = [Everything(data={"k": i}, when=None, ratio=i / 2) for i in range(3)]
    with CaptureQueriesContext(connections["default"]) as context:
        created = Everything.objects.bulk_create(objs)
    assert not any("unnest" in sql for sql in _inserts(context))
    stored = dict(Everything.objects.values_list("pk", "data"))
    assert sorted(d["k"] for d in stored.values()) == [0, 1, 2]
    if mdb.connection.features.can_return_rows_from_bulk_insert:
        assert {o.pk: o.data for o in created} == stored


def test_ignore_conflicts_through_arrays(mdb: Any) -> None:
    from tests.db.models.modelapp.models import Publisher

    Publisher.objects.create(name="p")
    Publisher.objects.bulk_create(
        [Publisher(name="p"), Publisher(name="q"), Publisher(name="r")],
        ignore_conflicts=True,
    )
    assert sorted(Publisher.objects.values_list("name", flat=True)) == ["p", "q", "r"]


def test_awkward_strings_and_numbers_round_trip(mdb: Any) -> None:
    names = [
        "",
        "NULL",
        "null",
        'a "quoted" {brace}, comma',
        "back\\slash",
        "é ✓",
        " x ",
    ]
    objs = [
        Author(name=name, age=None if i % 2 else -i, rating=float(i) / 7)
        for i, name in enumerate(names)
    ]
    created = Author.objects.bulk_create(objs)
    stored = {a.name: (a.age, a.rating) for a in Author.objects.all()}
    assert stored == {o.name: (o.age, o.rating) for o in objs}
    if mdb.connection.features.can_return_rows_from_bulk_insert:
        assert [Author.objects.get(pk=o.pk).name for o in created] == names


def test_preset_uuid_keys_go_in(mdb: Any) -> None:
    from tests.db.models.modelapp.models import UUIDItem

    objs = [UUIDItem(label=f"l{i}") for i in range(4)]
    with CaptureQueriesContext(connections["default"]) as context:
        UUIDItem.objects.bulk_create(objs)
    if mdb.vendor == "postgresql":
        assert all("unnest" in sql for sql in _inserts(context))
    assert dict(UUIDItem.objects.values_list("pk", "label")) == {
        o.pk: o.label for o in objs
    }
