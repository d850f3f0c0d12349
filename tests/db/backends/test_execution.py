"""Execution on every backend: Core statements, raw cursors, logs, wrappers."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from manouche.db import (
    IntegrityError,
    OperationalError,
    ProgrammingError,
    connection,
    reset_queries,
)
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.db.models_standin import ALL, Author, author_table, book_table


def test_execute_returns_rows_keys_and_inserted_primary_key(database):
    database.create_models(Author)
    conn = database.connection
    inserted = conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    assert inserted.rowcount == 1
    assert inserted.lastrowid == 1
    assert inserted.rows == []
    result = conn.execute(
        sa.select(author_table.c.id, author_table.c.name).where(
            author_table.c.age > sa.bindparam("min_age")
        ),
        {"min_age": 10},
    )
    assert result.rows == [(1, "Ann")]
    assert result.keys == ["id", "name"]


def test_execute_returning_gives_returned_rows(database):
    if not database.connection.features.can_return_columns_from_insert:
        pytest.skip("no RETURNING")
    database.create_models(Author)
    result = database.connection.execute(
        sa.insert(author_table)
        .values([{"name": "a"}, {"name": "b"}])
        .returning(author_table.c.id)
    )
    assert sorted(result.returned) == [(1,), (2,)]
    assert result.returned is result.rows


async def test_aexecute_runs_statements_asynchronously(database):
    database.create_models(Author)
    conn = database.connection
    await conn.aexecute(sa.insert(author_table).values(name="Zed"))
    result = await conn.aexecute(sa.select(author_table.c.name))
    assert result.rows == [("Zed",)]
    rows = [row async for row in conn.aiterate(sa.select(author_table.c.name), 10)]
    assert rows == [("Zed",)]


def test_iterate_streams_rows_in_chunks(database):
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table), [{"name": f"n{i}"} for i in range(25)])
    names = [
        row[0]
        for row in conn.iterate(
            sa.select(author_table.c.name).order_by(author_table.c.id), 10
        )
    ]
    assert names == [f"n{i}" for i in range(25)]
    assert conn.get_autocommit() is True
    assert conn.in_transaction is False


def test_raw_cursor_uses_percent_s_placeholders_everywhere(database):
    database.create_models(Author)
    with database.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dbt_author (name, age) VALUES (%s, %s)", ["it's", 5]
        )
        cursor.executemany(
            "INSERT INTO dbt_author (name, age) VALUES (%s, %s)",
            [("b", 1), ("c", 2)],
        )
        cursor.execute(
            "SELECT name FROM dbt_author WHERE name LIKE %s ORDER BY name", ["%"]
        )
        assert [row[0] for row in cursor.fetchall()] == ["b", "c", "it's"]
        cursor.execute("SELECT name FROM dbt_author WHERE age = %s", [1])
        assert cursor.fetchone() == ("b",)
        assert cursor.description[0][0] == "name"
        cursor.execute("SELECT name FROM dbt_author ORDER BY name")
        assert [row[0] for row in cursor] == ["b", "c", "it's"]


def test_hostile_parameter_is_data_not_sql(database):
    database.create_models(Author)
    hostile = "x'); DROP TABLE dbt_author; --"
    with database.connection.cursor() as cursor:
        cursor.execute("INSERT INTO dbt_author (name) VALUES (%s)", [hostile])
    result = database.connection.execute(sa.select(author_table.c.name))
    assert result.rows == [(hostile,)]


def test_integrity_errors_are_normalised_with_the_cause_kept(database):
    database.create_models(*ALL)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="dup"))
    with pytest.raises(IntegrityError) as info:
        conn.execute(sa.insert(author_table).values(name="dup"))
    assert info.value.__cause__ is not None
    assert "dup" in str(info.value) or "UNIQUE" in str(info.value).upper()
    with pytest.raises(IntegrityError), conn.cursor() as cursor:
        cursor.execute("INSERT INTO dbt_author (name) VALUES (%s)", ["dup"])
    # The connection stays usable after the errors.
    assert conn.execute(sa.select(sa.func.count()).select_from(author_table)).rows == [
        (1,)
    ]


async def test_async_integrity_error_is_normalised(database):
    database.create_models(Author)
    conn = database.connection
    await conn.aexecute(sa.insert(author_table).values(name="dup"))
    with pytest.raises(IntegrityError):
        await conn.aexecute(sa.insert(author_table).values(name="dup"))


def test_missing_table_error_is_normalised(database):
    # SQLite's driver reports a missing table as an OperationalError.
    expected = OperationalError if database.vendor == "sqlite" else ProgrammingError
    with database.connection.cursor() as cursor, pytest.raises(expected) as info:
        cursor.execute("SELECT * FROM no_such_table_here")
    assert "no_such_table_here" in str(info.value)


def test_queries_are_logged_with_parameters_when_debug(database):
    database.create_models(Author)
    conn = database.connection
    with override_settings(DEBUG=True):
        reset_queries()
        conn.execute(sa.select(author_table.c.id).where(author_table.c.name == "o'k"))
        with conn.cursor() as cursor:
            cursor.execute("SELECT %s", ["raw"])
        queries = conn.queries
    assert len(queries) == 2
    assert "'o''k'" in queries[0]["sql"]
    assert "dbt_author" in queries[0]["sql"]
    assert queries[1]["sql"] == "SELECT 'raw'"
    assert float(queries[0]["time"]) >= 0


def test_queries_are_not_logged_without_debug(database):
    conn = database.connection
    conn.execute(sa.select(sa.literal(1)))
    assert conn.queries == []


def test_capture_queries_context_and_logger(database, caplog):
    conn = database.connection
    level = caplog.at_level(logging.DEBUG, logger="manouche.db.backends")
    with level, CaptureQueriesContext(conn) as captured:
        conn.execute(sa.select(sa.literal(7)))
    assert len(captured) == 1
    assert "7" in captured[0]["sql"]
    assert any("7" in record.getMessage() for record in caplog.records)
    assert conn.force_debug_cursor is False


def test_execute_wrapper_sees_and_can_block_queries(database):
    conn = database.connection
    seen = []

    def observer(execute, sql, params, many, context):
        seen.append((str(sql), many, context["connection"] is conn))
        return execute(sql, params, many, context)

    def blocker(execute, sql, params, many, context):
        raise AssertionError("no queries here")

    with conn.execute_wrapper(observer):
        conn.execute(sa.select(sa.literal(1)))
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert [entry[1:] for entry in seen] == [(False, True), (False, True)]
    assert "SELECT" in seen[0][0]
    with conn.execute_wrapper(blocker), pytest.raises(AssertionError):
        conn.execute(sa.select(sa.literal(1)))
    assert conn.execute_wrappers == []


async def test_execute_wrapper_blocks_async_queries(database):
    conn = database.connection

    def blocker(execute, sql, params, many, context):
        raise AssertionError("blocked")

    with conn.execute_wrapper(blocker), pytest.raises(AssertionError, match="blocked"):
        await conn.aexecute(sa.select(sa.literal(1)))


def test_features_and_ops_contract(database):
    conn = database.connection
    features = conn.features
    assert features.supports_transactions is True
    assert features.interprets_empty_strings_as_nulls is False
    assert conn.vendor == {"sqlite": "sqlite", "postgresql": "postgresql"}.get(
        database.name, "mysql"
    )
    assert conn.dialect.name in {"sqlite", "postgresql", "mysql", "mariadb"}
    quoted = conn.ops.quote_name("a")
    assert quoted in {'"a"', "`a`"}
    assert conn.ops.quote_name(quoted) == quoted
    assert conn.ops.bulk_batch_size(["a", "b"], list(range(10))) >= 1
    assert conn.ops.max_name_length() >= 63
    assert conn.display_name


def test_connection_proxy_forwards_to_default(database):
    assert connection.alias == "default"
    assert connection.vendor == database.connection.vendor
    assert book_table.name == "dbt_book"
