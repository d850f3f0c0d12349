"""Table-level schema editor operations on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import IntegrityError, models, transaction
from manouche.db.models import Q
from tests.db.backends.schema.support import (
    constraint_kinds,
    constraints,
    edit,
    field_named,
    make_model,
    new_registry,
    quoted,
    rows,
)


def insert(database: Any, table: str, **values: Any) -> None:
    names = ", ".join(quoted(database, name) for name in values)
    marks = ", ".join(["%s"] * len(values))
    with database.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(database, table)} ({names}) VALUES ({marks})",
            list(values.values()),
        )


def pair_model(**meta: Any) -> Any:
    return make_model(
        new_registry(),
        "Pair",
        {"a": models.IntegerField(), "b": models.IntegerField()},
        **meta,
    )


def test_alter_db_table_keeps_rows_and_auto_increment(database):
    model = make_model(new_registry(), "Thing", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    with edit(database) as editor:
        editor.alter_db_table(model, "custom_label_thing", "renamed_thing")
    introspection = database.connection.introspection
    assert "renamed_thing" in introspection.table_names()
    assert "custom_label_thing" not in introspection.table_names()
    insert(database, "renamed_thing", n=2)
    assert rows(database, "SELECT id, n FROM renamed_thing ORDER BY id") == [
        (1, 1),
        (2, 2),
    ]
    if database.vendor == "postgresql":
        with database.connection.cursor() as cursor:
            sequences = introspection.get_sequences(cursor, "renamed_thing")
        assert sequences == [
            {"name": "renamed_thing_id_seq", "table": "renamed_thing", "column": "id"}
        ]


def test_foreign_keys_follow_a_renamed_table(database):
    registry = new_registry()
    target = make_model(registry, "Target", {})
    source = make_model(
        registry, "Source", {"t": models.ForeignKey(target, models.CASCADE)}
    )
    database.create_models(target, source)
    source.objects.create(t=target.objects.create())
    with edit(database) as editor:
        editor.alter_db_table(target, "custom_label_target", "moved_target")
    connection = database.connection
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(
            cursor, "custom_label_source"
        )
    assert relations == {"t_id": ("id", "moved_target")}


def test_table_and_column_comments(database):
    if not database.connection.features.supports_comments:
        pytest.skip("no comments")
    model = make_model(new_registry(), "Noted", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    with edit(database) as editor:
        editor.alter_db_table_comment(model, None, "Noted things")
        editor.alter_field(
            model,
            model._meta.get_field("n"),
            field_named(models.IntegerField(db_comment="how many"), "n", model),
        )
    inspector = __import__("sqlalchemy").inspect(database.connection._sa_connection())
    assert inspector.get_table_comment("custom_label_noted")["text"] == "Noted things"
    described = {info.name: info for info in _describe(database, "custom_label_noted")}
    assert described["n"].comment == "how many"
    assert rows(database, "SELECT n FROM custom_label_noted") == [(1,)]


def _describe(database: Any, table: str) -> list[Any]:
    connection = database.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_table_description(cursor, table)  # type: ignore[no-any-return]


def test_unique_together_added_and_removed(database):
    model = pair_model()
    database.create_models(model)
    model.objects.create(a=1, b=1)
    unique = pair_model(unique_together=[("a", "b")])
    with edit(database) as editor:
        editor.alter_unique_together(unique, [], [("a", "b")])
    assert any(
        info["unique"] and info["columns"] == ["a", "b"]
        for info in constraints(database, "custom_label_pair").values()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(database, "custom_label_pair", a=1, b=1)
    plain = pair_model()
    with edit(database) as editor:
        editor.alter_unique_together(plain, [("a", "b")], [])
    insert(database, "custom_label_pair", a=1, b=1)
    assert rows(database, "SELECT count(*) FROM custom_label_pair") == [(2,)]


def test_index_together_added_and_removed(database):
    model = pair_model()
    database.create_models(model)
    with edit(database) as editor:
        editor.alter_index_together(model, [], [("a", "b")])
    indexed = [
        name
        for name, info in constraints(database, "custom_label_pair").items()
        if info["index"] and info["columns"] == ["a", "b"]
    ]
    assert len(indexed) == 1
    with edit(database) as editor:
        editor.alter_index_together(model, [("a", "b")], [])
    assert not any(
        info["columns"] == ["a", "b"]
        for info in constraints(database, "custom_label_pair").values()
    )


def test_add_rename_and_remove_index(database):
    model = pair_model()
    database.create_models(model)
    model.objects.create(a=1, b=2)
    index = models.Index(fields=["a", "-b"], name="pair_ab_idx")
    with edit(database) as editor:
        editor.add_index(model, index)
    found = constraints(database, "custom_label_pair")["pair_ab_idx"]
    assert found["columns"] == ["a", "b"]
    assert found["index"] is True
    renamed = models.Index(fields=["a", "-b"], name="pair_renamed_idx")
    with edit(database) as editor:
        editor.rename_index(model, index, renamed)
    names = set(constraints(database, "custom_label_pair"))
    assert "pair_renamed_idx" in names
    assert "pair_ab_idx" not in names
    with edit(database) as editor:
        editor.remove_index(model, renamed)
    assert "pair_renamed_idx" not in constraints(database, "custom_label_pair")
    assert model._meta.sa_table.indexes == set()


def test_add_and_remove_check_constraint(database):
    model = pair_model()
    database.create_models(model)
    model.objects.create(a=1, b=2)
    check = models.CheckConstraint(condition=Q(a__lt=models.F("b")), name="a_lt_b")
    with edit(database) as editor:
        editor.add_constraint(model, check)
    assert constraints(database, "custom_label_pair")["a_lt_b"]["check"] is True
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(database, "custom_label_pair", a=5, b=1)
    with edit(database) as editor:
        editor.remove_constraint(model, check)
    assert "a_lt_b" not in constraints(database, "custom_label_pair")
    insert(database, "custom_label_pair", a=5, b=1)
    assert rows(database, "SELECT count(*) FROM custom_label_pair") == [(2,)]


def test_add_and_remove_unique_constraint(database):
    model = pair_model()
    database.create_models(model)
    model.objects.create(a=1, b=2)
    unique = models.UniqueConstraint(fields=["a"], name="pair_a_uniq")
    with edit(database) as editor:
        editor.add_constraint(model, unique)
    assert constraint_kinds(database, "custom_label_pair", "a") == {"unique"}
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(database, "custom_label_pair", a=1, b=3)
    with edit(database) as editor:
        editor.remove_constraint(model, unique)
    assert constraint_kinds(database, "custom_label_pair", "a") == set()
    insert(database, "custom_label_pair", a=1, b=3)


def test_sqlite_rebuild_keeps_indexes_and_constraints(database):
    model = make_model(
        new_registry(),
        "Pair",
        {"a": models.IntegerField(db_index=True), "b": models.IntegerField()},
        unique_together=[("a", "b")],
        indexes=[models.Index(fields=["b"], name="pair_b_idx")],
        constraints=[models.CheckConstraint(condition=Q(b__gte=0), name="b_positive")],
    )
    database.create_models(model)
    model.objects.create(a=1, b=2)
    with edit(database) as editor:
        editor.alter_field(
            model,
            model._meta.get_field("a"),
            field_named(models.BigIntegerField(db_index=True), "a", model),
        )
    found = constraints(database, "custom_label_pair")
    assert found["pair_b_idx"]["columns"] == ["b"]
    assert found["b_positive"]["check"] is True
    assert any(
        info["unique"] and info["columns"] == ["a", "b"] for info in found.values()
    )
    assert "index" in constraint_kinds(database, "custom_label_pair", "a")
    assert rows(database, "SELECT a, b FROM custom_label_pair") == [(1, 2)]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_postgresql_concurrent_index(database):
    model = pair_model()
    database.create_models(model)
    index = models.Index(fields=["a"], name="pair_a_conc")
    with edit(database, atomic=False, collect_sql=True) as editor:
        editor.add_index(model, index, concurrently=True)
        editor.remove_index(model, index, concurrently=True)
    assert editor.collected_sql[0].startswith("CREATE INDEX CONCURRENTLY")
    assert editor.collected_sql[1].startswith("DROP INDEX CONCURRENTLY")
    with edit(database, atomic=False) as editor:
        editor.add_index(model, index, concurrently=True)
    assert constraints(database, "custom_label_pair")["pair_a_conc"]["index"] is True
    with edit(database, atomic=False) as editor:
        editor.remove_index(model, index, concurrently=True)
    assert "pair_a_conc" not in constraints(database, "custom_label_pair")
