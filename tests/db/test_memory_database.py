"""A shared in-memory SQLite database survives every way of closing it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from manouche.db import transaction
from tests.db.models_standin import Author, author_table

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def names(conn):
    query = sa.select(author_table.c.name).order_by(author_table.c.name)
    return [row[0] for row in conn.execute(query).rows]


def test_close_inside_atomic_block_keeps_the_memory_database(database):
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="before"))
    with transaction.atomic():
        conn.execute(sa.insert(author_table).values(name="inside"))
        conn.close()
        # Still usable: a TestCase's test may close the connection.
        assert names(conn) == ["before", "inside"]
    assert names(conn) == ["before", "inside"]


def test_drop_connection_keeps_the_memory_database(database):
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="kept"))
    with transaction.atomic():
        conn.execute(sa.insert(author_table).values(name="rolled back"))
        conn._drop_connection()
    assert names(conn) == ["kept"]


def test_close_outside_atomic_block_keeps_the_memory_database(database):
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="kept"))
    conn.close()
    conn.close()
    assert names(conn) == ["kept"]
