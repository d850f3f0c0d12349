"""Introspection with Django's names, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.db.backends.schema.support import make_model, new_registry


@pytest.fixture(autouse=True)
def _isolated_apps() -> Iterator[Any]:
    with isolate_apps("tests.apps.custom_label") as apps:
        yield apps


@pytest.fixture
def library(database: Any) -> tuple[Any, Any]:
    registry = new_registry()
    author = make_model(
        registry,
        "Author",
        {
            "name": models.CharField(max_length=40, db_index=True),
            "email": models.CharField(max_length=60, unique=True, null=True),
            "rating": models.DecimalField(max_digits=5, decimal_places=2, default=0),
        },
    )
    book = make_model(
        registry,
        "Book",
        {
            "title": models.TextField(),
            "author": models.ForeignKey(author, models.CASCADE),
            "pages": models.IntegerField(),
        },
        indexes=[models.Index(fields=["title", "-pages"], name="book_title_pages")]
        if database.vendor != "mysql"
        else [models.Index(fields=["pages"], name="book_title_pages")],
    )
    database.create_models(author, book)
    return author, book


def call(database: Any, method: str, *args: Any) -> Any:
    introspection = database.connection.introspection
    with database.connection.cursor() as cursor:
        return getattr(introspection, method)(cursor, *args)


def test_table_list_and_names(database, library):
    names = database.connection.introspection.table_names()
    assert {"custom_label_author", "custom_label_book"} <= set(names)
    assert names == sorted(names)
    tables = {info.name: info.type for info in call(database, "get_table_list")}
    assert tables["custom_label_book"] == "t"


def test_table_description(database, library):
    described = {
        info.name: info
        for info in call(database, "get_table_description", "custom_label_author")
    }
    assert list(described) == ["id", "name", "email", "rating"]
    assert described["id"].is_autofield is True
    assert described["name"].internal_size == 40
    assert described["name"].null_ok is False
    assert described["email"].null_ok is True
    assert (described["rating"].precision, described["rating"].scale) == (5, 2)
    introspection = database.connection.introspection
    assert (
        introspection.get_field_type(described["id"].type_code, described["id"])
        == "AutoField"
    )
    assert (
        introspection.get_field_type(described["name"].type_code, described["name"])
        == "CharField"
    )
    assert (
        introspection.get_field_type(described["rating"].type_code, described["rating"])
        == "DecimalField"
    )


def test_relations_and_primary_keys(database, library):
    assert call(database, "get_relations", "custom_label_book") == {
        "author_id": ("id", "custom_label_author")
    }
    assert call(database, "get_primary_key_column", "custom_label_book") == "id"
    assert call(database, "get_primary_key_columns", "custom_label_book") == ["id"]


def test_sequences(database, library):
    sequences = call(database, "get_sequences", "custom_label_author")
    assert [(item["table"], item["column"]) for item in sequences] == [
        ("custom_label_author", "id")
    ]
    if database.vendor == "postgresql":
        assert sequences[0]["name"] == "custom_label_author_id_seq"


def test_constraints(database, library):
    found = call(database, "get_constraints", "custom_label_book")
    keys = {
        "columns",
        "primary_key",
        "unique",
        "foreign_key",
        "check",
        "index",
        "type",
        "orders",
        "definition",
    }
    assert all(keys <= set(info) for info in found.values())
    primary = [info for info in found.values() if info["primary_key"]]
    assert [info["columns"] for info in primary] == [["id"]]
    fks = [info for info in found.values() if info["foreign_key"]]
    assert [(info["columns"], info["foreign_key"]) for info in fks] == [
        (["author_id"], ("custom_label_author", "id"))
    ]
    index = found["book_title_pages"]
    assert index["index"] is True
    assert index["type"] == "idx"
    if database.vendor != "mysql":
        assert index["columns"] == ["title", "pages"]
        assert index["orders"] == ["ASC", "DESC"]
    author = call(database, "get_constraints", "custom_label_author")
    assert any(
        info["unique"] and info["columns"] == ["email"] for info in author.values()
    )
    assert any(
        info["index"] and not info["unique"] and info["columns"] == ["name"]
        for info in author.values()
    )


def test_identifier_converter_keeps_names(database):
    assert (
        database.connection.introspection.identifier_converter("MixedCase")
        == "MixedCase"
    )


def test_django_named_sql_templates(database) -> None:
    from manouche.db import connection

    editor = connection.schema_editor()
    expected = "DROP TABLE %(table)s"
    if database.vendor == "postgresql":
        expected += " CASCADE"
    assert editor.sql_delete_table == expected
    assert connection.ops.end_transaction_sql() == "COMMIT;"
    assert connection.ops.end_transaction_sql(success=False) == "ROLLBACK;"


def test_check_constraints_are_reported_by_name(database: Any) -> None:
    assert database.connection.features.can_introspect_check_constraints
    registry = new_registry()
    gauge = make_model(
        registry,
        "Gauge",
        {"level": models.IntegerField()},
        constraints=[
            models.CheckConstraint(
                condition=models.Q(level__gte=0), name="gauge_level_positive"
            )
        ],
    )
    database.create_models(gauge)
    found = call(database, "get_constraints", "custom_label_gauge")
    assert found["gauge_level_positive"]["check"] is True
