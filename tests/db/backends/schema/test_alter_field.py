"""alter_field on every backend: rows survive, introspection shows the change."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import IntegrityError, models, transaction
from tests.db.backends.schema.support import (
    columns,
    constraint_kinds,
    edit,
    field_named,
    make_model,
    new_registry,
    quoted,
    rows,
)

TABLE = "custom_label_item"


def item_model(**fields: Any) -> Any:
    return make_model(new_registry(), "Item", fields)


def alter(database: Any, model: Any, name: str, new_field: Any, **kwargs: Any) -> None:
    new_field = field_named(new_field, name, model)
    with edit(database) as editor:
        editor.alter_field(model, model._meta.get_field(name), new_field, **kwargs)


def insert(database: Any, **values: Any) -> None:
    names = ", ".join(quoted(database, name) for name in values)
    marks = ", ".join(["%s"] * len(values))
    with database.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(database, TABLE)} ({names}) VALUES ({marks})",
            list(values.values()),
        )


def test_change_type_casts_existing_values(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    model.objects.create(code="12")
    model.objects.create(code="7")
    alter(database, model, "code", models.IntegerField())
    assert columns(database, TABLE)["code"].type_code in {"INTEGER", "INT"}
    assert rows(database, f"SELECT code FROM {TABLE} ORDER BY code") == [(7,), (12,)]


def test_widen_integer_and_lengthen_string(database):
    model = item_model(
        count=models.IntegerField(), label=models.CharField(max_length=5)
    )
    database.create_models(model)
    model.objects.create(count=2_000_000_000, label="abc")
    alter(database, model, "count", models.BigIntegerField())
    after = item_model(
        count=models.BigIntegerField(), label=models.CharField(max_length=5)
    )
    alter(database, after, "label", models.CharField(max_length=300))
    described = columns(database, TABLE)
    assert described["count"].type_code == "BIGINT"
    assert described["label"].internal_size == 300
    with database.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET count = count * 4, label = %s", ["x" * 300])
    assert rows(database, f"SELECT count FROM {TABLE}") == [(8_000_000_000,)]


def test_null_to_not_null_fills_the_default(database):
    model = item_model(size=models.IntegerField(null=True))
    database.create_models(model)
    model.objects.create(size=None)
    model.objects.create(size=3)
    alter(database, model, "size", models.IntegerField(default=1))
    assert columns(database, TABLE)["size"].null_ok is False
    assert rows(database, f"SELECT size FROM {TABLE} ORDER BY id") == [(1,), (3,)]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(database, size=None)


def test_not_null_to_null(database):
    model = item_model(size=models.IntegerField())
    database.create_models(model)
    model.objects.create(size=5)
    alter(database, model, "size", models.IntegerField(null=True))
    insert(database, size=None)
    assert columns(database, TABLE)["size"].null_ok is True
    assert rows(database, f"SELECT size FROM {TABLE} ORDER BY id") == [(5,), (None,)]


def test_db_default_added_and_removed(database):
    model = item_model(size=models.IntegerField(null=True), name=models.TextField())
    database.create_models(model)
    model.objects.create(size=2, name="a")
    alter(database, model, "size", models.IntegerField(null=True, db_default=9))
    insert(database, name="b")
    after = item_model(
        size=models.IntegerField(null=True, db_default=9), name=models.TextField()
    )
    alter(database, after, "size", models.IntegerField(null=True))
    insert(database, name="c")
    assert rows(database, f"SELECT size FROM {TABLE} ORDER BY id") == [
        (2,),
        (9,),
        (None,),
    ]


def test_unique_added_then_removed(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    model.objects.create(code="a")
    alter(database, model, "code", models.CharField(max_length=10, unique=True))
    assert constraint_kinds(database, TABLE, "code") == {"unique"}
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(database, code="a")
    unique = item_model(code=models.CharField(max_length=10, unique=True))
    alter(database, unique, "code", models.CharField(max_length=10))
    assert constraint_kinds(database, TABLE, "code") == set()
    insert(database, code="a")
    assert rows(database, f"SELECT count(*) FROM {TABLE}") == [(2,)]


def test_index_added_then_removed(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    model.objects.create(code="a")
    alter(database, model, "code", models.CharField(max_length=10, db_index=True))
    assert constraint_kinds(database, TABLE, "code") == {"index"}
    indexed = item_model(code=models.CharField(max_length=10, db_index=True))
    alter(database, indexed, "code", models.CharField(max_length=10))
    assert constraint_kinds(database, TABLE, "code") == set()
    assert rows(database, f"SELECT code FROM {TABLE}") == [("a",)]


def test_rename_column_keeps_index_and_values(database):
    model = item_model(code=models.CharField(max_length=10, db_index=True))
    database.create_models(model)
    model.objects.create(code="a")
    alter(
        database,
        model,
        "code",
        models.CharField(max_length=10, db_index=True, db_column="ref"),
    )
    described = columns(database, TABLE)
    assert "code" not in described
    assert "ref" in described
    assert constraint_kinds(database, TABLE, "ref") == {"index"}
    assert rows(database, f"SELECT ref FROM {TABLE}") == [("a",)]


def test_rename_and_retype_together(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    model.objects.create(code="5")
    alter(database, model, "code", models.IntegerField(db_column="number", null=True))
    assert rows(database, f"SELECT number FROM {TABLE}") == [(5,)]


def test_strict_raises_when_the_column_is_missing(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    ghost = field_named(models.CharField(max_length=10), "ghost", model)
    new = field_named(models.CharField(max_length=20), "ghost", model)
    with (
        pytest.raises(ValueError, match="Found no column 'ghost'"),
        edit(database) as editor,
    ):
        editor.alter_field(model, ghost, new, strict=True)


def test_unchanged_field_runs_nothing(database):
    model = item_model(code=models.CharField(max_length=10))
    database.create_models(model)
    with edit(database, collect_sql=True) as editor:
        editor.alter_field(
            model,
            model._meta.get_field("code"),
            field_named(models.CharField(max_length=10, help_text="x"), "code", model),
        )
    assert editor.collected_sql == []


def test_incompatible_m2m_change_is_refused(database):
    registry = new_registry()
    tag = make_model(registry, "Tag", {})
    model = make_model(registry, "Item", {"tags": models.ManyToManyField(tag)})
    plain = field_named(models.IntegerField(), "tags", model)
    with (
        pytest.raises(ValueError, match="they are not compatible types"),
        edit(database) as editor,
    ):
        editor.alter_field(model, model._meta.get_field("tags"), plain)


def test_type_change_with_a_database_default(database):
    model = item_model(
        size=models.CharField(max_length=5, db_default="5"), name=models.TextField()
    )
    database.create_models(model)
    insert(database, size="3", name="a")
    alter(database, model, "size", models.IntegerField(db_default=8))
    insert(database, name="b")
    assert rows(database, f"SELECT size FROM {TABLE} ORDER BY id") == [(3,), (8,)]
