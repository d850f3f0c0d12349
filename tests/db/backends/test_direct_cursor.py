"""The cursor kept between replayed SELECTs, and PostgreSQL's binary results.

A replay reuses one driver cursor per connection: never after a large
result, never after an error, never for another driver connection, and
never across threads (each thread has its own wrapper).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import connections
from manouche.db.backends.base._results import _KEEP_CURSOR_ROWS
from manouche.db.utils import DatabaseError
from tests.db.models_standin import Author, author_table


def _by_pk() -> Any:
    return (
        sa.select(author_table.c.id, author_table.c.name, author_table.c.age)
        .where(author_table.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )


def _everyone() -> Any:
    return (
        sa.select(author_table.c.id, author_table.c.name)
        .order_by(author_table.c.id)
        .execution_options(manouche_direct=True)
    )


def _with_ann(database: Any) -> Any:
    database.create_models(Author)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    return conn


def test_one_cursor_serves_consecutive_replays(database: Any) -> None:
    conn = _with_ann(database)
    statement = _by_pk()
    conn.execute(statement, {"pk": 1})  # through Core: builds the plan
    assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann", 30)]
    kept = conn._direct_cursor
    assert kept is not None
    assert conn.execute(statement, {"pk": 2}).rows == []
    assert conn._direct_cursor is not None
    assert conn._direct_cursor[1] is kept[1]


def test_cursor_is_not_kept_after_a_large_result(database: Any) -> None:
    conn = _with_ann(database)
    rows = [{"name": f"a{index}", "age": index} for index in range(_KEEP_CURSOR_ROWS)]
    conn.execute(sa.insert(author_table), rows)
    statement = _everyone()
    conn.execute(statement)
    result = conn.execute(statement)
    assert len(result.rows) == _KEEP_CURSOR_ROWS + 1
    assert conn._direct_cursor is None
    assert result.rows[0] == (1, "Ann")


def test_failed_replay_drops_the_cursor_and_the_next_one_works(
    database: Any,
) -> None:
    conn = _with_ann(database)
    statement = _by_pk()
    conn.execute(statement, {"pk": 1})
    conn.execute(statement, {"pk": 1})
    assert conn._direct_cursor is not None
    with conn.schema_editor() as editor:
        editor.delete_model(Author)
    with pytest.raises(DatabaseError):
        conn.execute(statement, {"pk": 1})
    assert conn._direct_cursor is None
    database._models.remove(Author)
    _with_ann(database)
    assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann", 30)]
    assert conn._direct_cursor is not None


def test_closing_the_connection_forgets_the_cursor(database: Any) -> None:
    conn = _with_ann(database)
    statement = _by_pk()
    conn.execute(statement, {"pk": 1})
    conn.execute(statement, {"pk": 1})
    if conn.is_shared_across_threads():
        pytest.skip("the in-memory database keeps its only connection")
    conn.close()
    assert conn._direct_cursor is None
    assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann", 30)]


def test_threads_never_share_a_kept_cursor(database: Any) -> None:
    conn = _with_ann(database)
    if conn is not connections[database.alias]:
        pytest.skip("the fixture's wrapper is not the registered one")
    statement = _by_pk()
    conn.execute(statement, {"pk": 1})
    conn.execute(statement, {"pk": 1})
    assert conn._direct_cursor is not None
    mine = conn._direct_cursor[1]
    seen: dict[str, Any] = {}

    def other_thread() -> None:
        wrapper = connections[database.alias]
        try:
            wrapper.execute(statement, {"pk": 0})
            wrapper.execute(statement, {"pk": 0})
            seen["wrapper"] = wrapper
            seen["cursor"] = (wrapper._direct_cursor or (None, None))[1]
        finally:
            if wrapper is not conn:
                wrapper.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    if seen["wrapper"] is conn:
        # One wrapper for every thread (in-memory SQLite): its lock
        # serialises statements, so the cursor is never used concurrently.
        assert conn.is_shared_across_threads()
    else:
        assert seen["cursor"] is not None
        assert seen["cursor"] is not mine


def _postgresql(database: Any) -> Any:
    if database.name != "postgresql":
        pytest.skip("binary results are a psycopg feature")
    from manouche.db.backends.postgresql import base

    return base


def test_postgresql_replays_ask_for_binary_where_values_are_the_same(
    database: Any,
) -> None:
    _postgresql(database)
    conn = _with_ann(database)
    statement = _by_pk()
    core = conn.execute(statement, {"pk": 1}).rows
    text = conn.execute(statement, {"pk": 1}).rows  # decides the format
    plan = conn._direct_plans[id(statement)][1]
    assert plan.driver_state is not None
    assert plan.driver_state[1] is True
    binary = conn.execute(statement, {"pk": 1}).rows
    assert list(core) == text == binary == [(1, "Ann", 30)]
    assert [type(value) for value in binary[0]] == [int, str, int]


def test_postgresql_binary_safety_looks_at_types_and_loaders(database: Any) -> None:
    from psycopg.types.numeric import IntLoader

    base = _postgresql(database)
    conn = database.connection
    conn.ensure_connection()
    raw = conn.connection.connection.dbapi_connection

    def safe(sql: str, cursor: Any = None) -> bool:
        cursor = cursor or raw.cursor()
        cursor.execute(sql)
        cursor.fetchall()
        return bool(base.binary_results_safe(cursor))

    assert safe("SELECT 1::int4, 'a'::varchar, 1.5::float8, now(), 2::numeric")
    assert not safe("SELECT 1.5::float4")  # text rounds, binary is exact
    assert not safe("SELECT '{}'::jsonb")
    assert not safe("SELECT 1::int4, '{}'::jsonb")  # one unsafe column is enough

    class Doubled(IntLoader):
        def load(self, data: Any) -> int:
            return 2 * int(bytes(data))

    custom = raw.cursor()
    custom.adapters.register_loader("int4", Doubled)
    assert not safe("SELECT 1::int4", custom)


def test_postgresql_safe_types_load_the_same_in_both_formats(database: Any) -> None:
    base = _postgresql(database)
    conn = database.connection
    conn.ensure_connection()
    raw = conn.connection.connection.dbapi_connection
    sql = (
        "SELECT 1::int2, -2::int4, 3000000000::int8, 26::oid, 'x'::text, "
        "'y'::varchar, 'z'::char(3), 'n'::name, 0.1::float8, 1e300::float8, "
        "12.340::numeric, 'NaN'::numeric, -0.000001::numeric, true, NULL::int4, "
        "'2024-05-06'::date, '01:02:03.000004'::time, "
        "'2024-05-06 07:08:09.123456'::timestamp, "
        "'2024-05-06 07:08:09.123456+02'::timestamptz, "
        "'00000000-0000-0000-0000-000000000007'::uuid"
    )
    cursor = raw.cursor()
    text = cursor.execute(sql).fetchall()
    assert base.binary_results_safe(cursor)
    binary = cursor.execute(sql, binary=True).fetchall()
    assert repr(binary) == repr(text)


def test_named_placeholders_become_positional_only_when_unambiguous() -> None:
    from manouche.db.backends.base._results import _positional

    assert _positional("SELECT '%%' WHERE a = %(x)s AND b = %(y)s OR c = %(x)s") == (
        "SELECT '%%' WHERE a = %s AND b = %s OR c = %s",
        ("x", "y", "x"),
    )
    assert _positional("SELECT 1") == ("SELECT 1", ())
    assert _positional("SELECT 5 % 2 WHERE a = %(x)s") is None
    assert _positional("SELECT %s") is None


def test_replay_with_a_literal_percent_keeps_values(database: Any) -> None:
    conn = _with_ann(database)
    statement = (
        sa.select(author_table.c.name)
        .where(
            author_table.c.name.like(sa.literal_column("'A%'")),
            author_table.c.id == sa.bindparam("pk"),
        )
        .execution_options(manouche_direct=True)
    )
    results = [conn.execute(statement, {"pk": 1}).rows for _ in range(3)]
    assert conn._direct_plans[id(statement)][1] is not None
    assert [list(rows) for rows in results] == [[("Ann",)]] * 3
    assert conn.execute(statement, {"pk": 2}).rows == []
