"""PostgreSQL async replays of hot SELECTs as our own prepared statements.

The async twin of ``test_postgresql_prepared``: once a replayed statement's
result format is known, it runs outside transactions as our prepared
statement, sent without blocking the loop. It must answer what psycopg's
async cursor answers, raise the same errors, survive the server losing the
statement, keep the cursor inside transactions and give up a connection
whose task was cancelled mid-statement.
"""

from __future__ import annotations

import asyncio
import decimal
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import connection, connections, transaction
from manouche.db.backends.base._results import PendingResult
from manouche.db.utils import DataError, ProgrammingError
from manouche.utils.asyncio import run_sync
from tests.db.backends.test_postgresql_prepared import ROWS, kinds, metadata

pytestmark = pytest.mark.parametrize("database", ["postgresql"], indirect=True)


@pytest.fixture
def table(database: Any) -> Iterator[Any]:
    sync = database.connection
    metadata.create_all(sync.sa_engine)
    try:
        for row in ROWS:
            sync.execute(sa.insert(kinds).values(**row))
        yield kinds
    finally:
        metadata.drop_all(sync.sa_engine)


@pytest.fixture
def hits(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the async replays the prepared path answered (or passed on)."""
    from manouche.db.backends.postgresql import base

    real = base.arun_prepared  # type: ignore[attr-defined]
    counts = {"prepared": 0, "cursor": 0}

    async def counting(*args: Any) -> Any:
        rows = await real(*args)
        counts["prepared" if rows is not None else "cursor"] += 1
        return rows

    monkeypatch.setattr(base, "arun_prepared", counting)
    return counts


def _cursor_path(monkeypatch: pytest.MonkeyPatch) -> None:
    from manouche.db.backends.postgresql import base

    async def never(*args: Any) -> None:
        return None

    monkeypatch.setattr(base, "arun_prepared", never)


def _by_id(*columns: Any) -> Any:
    return (
        sa.select(*(columns or kinds.c))
        .where(kinds.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )


async def _rows(statement: Any, **parameters: Any) -> list[Any]:
    return list((await connection.aexecute(statement, parameters)).rows)


async def test_async_prepared_rows_are_the_cursor_paths_across_types(
    table: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = _by_id()
    unmarked = sa.select(*kinds.c).where(kinds.c.id == sa.bindparam("pk"))
    core = {pk: await _rows(unmarked, pk=pk) for pk in (1, 2)}
    await _rows(statement, pk=1)  # planned; its format decided
    prepared = {pk: await _rows(statement, pk=pk) for pk in (1, 2)}
    assert hits == {"prepared": 2, "cursor": 0}
    _cursor_path(monkeypatch)
    cursor = {pk: await _rows(statement, pk=pk) for pk in (1, 2)}
    for pk in (1, 2):
        assert repr(prepared[pk]) == repr(cursor[pk]) == repr(core[pk])
    assert prepared[1][0][14] == {"a": [1, 2]}  # JSONB: a text-format result


async def test_async_conversions_are_left_to_the_reader(
    table: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.id, sa.cast(kinds.c.amount, sa.Numeric(asdecimal=False)))
    core = await _rows(statement, pk=1)
    result = await connection.aexecute(statement, {"pk": 1})
    assert hits["prepared"] == 1
    assert isinstance(result, PendingResult)
    assert result.rows == core == [(1, 12.34)]
    assert isinstance(result.raw_rows[0][1], decimal.Decimal)


async def test_async_errors_are_the_cursor_paths(
    table: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = (
        sa.select(kinds.c.big / sa.bindparam("by", type_=sa.BigInteger))
        .where(kinds.c.id == 1)
        .execution_options(manouche_direct=True)
    )
    await _rows(statement, by=2)
    errors = []
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            await _rows(statement, by=0)
        errors.append(caught.value)
        assert await _rows(statement, by=3) == [(1_000_000_000,)]
        _cursor_path(monkeypatch)
    assert hits == {"prepared": 1, "cursor": 0}  # then the cursor path ran
    prepared, cursor = errors
    assert type(prepared.__cause__) is type(cursor.__cause__)
    assert str(prepared) == str(cursor)
    assert "division by zero" in str(prepared)


@pytest.mark.parametrize("command", ["DISCARD ALL", "DEALLOCATE ALL"])
async def test_async_lost_statement_is_retried_then_prepared_again(
    table: Any, hits: dict[str, int], command: str
) -> None:
    statement = _by_id(kinds.c.id, kinds.c.name)
    await _rows(statement, pk=1)
    assert await _rows(statement, pk=1) == [(1, "Ann")]
    await connection.aexecute(sa.text(command))
    assert await _rows(statement, pk=1) == [(1, "Ann")]
    assert hits == {"prepared": 1, "cursor": 1}
    assert await _rows(statement, pk=2) == [(2, None)]
    assert hits == {"prepared": 2, "cursor": 1}


async def test_async_stale_plan_after_ddl_is_deallocated_and_retried(
    table: Any, hits: dict[str, int]
) -> None:
    statement = (
        sa.select(sa.text("*"))
        .select_from(kinds)
        .where(kinds.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )
    await _rows(statement, pk=2)
    assert len((await _rows(statement, pk=2))[0]) == len(kinds.c)
    prepared = sa.text("SELECT name FROM pg_prepared_statements WHERE name LIKE :p")
    (name,) = [row[0] for row in await _rows(prepared, p="_manouche_%")]

    def alter() -> None:
        other = connections["default"].copy("other")
        try:
            with other.cursor() as cursor:
                cursor.execute("ALTER TABLE dbt_prepared_kinds ADD COLUMN extra int")
        finally:
            other.close()

    await run_sync(alter)
    assert len((await _rows(statement, pk=2))[0]) == len(kinds.c) + 1
    assert hits == {"prepared": 1, "cursor": 1}
    left = [row[0] for row in await _rows(prepared, p="_manouche_%")]
    assert name not in left
    assert len((await _rows(statement, pk=2))[0]) == len(kinds.c) + 1
    assert hits == {"prepared": 2, "cursor": 1}


async def test_async_transactions_keep_the_cursor_path(
    table: Any, hits: dict[str, int]
) -> None:
    statement = _by_id(kinds.c.id, kinds.c.name)
    await _rows(statement, pk=1)
    async with transaction.atomic():
        await connection.aexecute(sa.insert(kinds).values(id=3, name="Bo"))
        assert await _rows(statement, pk=3) == [(3, "Bo")]
        transaction.set_rollback(True)
    assert hits == {"prepared": 0, "cursor": 1}
    assert await _rows(statement, pk=3) == []
    assert hits == {"prepared": 1, "cursor": 1}


async def test_async_oldest_statements_are_deallocated_past_the_limit(
    table: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from manouche.db.backends.postgresql import _prepared

    monkeypatch.setattr(_prepared, "MAX_PREPARED", 2)
    statements = [_by_id(kinds.c.id, column) for column in (kinds.c.name, kinds.c.big)]
    statements.append(_by_id(kinds.c.id, kinds.c.flag))
    for statement in statements:
        await _rows(statement, pk=1)
    answers = [await _rows(statement, pk=1) for statement in statements]
    assert answers == [[(1, "Ann")], [(1, 3_000_000_000)], [(1, True)]]
    assert hits == {"prepared": 3, "cursor": 0}
    prepared = sa.text("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE :p")
    assert await _rows(prepared, p="_manouche_%") == [(2,)]


async def test_async_cancelled_statement_gives_up_its_connection(
    table: Any, hits: dict[str, int]
) -> None:
    statement = sa.select(
        sa.func.pg_sleep(sa.bindparam("seconds", type_=sa.Float)), sa.literal(1)
    ).execution_options(manouche_direct=True)
    await _rows(statement, seconds=0)
    sessions: list[int] = []

    async def sleeper() -> Any:
        sessions.append((await _rows(sa.select(sa.func.pg_backend_pid())))[0][0])
        await _rows(statement, seconds=0)
        return await _rows(statement, seconds=30)

    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0.5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert hits["prepared"] == 1  # the cancelled one never answered
    # The query was cancelled on the server and its session closed.
    alive = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    for _ in range(50):
        if (await _rows(alive, pid=sessions[0]))[0][0] == 0:
            break
        await asyncio.sleep(0.1)
    assert await _rows(alive, pid=sessions[0]) == [(0,)]
    assert await _rows(statement, seconds=0) == [("", 1)]  # void


async def test_async_value_that_does_not_dump_fails_as_on_the_cursor_path(
    table: Any, hits: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    statement = sa.select(sa.bindparam("x") == 1).execution_options(
        manouche_direct=True
    )
    await _rows(statement, x=1)
    errors = []
    for _ in range(2):
        with pytest.raises(ProgrammingError) as caught:
            await _rows(statement, x=1j)
        errors.append(str(caught.value))
        assert await _rows(statement, x=1) == [(True,)]
        _cursor_path(monkeypatch)
    assert hits == {"prepared": 1, "cursor": 1}  # the first failure fell back
    assert errors[0] == errors[1]
    assert "cannot adapt type 'complex'" in errors[0]
