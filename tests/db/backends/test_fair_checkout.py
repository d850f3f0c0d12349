"""Tasks waiting on a full async pool are served in the order they came."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from manouche.db import connection, connections
from manouche.db.backends.base._fair_checkout import FairGate, gate_for
from tests.db.backends.test_async_connections import drain_releases, servers
from tests.db.conftest import DatabaseFixture


async def test_a_newcomer_does_not_pass_a_waiting_task() -> None:
    gate = FairGate(1, timeout=5)
    order: list[str] = []
    assert await gate.enter()  # the connection is taken

    async def visitor(name: str) -> None:
        assert await gate.enter()
        order.append(name)
        await asyncio.sleep(0)
        gate.leave()

    first = asyncio.create_task(visitor("waiting"))
    await asyncio.sleep(0)  # it now waits for the permit
    newcomer = asyncio.create_task(visitor("newcomer"))  # ready, not run yet
    gate.leave()  # the permit goes to the waiting task, though the newcomer runs first
    await asyncio.gather(first, newcomer)
    assert order == ["waiting", "newcomer"]


async def test_waiting_stops_after_the_pool_timeout() -> None:
    gate = FairGate(1, timeout=0.05)
    assert await gate.enter()
    assert await gate.enter() is False  # the checkout then asks the pool itself
    gate.leave()


def test_gates_follow_the_pool_bounds() -> None:
    bounded = create_async_engine(
        "postgresql+psycopg://postgres@127.0.0.1/postgres",
        pool_size=3,
        max_overflow=2,
        pool_timeout=7,
    )
    unbounded = create_async_engine(
        "postgresql+psycopg://postgres@127.0.0.1/postgres", max_overflow=-1
    )
    gate = gate_for(bounded)
    assert gate is not None
    assert gate._semaphore._value == 5
    assert gate_for(bounded) is gate
    assert gate_for(unbounded) is None


def one() -> sa.Select[tuple[int]]:
    return sa.select(sa.literal(1))


@servers
async def test_every_permit_comes_back(database: DatabaseFixture) -> None:
    engine = await connections["default"].get_sa_async_engine()
    gate = gate_for(engine)
    assert gate is not None
    permits = gate._semaphore._value

    async def lookup() -> None:
        await connection.aexecute(one())
        await connection.aclose()

    # More tasks than connections: most of them wait at the gate.
    await asyncio.gather(*(lookup() for _ in range(permits * 3)))
    await drain_releases()
    assert gate._semaphore._value == permits


@servers
async def test_a_cancelled_waiter_gives_nothing_away(database: DatabaseFixture) -> None:
    engine = await connections["default"].get_sa_async_engine()
    gate = gate_for(engine)
    assert gate is not None
    permits = gate._semaphore._value
    holding = 0
    all_held = asyncio.Event()

    async def hold() -> None:
        nonlocal holding
        await connection.aexecute(one())
        holding += 1
        if holding == permits:
            all_held.set()
        await asyncio.sleep(30)

    holders = [asyncio.create_task(hold()) for _ in range(permits)]
    await asyncio.wait_for(all_held.wait(), 10)
    waiter = asyncio.create_task(connection.aexecute(one()))
    await asyncio.sleep(0.01)  # it waits at the gate: every connection is held
    assert not waiter.done()
    waiter.cancel()
    for task in holders:
        task.cancel()
    await asyncio.gather(waiter, *holders, return_exceptions=True)
    await drain_releases()
    assert gate._semaphore._value == permits
