"""add_field and remove_field on every backend, with rows in the table."""

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


def author_model(**extra: Any) -> Any:
    return make_model(
        new_registry(), "Author", {"name": models.CharField(max_length=50), **extra}
    )


@pytest.fixture
def author(database: Any) -> Any:
    model = author_model()
    database.create_models(model)
    model.objects.create(name="ann")
    model.objects.create(name="bob")
    return model


def test_add_nullable_field_leaves_rows_null(database, author):
    with edit(database) as editor:
        editor.add_field(
            author, field_named(models.IntegerField(null=True), "age", author)
        )
    assert columns(database, "custom_label_author")["age"].null_ok is True
    assert rows(database, "SELECT name, age FROM custom_label_author ORDER BY id") == [
        ("ann", None),
        ("bob", None),
    ]


def test_add_not_null_field_fills_default_then_drops_it(database, author):
    field = field_named(
        models.CharField(max_length=20, default="it's"), "motto", author
    )
    with edit(database) as editor:
        editor.add_field(author, field)
    info = columns(database, "custom_label_author")["motto"]
    assert info.null_ok is False
    assert info.default is None
    assert rows(database, "SELECT motto FROM custom_label_author") == [("it's",)] * 2


def test_add_field_with_db_default_keeps_database_default(database, author):
    field = field_named(models.IntegerField(db_default=7), "score", author)
    with edit(database) as editor:
        editor.add_field(author, field)
    table = quoted(database, "custom_label_author")
    with database.connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (name) VALUES (%s)", ["cy"])
    assert rows(database, "SELECT score FROM custom_label_author") == [(7,)] * 3


def test_add_unique_field(database, author):
    field = field_named(
        models.CharField(max_length=10, null=True, unique=True), "code", author
    )
    with edit(database) as editor:
        editor.add_field(author, field)
    assert constraint_kinds(database, "custom_label_author", "code") == {"unique"}
    table = quoted(database, "custom_label_author")
    with database.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET code = %s WHERE name = %s", ["x", "ann"])
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        database.connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET code = %s WHERE name = %s", ["x", "bob"])


def test_add_indexed_field(database, author):
    field = field_named(models.IntegerField(null=True, db_index=True), "rank", author)
    with edit(database) as editor:
        editor.add_field(author, field)
    assert constraint_kinds(database, "custom_label_author", "rank") == {"index"}


def test_add_foreign_key(database, author):
    registry = new_registry()
    book = make_model(registry, "Book", {"title": models.CharField(max_length=20)})
    database.create_models(book)
    book.objects.create(title="t")
    field = field_named(
        models.ForeignKey(author, models.CASCADE, null=True), "author", book
    )
    with edit(database) as editor:
        editor.add_field(book, field)
    connection = database.connection
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, "custom_label_book")
    assert relations == {"author_id": ("id", "custom_label_author")}
    assert rows(database, "SELECT title, author_id FROM custom_label_book") == [
        ("t", None)
    ]


def test_add_and_remove_many_to_many_through_table(database, author):
    registry = new_registry()
    tag = make_model(registry, "Tag", {"label": models.CharField(max_length=10)})
    tagged = make_model(
        registry,
        "Author",
        {
            "name": models.CharField(max_length=50),
            "tags": models.ManyToManyField(tag),
        },
    )
    database.create_models(tag)
    field = tagged._meta.get_field("tags")
    with edit(database) as editor:
        editor.add_field(author, field)
    tables = database.connection.introspection.table_names()
    assert "custom_label_author_tags" in tables
    with edit(database) as editor:
        editor.remove_field(tagged, field)
    assert (
        "custom_label_author_tags"
        not in database.connection.introspection.table_names()
    )


def test_remove_field_keeps_other_columns(database):
    model = author_model(age=models.IntegerField(default=3))
    database.create_models(model)
    model.objects.create(name="ann", age=4)
    with edit(database) as editor:
        editor.remove_field(model, model._meta.get_field("age"))
    assert set(columns(database, "custom_label_author")) == {"id", "name"}
    assert rows(database, "SELECT name FROM custom_label_author") == [("ann",)]


def test_remove_indexed_unique_and_foreign_key_fields(database):
    registry = new_registry()
    author = make_model(registry, "Author", {"name": models.CharField(max_length=5)})
    book = make_model(
        registry,
        "Book",
        {
            "title": models.CharField(max_length=20, db_index=True),
            "isbn": models.CharField(max_length=13, unique=True),
            "author": models.ForeignKey(author, models.CASCADE),
        },
    )
    database.create_models(author, book)
    ann = author.objects.create(name="ann")
    book.objects.create(title="t", isbn="1", author=ann)
    with edit(database) as editor:
        editor.remove_field(book, book._meta.get_field("author"))
    reduced = make_model(
        new_registry(),
        "Book",
        {
            "title": models.CharField(max_length=20, db_index=True),
            "isbn": models.CharField(max_length=13, unique=True),
        },
    )
    with edit(database) as editor:
        editor.remove_field(reduced, reduced._meta.get_field("isbn"))
    last = make_model(
        new_registry(),
        "Book",
        {"title": models.CharField(max_length=20, db_index=True)},
    )
    with edit(database) as editor:
        editor.remove_field(last, last._meta.get_field("title"))
    assert set(columns(database, "custom_label_book")) == {"id"}
    assert rows(database, "SELECT count(*) FROM custom_label_book") == [(1,)]


def test_remove_field_named_in_unique_together(database):
    registry = new_registry()
    model = make_model(
        registry,
        "Pair",
        {
            "a": models.IntegerField(),
            "b": models.IntegerField(),
            "c": models.IntegerField(),
        },
        unique_together=[("a", "b")],
    )
    database.create_models(model)
    model.objects.create(a=1, b=2, c=3)
    with edit(database) as editor:
        editor.alter_unique_together(model, [("a", "b")], [])
    plain = make_model(
        new_registry(),
        "Pair",
        {
            "a": models.IntegerField(),
            "b": models.IntegerField(),
            "c": models.IntegerField(),
        },
    )
    with edit(database) as editor:
        editor.remove_field(plain, plain._meta.get_field("b"))
    assert set(columns(database, "custom_label_pair")) == {"id", "a", "c"}
    assert rows(database, "SELECT a, c FROM custom_label_pair") == [(1, 3)]
