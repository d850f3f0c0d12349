"""PostgreSQL replays of hot SELECTs as our own prepared statements.

Once a replayed statement's result format is learnt, it runs outside
transactions through ``PGconn.exec_prepared``; it must answer exactly what
psycopg's cursor answers, raise the same errors, survive the server losing
the statement, and stay off where prepares are unwanted or unsafe.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from manouche.db import connections, transaction
from manouche.db.utils import DataError, OperationalError, ProgrammingError
from manouche.test.utils import CaptureQueriesContext, override_settings

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)

metadata = sa.MetaData()
kinds = sa.Table(
    "dbt_prepared_kinds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("small", sa.SmallInteger),
    sa.Column("big", sa.BigInteger),
    sa.Column("name", sa.String(50)),
    sa.Column("body", sa.Text),
    sa.Column("flag", sa.Boolean),
    sa.Column("ratio", sa.Float),
    sa.Column("single", sa.REAL),
    sa.Column("amount", sa.Numeric(12, 4)),
    sa.Column("day", sa.Date),
    sa.Column("moment", sa.Time),
    sa.Column("stamp", sa.DateTime),
    sa.Column("stamp_tz", sa.DateTime(timezone=True)),
    sa.Column("ident", sa.Uuid),
    sa.Column("data", pg.JSONB),
    sa.Column("blob", sa.LargeBinary),
    sa.Column("span", sa.Interval),
)

ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "small": -3,
        "big": 3_000_000_000,
        "name": "Ann",
        "body": "é" * 10,
        "flag": True,
        "ratio": 0.1,
        "single": 1.1,
        "amount": decimal.Decimal("12.3400"),
        "day": datetime.date(2024, 5, 6),
        "moment": datetime.time(1, 2, 3, 4),
        "stamp": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456),
        "stamp_tz": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC),
        "ident": uuid.UUID(int=7),
        "data": {"a": [1, 2]},
        "blob": b"\x00\x01",
        "span": datetime.timedelta(days=1, seconds=2),
    },
    {"id": 2},  # every other column NULL
]


@pytest.fixture
def conn(database: Any) -> Iterator[Any]:
    connection = database.connection
    metadata.create_all(connection.sa_engine)
    try:
        for row in ROWS:
            connection.execute(sa.insert(kinds).values(**row))
        yield connection
    finally:
        metadata.drop_all(connection.sa_engine)


@pytest.fixture
def hits(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the replays the prepared path answered (and the ones it passed on)."""
    from manouche.db.backends.postgresql import base

    real = base.run_prepared  # type: ignore[attr-defined]
    counts = {"prepared": 0, "cursor": 0}

    def counting(*args: Any) -> Any:
        rows = real(*args)
        counts["prepared" if rows is not None else "cursor"] += 1
        return rows

    monkeypatch.setattr(base, "run_prepared", counting)
    return counts


def _cursor_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from manouche.db.backends.postgresql import base

    monkeypatch.setattr(base, "run_prepared", lambda *args: None)


def _by_id(*columns: Any) -> Any:
    return (
        sa.select(*(columns or kinds.c))
        .where(kinds.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )


def _warm(conn: Any, statement: Any, parameters: dict[str, Any]) -> Any:
    """Plan the statement and learn its result format (Core's execution)."""
    return conn.execute(statement, parameters)


def _raw(conn: Any) -> Any:
    return conn.connection.connection.dbapi_connection


def test_prepared_rows_are_the_cursor_paths_across_types(
    conn: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = _by_id()
    unmarked = sa.select(*kinds.c).where(kinds.c.id == sa.bindparam("pk"))
    core = {pk: conn.execute(unmarked, {"pk": pk}).rows for pk in (1, 2)}
    _warm(conn, statement, {"pk": 1})
    prepared = {pk: conn.execute(statement, {"pk": pk}).rows for pk in (1, 2)}
    assert hits["prepared"] == 2
    _cursor_path(monkeypatch)
    cursor = {pk: conn.execute(statement, {"pk": pk}).rows for pk in (1, 2)}
    for pk in (1, 2):
        assert repr(prepared[pk]) == repr(cursor[pk]) == repr(list(core[pk]))
    assert prepared[1][0][14] == {"a": [1, 2]}  # JSONB: a text-format result


def test_binary_results_and_parameter_types(conn: Any, hits: dict[str, int]) -> None:
    statement = (
        sa.select(kinds.c.id, kinds.c.big, kinds.c.name)
        .where(
            kinds.c.big >= sa.bindparam("big"),
            kinds.c.name != sa.bindparam("name"),
            kinds.c.day <= sa.bindparam("day"),
        )
        .execution_options(manouche_direct=True)
    )
    day = datetime.date(2030, 1, 1)
    _warm(conn, statement, {"big": 1, "name": "x", "day": day})
    plan = conn._direct_plans[id(statement)][1]
    assert plan.driver_state[1] is True  # binary results
    # An int8 value after an int2 one: another statement, as psycopg does.
    for big in (1, 3_000_000_000, 3_000_000_001):
        rows = conn.execute(statement, {"big": big, "name": "x", "day": day}).rows
        assert rows == ([(1, 3_000_000_000, "Ann")] if big <= 3_000_000_000 else [])
    assert conn.execute(statement, {"big": 1, "name": "Ann", "day": day}).rows == []
    assert hits == {"prepared": 4, "cursor": 0}
    from manouche.db.backends.postgresql._prepared import session_for

    assert len(session_for(_raw(conn))._names) == 2


def test_errors_are_the_cursor_paths(
    conn: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = (
        sa.select(kinds.c.big / sa.bindparam("by", type_=sa.BigInteger))
        .where(kinds.c.id == 1)
        .execution_options(manouche_direct=True)
    )
    _warm(conn, statement, {"by": 2})
    errors = []
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            conn.execute(statement, {"by": 0})
        errors.append(caught.value)
        assert conn.execute(statement, {"by": 3}).rows == [(1_000_000_000,)]
        _cursor_path(monkeypatch)
    assert hits["prepared"] == 1  # the second error ran on the cursor path
    prepared, cursor = errors
    assert type(prepared.__cause__) is type(cursor.__cause__)
    assert str(prepared) == str(cursor)
    assert "division by zero" in str(prepared)


@pytest.mark.parametrize("command", ["DISCARD ALL", "DEALLOCATE ALL"])
def test_a_lost_statement_is_retried_then_prepared_again(
    conn: Any, hits: dict[str, int], command: str
) -> None:
    statement = _by_id(kinds.c.id, kinds.c.name)
    _warm(conn, statement, {"pk": 1})
    assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann")]
    with conn.cursor() as cursor:
        cursor.execute(command)
    with CaptureQueriesContext(conn) as captured:
        assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann")]
    assert len(captured) == 1
    assert hits == {"prepared": 1, "cursor": 1}
    assert conn.execute(statement, {"pk": 2}).rows == [(2, None)]
    assert hits == {"prepared": 2, "cursor": 1}


def test_a_stale_plan_after_ddl_is_deallocated_and_retried(
    conn: Any, hits: dict[str, int]
) -> None:
    statement = (
        sa.select(sa.text("*"))
        .select_from(kinds)
        .where(kinds.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )
    _warm(conn, statement, {"pk": 2})
    assert len(conn.execute(statement, {"pk": 2}).rows[0]) == len(kinds.c)
    from manouche.db.backends.postgresql._prepared import session_for

    session = session_for(_raw(conn))
    (name,) = session._names.values()
    # On another connection: psycopg on ours sees no DDL to react to.
    other = connections["default"].copy("other")
    try:
        with other.cursor() as cursor:
            cursor.execute("ALTER TABLE dbt_prepared_kinds ADD COLUMN extra int")
    finally:
        other.close()
    rows = conn.execute(statement, {"pk": 2}).rows
    assert len(rows[0]) == len(kinds.c) + 1
    assert hits == {"prepared": 1, "cursor": 1}
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name = %s",
            [name.decode()],
        )
        assert cursor.fetchone() == (0,)
    assert len(conn.execute(statement, {"pk": 2}).rows[0]) == len(kinds.c) + 1
    assert hits == {"prepared": 2, "cursor": 1}


def test_transactions_keep_the_cursor_path(conn: Any, hits: dict[str, int]) -> None:
    statement = _by_id(kinds.c.id, kinds.c.name)
    _warm(conn, statement, {"pk": 1})
    with transaction.atomic():
        conn.execute(sa.insert(kinds).values(id=3, name="Bo"))
        assert conn.execute(statement, {"pk": 3}).rows == [(3, "Bo")]
        with pytest.raises(DataError), transaction.atomic():
            conn.execute(sa.select(sa.cast(sa.literal("x"), sa.Integer)))
        assert conn.execute(statement, {"pk": 3}).rows == [(3, "Bo")]
        transaction.set_rollback(True)
    assert hits == {"prepared": 0, "cursor": 2}
    assert conn.execute(statement, {"pk": 3}).rows == []
    assert hits == {"prepared": 1, "cursor": 2}


def test_prepare_threshold_none_keeps_the_cursor_path(
    database: Any, hits: dict[str, int]
) -> None:
    settings_dict = dict(database.settings, OPTIONS={"prepare_threshold": None})
    with override_settings(DATABASES={"default": settings_dict}):
        conn = connections["default"]
        try:
            statement = sa.select(sa.bindparam("x", type_=sa.Integer) + 1)
            statement = statement.execution_options(manouche_direct=True)
            results = [conn.execute(statement, {"x": x}).rows for x in range(4)]
            assert _raw(conn).prepare_threshold is None
        finally:
            conn.close()
    assert results == [[(x + 1,)] for x in range(4)]
    assert hits == {"prepared": 0, "cursor": 3}  # every replay


def test_prepared_replays_are_logged_and_wrapped(
    conn: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.name)
    _warm(conn, statement, {"pk": 1})
    seen: list[Any] = []

    def wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        seen.append(params)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(conn) as captured, conn.execute_wrapper(wrapper):
        assert conn.execute(statement, {"pk": 2}).rows == [(None,)]
    assert hits["prepared"] == 1
    assert seen == [{"pk": 2}]
    assert len(captured) == 1
    assert "dbt_prepared_kinds" in captured[0]["sql"]


def test_a_dropped_connection_fails_once_then_reconnects(
    conn: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.id)
    _warm(conn, statement, {"pk": 1})
    assert conn.execute(statement, {"pk": 1}).rows == [(1,)]
    pid = conn.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0]
    killer = connections["default"].copy("killer")
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()
    with pytest.raises(OperationalError):
        conn.execute(statement, {"pk": 1})
    assert conn.execute(statement, {"pk": 1}).rows == [(1,)]
    assert conn.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0] != pid
    assert conn.execute(statement, {"pk": 2}).rows == [(2,)]
    assert hits["prepared"] >= 2


def test_dollar_placeholders_match_psycopgs_conversion(database: Any) -> None:
    from psycopg._queries import PostgresQuery
    from psycopg.adapt import Transformer

    from manouche.db.backends.postgresql._prepared import to_dollar_placeholders

    conn = database.connection
    conn.ensure_connection()
    raw = _raw(conn)
    for sql, count in [
        ("SELECT 1", 0),
        ("SELECT %s, '%%', %s LIKE 'a%%' || %s", 3),
        ("SELECT %s%s", 2),
    ]:
        query = PostgresQuery(Transformer.from_context(raw))
        query.convert(sql, (1,) * count)
        assert to_dollar_placeholders(sql).encode() == query.query


def test_large_results_come_back_whole(conn: Any, hits: dict[str, int]) -> None:
    series = sa.func.generate_series(1, sa.bindparam("n", type_=sa.Integer))
    statement = sa.select(series).execution_options(manouche_direct=True)
    _warm(conn, statement, {"n": 3})
    result = conn.execute(statement, {"n": 500})
    assert result.rows == [(value,) for value in range(1, 501)]
    assert result.rowcount == 500
    assert conn.execute(statement, {"n": 2}).rows == [(1,), (2,)]
    assert hits == {"prepared": 2, "cursor": 0}


def test_the_format_is_decided_by_cores_execution(
    conn: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.id, kinds.c.ratio)
    assert conn.execute(statement, {"pk": 1}).rows == [(1, 0.1)]  # through Core
    plan = conn._direct_plans[id(statement)][1]
    assert plan.driver_state[0] is _raw(conn).adapters
    assert plan.driver_state[1] is True
    assert conn.execute(statement, {"pk": 1}).rows == [(1, 0.1)]
    assert hits == {"prepared": 1, "cursor": 0}  # no text replay first


def _new_driver_connection(conn: Any) -> Any:
    """Make ``conn`` connect anew (the pool drops the invalidated one)."""
    old = _raw(conn)
    conn.connection.invalidate()
    conn.close()
    return old


def test_another_connection_decides_from_the_same_column_types(
    conn: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.id, kinds.c.name)
    _warm(conn, statement, {"pk": 1})
    plan = conn._direct_plans[id(statement)][1]
    first = _new_driver_connection(conn)
    assert conn.execute(statement, {"pk": 1}).rows == [(1, "Ann")]
    assert _raw(conn) is not first
    assert plan.driver_state[0] is _raw(conn).adapters
    assert hits == {"prepared": 1, "cursor": 0}


def test_another_connection_with_its_own_loader_keeps_the_text_format(
    conn: Any, hits: dict[str, int]
) -> None:
    from psycopg.types.numeric import IntLoader

    class Tagged(IntLoader):
        def load(self, data: Any) -> Any:
            return ("tagged", super().load(data))

    statement = _by_id(kinds.c.id, kinds.c.name)
    _warm(conn, statement, {"pk": 1})
    plan = conn._direct_plans[id(statement)][1]
    _new_driver_connection(conn)
    conn.ensure_connection()
    _raw(conn).adapters.register_loader("int4", Tagged)
    assert conn.execute(statement, {"pk": 1}).rows == [(("tagged", 1), "Ann")]
    assert plan.driver_state[0] is _raw(conn).adapters
    assert plan.driver_state[1] is False
    assert hits == {"prepared": 1, "cursor": 0}


def test_oldest_statements_are_deallocated_past_the_limit(
    conn: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from manouche.db.backends.postgresql import _prepared

    monkeypatch.setattr(_prepared, "MAX_PREPARED", 2)
    columns = (kinds.c.name, kinds.c.big, kinds.c.flag)
    statements = [_by_id(kinds.c.id, column) for column in columns]
    for statement in statements:
        _warm(conn, statement, {"pk": 1})
    answers = [conn.execute(statement, {"pk": 1}).rows for statement in statements]
    assert answers == [[(1, "Ann")], [(1, 3_000_000_000)], [(1, True)]]
    assert hits == {"prepared": 3, "cursor": 0}
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE %s",
            ["_manouche_%"],
        )
        assert cursor.fetchone() == (2,)


def test_a_value_that_does_not_dump_fails_as_on_the_cursor_path(
    conn: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = sa.select(sa.bindparam("x") == 1).execution_options(
        manouche_direct=True
    )
    _warm(conn, statement, {"x": 1})
    errors = []
    for _ in range(2):
        with pytest.raises(ProgrammingError) as caught:
            conn.execute(statement, {"x": 1j})
        errors.append(str(caught.value))
        assert conn.execute(statement, {"x": 1}).rows == [(True,)]
        _cursor_path(monkeypatch)
    assert hits == {"prepared": 1, "cursor": 1}  # the first failure fell back
    assert errors[0] == errors[1]
    assert "cannot adapt type 'complex'" in errors[0]
