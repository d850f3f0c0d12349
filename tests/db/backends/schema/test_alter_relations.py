"""Foreign keys, primary keys and M2M tables through alter_field."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import DatabaseError, IntegrityError, models, transaction
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


def relations(database: Any, table: str) -> dict[str, Any]:
    connection = database.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_relations(cursor, table)  # type: ignore[no-any-return]


def library(book_fields: Any, author_pk: Any = None) -> tuple[Any, Any, Any]:
    registry = new_registry()
    author_fields: dict[str, Any] = {"name": models.CharField(max_length=20)}
    if author_pk is not None:
        author_fields["id"] = author_pk
    author = make_model(registry, "Author", author_fields)
    editor_model = make_model(
        registry, "Editor", {"name": models.CharField(max_length=20)}
    )
    book = make_model(registry, "Book", book_fields(author, editor_model))
    return author, editor_model, book


def test_foreign_key_target_changes(database):
    author, editor_model, book = library(
        lambda a, e: {"person": models.ForeignKey(a, models.CASCADE)}
    )
    database.create_models(author, editor_model, book)
    ann = author.objects.create(name="ann")
    editor_model.objects.create(name="ed")
    book.objects.create(person=ann)
    new = field_named(models.ForeignKey(editor_model, models.CASCADE), "person", book)
    with edit(database) as editor:
        editor.alter_field(book, book._meta.get_field("person"), new)
    assert relations(database, "custom_label_book") == {
        "person_id": ("id", "custom_label_editor")
    }
    assert rows(database, "SELECT person_id FROM custom_label_book") == [(ann.pk,)]


def test_foreign_key_made_nullable_keeps_constraint(database):
    author, editor_model, book = library(
        lambda a, e: {"person": models.ForeignKey(a, models.CASCADE)}
    )
    database.create_models(author, editor_model, book)
    book.objects.create(person=author.objects.create(name="ann"))
    new = field_named(
        models.ForeignKey(author, models.CASCADE, null=True), "person", book
    )
    with edit(database) as editor:
        editor.alter_field(book, book._meta.get_field("person"), new)
    assert columns(database, "custom_label_book")["person_id"].null_ok is True
    assert "fk" in constraint_kinds(database, "custom_label_book", "person_id")
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        database.connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {quoted(database, 'custom_label_book')} (person_id) "
            "VALUES (%s)",
            [999],
        )


def test_primary_key_type_change_updates_referencing_columns(database):
    author, editor_model, book = library(
        lambda a, e: {"person": models.ForeignKey(a, models.CASCADE)},
        author_pk=models.AutoField(primary_key=True),
    )
    database.create_models(author, editor_model, book)
    ann = author.objects.create(name="ann")
    book.objects.create(person=ann)
    new = field_named(models.BigAutoField(primary_key=True), "id", author)
    with edit(database) as editor:
        editor.alter_field(author, author._meta.get_field("id"), new)
    assert relations(database, "custom_label_book") == {
        "person_id": ("id", "custom_label_author")
    }
    if database.vendor != "sqlite":
        assert columns(database, "custom_label_author")["id"].type_code == "BIGINT"
        assert columns(database, "custom_label_book")["person_id"].type_code == "BIGINT"
    with database.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(database, 'custom_label_author')} (name) VALUES (%s)",
            ["bob"],
        )
    assert rows(database, "SELECT id, name FROM custom_label_author ORDER BY id") == [
        (ann.pk, "ann"),
        (ann.pk + 1, "bob"),
    ]
    assert rows(database, "SELECT person_id FROM custom_label_book") == [(ann.pk,)]


def test_integer_becomes_auto_increment_key_and_back(database):
    registry = new_registry()
    model = make_model(
        registry,
        "Item",
        {"id": models.IntegerField(primary_key=True), "n": models.TextField()},
    )
    database.create_models(model)
    model.objects.create(id=10, n="a")
    new = field_named(models.AutoField(primary_key=True), "id", model)
    with edit(database) as editor:
        editor.alter_field(model, model._meta.get_field("id"), new)
    table = quoted(database, "custom_label_item")
    with database.connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (n) VALUES (%s)", ["b"])
    assert rows(database, "SELECT id FROM custom_label_item ORDER BY id") == [
        (10,),
        (11,),
    ]
    auto = make_model(
        new_registry(),
        "Item",
        {"id": models.AutoField(primary_key=True), "n": models.TextField()},
    )
    back = field_named(models.IntegerField(primary_key=True), "id", auto)
    with edit(database) as editor:
        editor.alter_field(auto, auto._meta.get_field("id"), back)
    if database.vendor != "sqlite":  # INTEGER PRIMARY KEY is always the rowid
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            database.connection.cursor() as cursor,
        ):
            cursor.execute(f"INSERT INTO {table} (n) VALUES (%s)", ["c"])
    assert rows(database, "SELECT count(*) FROM custom_label_item") == [(2,)]


def test_primary_key_moves_to_another_column(database):
    registry = new_registry()
    model = make_model(
        registry,
        "Item",
        {"code": models.CharField(max_length=5), "n": models.IntegerField()},
    )
    database.create_models(model)
    model.objects.create(code="a", n=1)
    model.objects.create(code="b", n=2)
    with edit(database) as editor:
        editor.alter_field(
            model,
            model._meta.get_field("code"),
            field_named(
                models.CharField(max_length=5, primary_key=True), "code", model
            ),
        )
    connection = database.connection
    with connection.cursor() as cursor:
        pk = connection.introspection.get_primary_key_columns(
            cursor, "custom_label_item"
        )
    assert pk == ["code"]
    assert rows(database, "SELECT code, n FROM custom_label_item ORDER BY code") == [
        ("a", 1),
        ("b", 2),
    ]


def test_m2m_through_table_follows_the_model_table(database):
    registry = new_registry()
    tag = make_model(registry, "Tag", {"label": models.CharField(max_length=5)})
    post = make_model(registry, "Post", {"tags": models.ManyToManyField(tag)})
    database.create_models(tag, post)
    first = post.objects.create()
    first.tags.add(tag.objects.create(label="x"))
    renamed_registry = new_registry()
    new_tag = make_model(
        renamed_registry, "Tag", {"label": models.CharField(max_length=5)}
    )
    article = make_model(
        renamed_registry, "Article", {"tags": models.ManyToManyField(new_tag)}
    )
    with edit(database) as editor:
        editor.alter_db_table(post, "custom_label_post", "custom_label_article")
        editor.alter_field(
            article, post._meta.get_field("tags"), article._meta.get_field("tags")
        )
    tables = database.connection.introspection.table_names()
    assert "custom_label_article_tags" in tables
    assert "custom_label_post_tags" not in tables
    assert rows(
        database, "SELECT article_id, tag_id FROM custom_label_article_tags"
    ) == [(first.pk, 1)]
    assert relations(database, "custom_label_article_tags") == {
        "article_id": ("id", "custom_label_article"),
        "tag_id": ("id", "custom_label_tag"),
    }


def test_sqlite_rebuild_of_a_referenced_table_keeps_children_valid(database):
    author, editor_model, book = library(
        lambda a, e: {"person": models.ForeignKey(a, models.CASCADE)}
    )
    database.create_models(author, editor_model, book)
    ann = author.objects.create(name="ann")
    book.objects.create(person=ann)
    new = field_named(models.CharField(max_length=40, default="x"), "name", author)
    with edit(database) as editor:
        editor.alter_field(author, author._meta.get_field("name"), new)
    assert rows(database, "SELECT id, name FROM custom_label_author") == [
        (ann.pk, "ann")
    ]
    assert relations(database, "custom_label_book") == {
        "person_id": ("id", "custom_label_author")
    }
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        database.connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {quoted(database, 'custom_label_book')} (person_id) "
            "VALUES (%s)",
            [12345],
        )


def code_models(length: int) -> tuple[Any, Any]:
    registry = new_registry()
    code = make_model(
        registry, "Code", {"key": models.CharField(max_length=length, primary_key=True)}
    )
    child = make_model(
        registry, "Child", {"code": models.ForeignKey(code, models.CASCADE)}
    )
    return code, child


def test_retyped_primary_key_retypes_the_referencing_column(database):
    code, child = code_models(5)
    database.create_models(code, child)
    child.objects.create(code=code.objects.create(key="abc"))
    new_code, _ = code_models(12)
    with edit(database) as editor:
        editor.alter_field(
            code, code._meta.get_field("key"), new_code._meta.get_field("key")
        )
    assert columns(database, "custom_label_code")["key"].internal_size == 12
    assert columns(database, "custom_label_child")["code_id"].internal_size == 12
    assert relations(database, "custom_label_child") == {
        "code_id": ("key", "custom_label_code")
    }
    assert rows(database, "SELECT code_id FROM custom_label_child") == [("abc",)]


def test_self_referencing_table_is_altered_with_its_rows(database):
    registry = new_registry()
    node = make_model(
        registry,
        "Node",
        {
            "name": models.CharField(max_length=5),
            "parent": models.ForeignKey("self", models.CASCADE, null=True),
        },
    )
    database.create_models(node)
    root = node.objects.create(name="root")
    node.objects.create(name="leaf", parent=root)
    with edit(database) as editor:
        editor.alter_field(
            node,
            node._meta.get_field("name"),
            field_named(models.CharField(max_length=50, unique=True), "name", node),
        )
    assert relations(database, "custom_label_node") == {
        "parent_id": ("id", "custom_label_node")
    }
    assert rows(
        database, "SELECT name, parent_id FROM custom_label_node ORDER BY id"
    ) == [
        ("root", None),
        ("leaf", root.pk),
    ]
