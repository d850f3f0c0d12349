"""The ``database`` fixture: every backend, tables created and dropped."""

from __future__ import annotations

import sqlalchemy as sa

from tests.db.models_standin import ALL, Author, author_table, book_tags_table


def test_database_fixture_creates_tables_with_m2m_and_indexes(database):
    database.create_models(*ALL)
    names = database.connection.introspection.table_names()
    assert {"dbt_author", "dbt_book", "dbt_tag", "dbt_book_tags"} <= set(names)
    constraints = database.connection.introspection.get_constraints(None, "dbt_author")
    assert any(info["columns"] == ["age"] for info in constraints.values())
    assert database.vendor in {"sqlite", "postgresql", "mysql"}


def test_database_fixture_starts_each_test_empty(database):
    assert database.connection.introspection.table_names() == []
    database.create_models(Author)
    database.connection.execute(sa.insert(author_table).values(name="a"))
    result = database.connection.execute(
        sa.select(sa.func.count()).select_from(author_table)
    )
    assert result.rows == [(1,)]


def test_db_fixture_is_the_same_fixture(db):
    db.create_models(*ALL)
    result = db.connection.execute(sa.select(book_tags_table))
    assert result.rows == []
