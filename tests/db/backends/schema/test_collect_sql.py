"""collect_sql mode (what sqlmigrate prints), literals and defaults."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from manouche.db import NotSupportedError, models, transaction
from manouche.db.backends.base._ddl import quote_value
from tests.db.backends.schema.support import (
    columns,
    edit,
    field_named,
    make_model,
    new_registry,
    quoted,
    rows,
)


@pytest.mark.parametrize(
    ("value", "vendor", "expected"),
    [
        (None, "sqlite", "NULL"),
        (True, "postgresql", "true"),
        (False, "mysql", "0"),
        (3, "sqlite", "3"),
        (decimal.Decimal("1.50"), "sqlite", "1.50"),
        (0.5, "sqlite", "0.5"),
        ("it's", "postgresql", "'it''s'"),
        ("a\\b'", "mysql", "'a\\\\b'''"),
        (b"\x00\xff", "sqlite", "X'00ff'"),
        (b"\x01", "postgresql", "'\\x01'::bytea"),
        (datetime.date(2024, 1, 2), "sqlite", "'2024-01-02'"),
        (datetime.datetime(2024, 1, 2, 3, 4, 5), "mysql", "'2024-01-02 03:04:05'"),
        (uuid.UUID(int=1), "mysql", "'00000000000000000000000000000001'"),
        (uuid.UUID(int=1), "postgresql", "'00000000-0000-0000-0000-000000000001'"),
    ],
)
def test_quote_value(value, vendor, expected):
    assert quote_value(value, vendor) == expected


def test_quote_value_refuses_what_it_cannot_quote_safely():
    with pytest.raises(ValueError, match="Cannot quote parameter value"):
        quote_value(object(), "sqlite")
    with pytest.raises(ValueError, match="NUL byte"):
        quote_value("a\x00b", "postgresql")


def test_collected_sql_is_not_run_and_inlines_defaults(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    field = field_named(models.CharField(max_length=9, default="o'k"), "note", model)
    with edit(database, collect_sql=True) as editor:
        editor.add_field(model, field)
        editor.alter_field(
            model,
            model._meta.get_field("n"),
            field_named(models.BigIntegerField(null=True), "n", model),
        )
    sql = "\n".join(editor.collected_sql)
    assert "'o''k'" in sql
    assert all(statement.endswith(";") for statement in editor.collected_sql)
    assert "%s" not in sql
    assert set(columns(database, "custom_label_memo")) == {"id", "n"}
    assert columns(database, "custom_label_memo")["n"].null_ok is False


def test_collected_sql_for_a_table_that_does_not_exist_yet(database):
    model = make_model(new_registry(), "Future", {"n": models.IntegerField()})
    field = field_named(models.IntegerField(null=True, unique=True), "m", model)
    with edit(database, collect_sql=True) as editor:
        editor.create_model(model)
        editor.add_field(model, field)
        editor.alter_field(
            model,
            model._meta.get_field("n"),
            field_named(models.IntegerField(db_index=True), "n", model),
        )
    assert "CREATE TABLE" in editor.collected_sql[0]
    print("\n".join(editor.collected_sql))
    assert "custom_label_future" not in database.connection.introspection.table_names()


def test_effective_default_and_column_sql(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    editor = database.connection.schema_editor()
    flag = field_named(models.BooleanField(default=True), "flag", model)
    text = field_named(models.CharField(max_length=5, blank=True), "text", model)
    plain = field_named(models.IntegerField(null=True), "plain", model)
    assert editor.effective_default(flag) in (True, 1)
    assert editor.effective_default(text) == ""
    assert editor.effective_default(plain) is None
    definition, params = editor.column_sql(model, flag, include_default=True)
    assert definition is not None
    assert "DEFAULT" in definition.upper()
    assert params == []
    assert (
        editor.column_sql(model, plain)[0]
        .upper()
        .startswith(editor.quote_name("plain").upper())
    )
    sql, _ = editor.table_sql(model)
    assert "CREATE TABLE" in sql


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_rebuild_inside_an_atomic_block_is_refused(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    new = field_named(models.BigIntegerField(), "n", model)
    with (
        pytest.raises(NotSupportedError, match="foreign key constraint checks"),
        transaction.atomic(),
        edit(database) as editor,
    ):
        editor.alter_field(model, model._meta.get_field("n"), new)
    assert rows(database, "SELECT n FROM custom_label_memo") == [(1,)]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_foreign_key_enforcement_is_back_on_after_the_editor(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    database.create_models(model)
    with edit(database) as editor:
        editor.alter_field(
            model,
            model._meta.get_field("n"),
            field_named(models.BigIntegerField(), "n", model),
        )
    assert rows(database, "PRAGMA foreign_keys") == [(1,)]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_rebuild_refuses_a_model_that_does_not_match_the_table(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    wider = make_model(
        new_registry(),
        "Memo",
        {"n": models.IntegerField(), "ghost": models.TextField()},
    )
    new = field_named(models.BigIntegerField(null=True), "n", wider)
    with (
        pytest.raises(ValueError, match="lacks column\\(s\\) ghost"),
        edit(database) as editor,
    ):
        editor.alter_field(wider, wider._meta.get_field("n"), new)
    assert rows(database, "SELECT n FROM custom_label_memo") == [(1,)]


def test_column_names_needing_quotes(database):
    model = make_model(new_registry(), "Memo", {"n": models.IntegerField()})
    database.create_models(model)
    model.objects.create(n=1)
    field = field_named(
        models.IntegerField(default=2, db_column="odd name"), "odd", model
    )
    with edit(database) as editor:
        editor.add_field(model, field)
    assert rows(
        database, f"SELECT {quoted(database, 'odd name')} FROM custom_label_memo"
    ) == [(2,)]
