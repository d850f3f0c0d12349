"""Deferred foreign keys, ``check_constraints`` and switching checks off."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from manouche.core.management import call_command
from manouche.db import IntegrityError, models, transaction
from tests.db.backends.schema.support import (
    edit,
    make_model,
    new_registry,
    quoted,
    rows,
)

DEFERRING = {"sqlite", "postgresql"}


def library() -> tuple[Any, Any]:
    registry = new_registry()
    author = make_model(registry, "Author", {"name": models.CharField(max_length=20)})
    book = make_model(
        registry,
        "Book",
        {
            "author": models.ForeignKey(author, models.CASCADE),
            "readers": models.ManyToManyField(author, related_name="read"),
        },
    )
    return author, book


def fk_options(database: Any, table: str) -> dict[str, dict[str, Any]]:
    """``{column: options}`` of the table's foreign keys, as SQLAlchemy reads them."""
    inspector = database.connection.introspection._inspector()
    return {
        fk["constrained_columns"][0]: fk.get("options") or {}
        for fk in inspector.get_foreign_keys(table)
    }


def sqlite_key_clauses(database: Any, table: str, column: str) -> str:
    """The text declaring ``column``'s key (SQLAlchemy reads only table-level ones)."""
    (sql,) = rows(database, f"SELECT sql FROM sqlite_master WHERE name = '{table}'")[0]
    for part in sql.split(","):
        if column in part and "REFERENCES" in part:
            return str(part)
    raise AssertionError(f"No key on {column} in {sql}")


def assert_deferred(database: Any, table: str, column: str) -> None:
    options = fk_options(database, table)[column]
    if database.vendor == "sqlite":
        clause = " ".join(sqlite_key_clauses(database, table, column).split())
        assert "DEFERRABLE INITIALLY DEFERRED" in clause.upper()
    elif database.vendor == "postgresql":
        assert options.get("deferrable") is True
        assert str(options.get("initially")).upper() == "DEFERRED"
    else:
        assert not options.get("deferrable")


def insert_book(database: Any, author_id: int) -> None:
    with database.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(database, 'custom_label_book')} (author_id) "
            "VALUES (%s)",
            [author_id],
        )


def test_feature_flag_tells_which_databases_defer(database):
    can_defer = database.connection.features.can_defer_constraint_checks
    assert can_defer is (database.vendor in DEFERRING)


def test_created_tables_and_through_tables_get_deferred_keys(database):
    author, book = library()
    database.create_models(author, book)
    assert_deferred(database, "custom_label_book", "author_id")
    through = "custom_label_book_readers"
    assert_deferred(database, through, "book_id")
    assert_deferred(database, through, "author_id")


def book_version(book_field: Any = None) -> tuple[Any, Any]:
    """(author, book) of one project state; the book's ``author`` as given."""
    registry = new_registry()
    author = make_model(registry, "Author", {"name": models.CharField(max_length=20)})
    fields: dict[str, Any] = {"title": models.CharField(max_length=20)}
    if book_field is not None:
        fields["author"] = book_field(author)
    return author, make_model(registry, "Book", fields)


def test_added_and_altered_foreign_keys_are_deferred(database):
    author, book = book_version()
    database.create_models(author, book)
    _, nullable = book_version(
        lambda a: models.ForeignKey(a, models.CASCADE, null=True)
    )
    with edit(database) as editor:
        editor.add_field(book, nullable._meta.get_field("author"))
    assert_deferred(database, "custom_label_book", "author_id")
    # A change of null: a table rebuild on SQLite, ALTER elsewhere.
    _, required = book_version(lambda a: models.ForeignKey(a, models.CASCADE))
    with edit(database) as editor:
        editor.alter_field(
            nullable,
            nullable._meta.get_field("author"),
            required._meta.get_field("author"),
        )
    assert_deferred(database, "custom_label_book", "author_id")
    # Losing and regaining the constraint re-creates it through ALTER TABLE.
    _, loose = book_version(
        lambda a: models.ForeignKey(a, models.CASCADE, db_constraint=False)
    )
    with edit(database) as editor:
        editor.alter_field(
            required,
            required._meta.get_field("author"),
            loose._meta.get_field("author"),
        )
    assert "author_id" not in fk_options(database, "custom_label_book")
    with edit(database) as editor:
        editor.alter_field(
            loose, loose._meta.get_field("author"), required._meta.get_field("author")
        )
    assert_deferred(database, "custom_label_book", "author_id")


def test_collected_sql_spells_the_deferral(database):
    author, book = library()
    with edit(database, collect_sql=True) as editor:
        editor.create_model(author)
        editor.create_model(book)
    sql = "\n".join(editor.collected_sql)
    assert ("DEFERRABLE INITIALLY DEFERRED" in sql) is (database.vendor in DEFERRING)


def test_the_model_table_is_left_unmarked(database):
    author, book = library()
    database.create_models(author, book)
    for constraint in book._meta.sa_table.foreign_key_constraints:
        assert constraint.deferrable is None
        assert constraint.initially is None
    # Keys added after the table (servers) still render inline for SQLite.
    ddl = str(CreateTable(book._meta.sa_table).compile(dialect=sqlite.dialect()))
    assert "FOREIGN KEY(author_id) REFERENCES custom_label_author (id)" in ddl


def test_forward_reference_inside_a_transaction(database):
    author, book = library()
    database.create_models(author, book)
    if database.vendor in DEFERRING:
        with transaction.atomic():
            book.objects.create(author_id=7)
            author.objects.create(pk=7, name="late")
        assert book.objects.get().author.name == "late"
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            book.objects.create(author_id=7)
        assert book.objects.count() == 0


def test_dangling_reference_fails_when_the_transaction_commits(database):
    author, book = library()
    database.create_models(author, book)
    with pytest.raises(IntegrityError), transaction.atomic():
        book.objects.create(author_id=404)
    assert book.objects.count() == 0
    assert not database.connection.in_atomic_block


def test_check_constraints_names_the_dangling_row(database):
    author, book = library()
    database.create_models(author, book)
    connection = database.connection
    with transaction.atomic():
        if database.vendor == "mysql":
            with connection.constraint_checks_disabled():
                insert_book(database, 404)
        else:
            insert_book(database, 404)
        with pytest.raises(IntegrityError) as raised:
            connection.check_constraints()
        transaction.set_rollback(True)
    message = str(raised.value)
    assert "custom_label_book" in message
    if database.vendor == "postgresql":
        assert "author_id" in message
    else:
        assert message == (
            "The row in table 'custom_label_book' with primary key '1' has an "
            "invalid foreign key: custom_label_book.author_id contains a value "
            "'404' that does not have a corresponding value in "
            "custom_label_author.id."
        )
    assert book.objects.count() == 0


def test_check_constraints_passes_and_keeps_the_keys_deferred(database):
    author, book = library()
    database.create_models(author, book)
    connection = database.connection
    with transaction.atomic():
        book.objects.create(author=author.objects.create(name="ann"))
        connection.check_constraints()
        connection.check_constraints(table_names=["custom_label_book"])
        if database.vendor in DEFERRING:
            # Still deferred afterwards: a forward reference is allowed.
            book.objects.create(author_id=50)
            author.objects.create(pk=50, name="late")
    assert book.objects.count() == (2 if database.vendor in DEFERRING else 1)


@pytest.mark.parametrize("database", ["sqlite", "mariadb"], indirect=True)
def test_check_constraints_limited_to_tables(database):
    author, book = library()
    database.create_models(author, book)
    connection = database.connection
    with transaction.atomic():
        with connection.constraint_checks_disabled():
            insert_book(database, 404)
            connection.check_constraints(table_names=["custom_label_author"])
            with pytest.raises(IntegrityError, match="custom_label_book"):
                connection.check_constraints(table_names=["custom_label_book"])
        transaction.set_rollback(True)


def test_constraint_checks_disabled_per_backend(database):
    author, book = library()
    database.create_models(author, book)
    connection = database.connection
    disabled = connection.disable_constraint_checking()
    try:
        # PostgreSQL cannot switch checks off (deferral is its tool).
        assert disabled is (database.vendor != "postgresql")
        if disabled:
            insert_book(database, 404)
            assert book.objects.filter(author_id=404).count() == 1
            with pytest.raises(IntegrityError, match="404"):
                connection.check_constraints()
            book.objects.all().delete()
        else:
            with pytest.raises(IntegrityError):
                insert_book(database, 404)
    finally:
        if disabled:
            connection.enable_constraint_checking()
    with pytest.raises(IntegrityError):
        insert_book(database, 404)


def test_inspectdb_reads_deferred_keys(database):
    author, book = library()
    database.create_models(author, book)
    out = io.StringIO()
    call_command("inspectdb", "custom_label_book", stdout=out)
    assert "author = models.ForeignKey('CustomLabelAuthor'" in out.getvalue()
    constraints = database.connection.introspection.get_constraints(
        None, "custom_label_book"
    )
    keys = [info for info in constraints.values() if info["foreign_key"]]
    assert [info["foreign_key"] for info in keys] == [("custom_label_author", "id")]
