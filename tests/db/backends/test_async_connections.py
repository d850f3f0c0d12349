"""The async connection a task holds: reuse, release, concurrency, recovery."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import (
    InterfaceError,
    OperationalError,
    connection,
    connections,
    release_async_connections,
    transaction,
)
from manouche.db.backends.base import _async
from manouche.http import JsonResponse
from manouche.test.client import AsyncClient
from manouche.test.utils import CaptureQueriesContext, override_settings
from manouche.urls import path
from manouche.utils.asyncio import run_sync
from tests.db.conftest import DatabaseFixture
from tests.db.models_standin import Author, author_table

servers = pytest.mark.parametrize("database", ["postgresql", "mariadb"], indirect=True)


def session_id() -> Any:
    """The server's id of the connection that runs the statement."""
    if connection.vendor == "postgresql":
        return sa.select(sa.func.pg_backend_pid())
    return sa.select(sa.func.connection_id())


async def current_session() -> int:
    result = await connection.aexecute(session_id())
    return int(result.rows[0][0])


async def kill(session: int) -> None:
    """End the server session ``session`` from another connection."""
    if connection.vendor == "postgresql":
        statement: Any = sa.select(sa.func.pg_terminate_backend(session, 5000))
    else:
        statement = sa.text(f"KILL {int(session)}")
    await run_sync(connections["default"].execute, statement)


def names() -> Any:
    return sa.select(author_table.c.name).order_by(author_table.c.name)


def hot_lookup() -> Any:
    """A statement taking the direct (raw driver) path after its first run."""
    return (
        sa.select(author_table.c.id, author_table.c.name)
        .where(author_table.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )


async def drain_releases() -> None:
    """Wait for the connections given back in the background."""
    await asyncio.sleep(0)  # done callbacks already queued run first
    while _async._background:
        await asyncio.gather(*list(_async._background))


@servers
async def test_statements_of_a_task_share_one_connection(
    database: DatabaseFixture,
) -> None:
    first = await current_session()
    await connection.aexecute(sa.select(sa.literal(1)))
    assert await current_session() == first
    # Kept between statements, not returned to the pool after each one.
    engine = await connection.get_sa_async_engine()
    assert engine.pool.checkedout() == 1


@servers
async def test_the_connection_returns_to_the_pool_when_its_task_ends(
    database: DatabaseFixture,
) -> None:
    async def child() -> Any:
        await current_session()
        return await _async.task_connection(connection)

    held = await asyncio.create_task(child())
    await drain_releases()
    assert held.closed
    assert held not in _async._live.get(asyncio.get_running_loop(), set())


@servers
async def test_aclose_returns_the_task_connection(database: DatabaseFixture) -> None:
    await current_session()
    held = await _async.task_connection(connection)
    await connection.aclose()
    assert held.closed
    assert await _async.task_connection(connection) is not held


@servers
async def test_gathered_tasks_use_their_own_connections(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    mine = await current_session()
    sessions = await asyncio.gather(*(current_session() for _ in range(3)))
    assert mine not in sessions
    assert len(set(sessions)) == 3
    assert await current_session() == mine


@pytest.mark.parametrize("database", ["sqlite", "postgresql", "mariadb"], indirect=True)
async def test_gathered_and_sequential_statements_agree(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    for name in ("a", "b", "c"):
        await connection.aexecute(sa.insert(author_table).values(name=name))
    lookup = hot_lookup()
    sequential = [
        (await connection.aexecute(lookup, {"pk": pk})).rows for pk in (1, 2, 3)
    ]
    gathered = await asyncio.gather(
        *(connection.aexecute(lookup, {"pk": pk}) for pk in (1, 2, 3))
    )
    assert [result.rows for result in gathered] == sequential
    assert sequential == [[(1, "a")], [(2, "b")], [(3, "c")]]


@servers
async def test_tasks_spawned_in_an_atomic_block_share_its_transaction(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)

    async def count() -> int:
        result = await connection.aexecute(
            sa.select(sa.func.count()).select_from(author_table)
        )
        return int(result.rows[0][0])

    async def spawn_in_a_block() -> tuple[list[int], set[int], int]:
        async with transaction.atomic():
            session = await current_session()
            await connection.aexecute(sa.insert(author_table).values(name="tx"))
            counts = await asyncio.gather(*(count() for _ in range(4)))
            sessions = await asyncio.gather(*(current_session() for _ in range(4)))
            transaction.set_rollback(True)
        return counts, set(sessions), session

    counts, sessions, session = await spawn_in_a_block()
    assert counts == [1, 1, 1, 1]
    assert sessions == {session}
    assert await count() == 0


@servers
async def test_atomic_blocks_and_plain_statements_share_the_task_connection(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    session = await current_session()
    await connection.aexecute(sa.insert(author_table).values(name="plain"))
    async with transaction.atomic():
        assert await current_session() == session
        await connection.aexecute(sa.insert(author_table).values(name="kept"))
    async with transaction.atomic():
        await connection.aexecute(sa.insert(author_table).values(name="gone"))
        transaction.set_rollback(True)
    # Back in autocommit: another connection sees the work right away.
    assert await current_session() == session
    await connection.aexecute(sa.insert(author_table).values(name="after"))
    seen = await run_sync(connections["default"].execute, names())
    assert seen.rows == [("after",), ("kept",), ("plain",)]


@servers
async def test_a_dropped_connection_fails_once_then_reconnects(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    await connection.aexecute(sa.insert(author_table).values(name="a"))
    lookup = hot_lookup()
    await connection.aexecute(lookup, {"pk": 1})  # plans the direct path
    for statement, parameters in ((lookup, {"pk": 1}), (names(), None)):
        session = await current_session()
        await kill(session)
        with pytest.raises((OperationalError, InterfaceError)):
            await connection.aexecute(statement, parameters)
        assert (await connection.aexecute(statement, parameters)).rows
        assert await current_session() != session


@servers
async def test_a_connection_dropped_in_an_atomic_block_fails_the_block(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    session = await current_session()

    async def lose_the_connection_in_a_block() -> None:
        async with transaction.atomic():
            await connection.aexecute(sa.insert(author_table).values(name="lost"))
            await kill(session)
            await connection.aexecute(names())

    with pytest.raises((OperationalError, InterfaceError)):
        await lose_the_connection_in_a_block()
    assert await current_session() != session
    assert (await connection.aexecute(names())).rows == []


@servers
async def test_direct_statements_are_logged_and_pass_execute_wrappers(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    await connection.aexecute(sa.insert(author_table).values(name="a"))
    lookup = hot_lookup()
    seen: list[str] = []

    def wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        seen.append(str(sql))
        return execute(sql, params, many, context)

    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(wrapper),
    ):
        for _ in range(3):
            result = await connection.aexecute(lookup, {"pk": 1})
            assert result.rows == [(1, "a")]
            assert result.keys == ["id", "name"]
    assert len(seen) == 3
    assert len(captured.captured_queries) == 3
    assert all("1" in query["sql"] for query in captured.captured_queries)


async def session_view(request: Any) -> Any:
    session = await current_session()
    held = await _async.task_connection(connection)
    request_connections.append(held)
    return JsonResponse({"session": session})


request_connections: list[Any] = []
urlpatterns = [path("session/", session_view)]


@servers
async def test_the_request_end_returns_the_connection(
    database: DatabaseFixture,
) -> None:
    request_connections.clear()
    with override_settings(ROOT_URLCONF=__name__):
        response = await AsyncClient().get("/session/")
    assert response.status_code == 200
    (held,) = request_connections
    await drain_releases()
    assert held.closed
    assert await _async.task_connection(connection) is not held


@servers
async def test_a_task_outliving_its_atomic_block_gets_a_clear_error(
    database: DatabaseFixture,
) -> None:
    started = asyncio.Event()
    block_done = asyncio.Event()

    async def late() -> None:
        started.set()
        await block_done.wait()
        await connection.aexecute(sa.select(sa.literal(1)))

    async with transaction.atomic():
        task = asyncio.create_task(late())
        await started.wait()
    block_done.set()
    with pytest.raises(transaction.TransactionManagementError, match="has ended"):
        await task


@servers
async def test_request_finished_in_a_worker_thread_returns_the_connection(
    database: DatabaseFixture,
) -> None:
    # A receiver that is not loop-safe makes the handler send the signal
    # from a worker thread, in a copy of the request's context.
    await current_session()
    held = await _async.task_connection(connection)
    await run_sync(release_async_connections)
    await drain_releases()
    assert held.closed


@servers
async def test_aclose_all_returns_the_task_connections(
    database: DatabaseFixture,
) -> None:
    await current_session()
    held = await _async.task_connection(connection)
    await connections.aclose_all()
    assert held.closed


@servers
async def test_after_a_server_restart_one_statement_fails_then_tasks_reconnect(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    await connection.aexecute(sa.insert(author_table).values(name="a"))
    lookup = hot_lookup()
    await connection.aexecute(lookup, {"pk": 1})  # plans the direct path

    async def in_a_task() -> Any:
        return await asyncio.create_task(connection.aexecute(lookup, {"pk": 1}))

    # Two idle connections in the pool, then the "restart" drops them.
    pooled = await asyncio.gather(current_session(), current_session())
    await drain_releases()
    for session in pooled:
        await kill(session)
    with pytest.raises((OperationalError, InterfaceError)):
        await in_a_task()
    await drain_releases()
    assert (await in_a_task()).rows == [(1, "a")]


@servers
async def test_a_cancelled_statement_leaves_the_next_one_a_working_connection(
    database: DatabaseFixture,
) -> None:
    if connection.vendor == "postgresql":
        slow: Any = sa.select(sa.func.pg_sleep(30))
    else:
        slow = sa.select(sa.func.sleep(30))
    session = await current_session()
    # asyncio.timeout cancels this very task (wait_for would start another).
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.2):
            await connection.aexecute(slow)
    assert (await connection.aexecute(sa.select(sa.literal(7)))).rows == [(7,)]
    assert await current_session() != session


@servers
async def test_statements_after_a_cancellation_in_a_block_fail_clearly(
    database: DatabaseFixture,
) -> None:
    if connection.vendor == "postgresql":
        slow: Any = sa.select(sa.func.pg_sleep(30))
    else:
        slow = sa.select(sa.func.sleep(30))

    async def cancel_then_continue() -> None:
        async with transaction.atomic():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(0.2):
                    await connection.aexecute(slow)
            await connection.aexecute(sa.select(sa.literal(1)))

    with pytest.raises(OperationalError, match="lost inside an atomic block"):
        await cancel_then_continue()
    assert (await connection.aexecute(sa.select(sa.literal(7)))).rows == [(7,)]
