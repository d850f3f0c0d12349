"""The async side of ``transaction.atomic``: one held connection per task.

PostgreSQL and MariaDB run the block on the async driver connection the task
holds (``base/_async.py``; checked out if the task has none yet): BEGIN,
SAVEPOINT and COMMIT are awaited on the loop, and the connection stays with
the task after the block. SQLite holds a DatabaseWrapper and runs the sync
algorithm through ``run_sync``. Either way ``connection.aexecute`` finds the
block through the ContextVar, so the block's statements (and those of tasks
it spawns, serialised by the connection's lock) share its transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

from manouche.db.backends.base._async import AsyncHeld, task_connection
from manouche.db.backends.base._results import wrappers_allow
from manouche.db.backends.base.base import ExecutionResult, _call_hook
from manouche.db.transaction import Atomic, TransactionManagementError, _held
from manouche.db.utils import DatabaseError, Error, OperationalError
from manouche.utils.asyncio import run_sync

__all__ = [
    "AsyncTransaction",
    "SyncHeldConnection",
    "enter_async",
    "exit_async",
    "hold_for_testcase",
    "release_for_testcase",
]

_savepoint_counter = itertools.count(1)


class SyncHeldConnection:
    """A DatabaseWrapper reserved for one task's atomic block (SQLite)."""

    def __init__(self, wrapper: Any, owned: bool) -> None:
        self.wrapper = wrapper
        self.owned = owned
        self.depth = 0
        self.token: Any = None

    @property
    def in_atomic_block(self) -> bool:
        return bool(self.wrapper.in_atomic_block)

    @property
    def needs_rollback(self) -> bool:
        return bool(self.wrapper.needs_rollback)

    @needs_rollback.setter
    def needs_rollback(self, value: bool) -> None:
        self.wrapper.needs_rollback = value

    @property
    def rollback_exc(self) -> BaseException | None:
        return self.wrapper.rollback_exc  # type: ignore[no-any-return]

    @rollback_exc.setter
    def rollback_exc(self, value: BaseException | None) -> None:
        self.wrapper.rollback_exc = value

    async def aexecute(
        self, owner: Any, statement: Any, parameters: Any
    ) -> ExecutionResult:
        return await run_sync(self.wrapper.execute, statement, parameters)

    async def aiterate(
        self, owner: Any, statement: Any, chunk_size: int
    ) -> AsyncIterator[tuple[Any, ...]]:
        result = await self.aexecute(owner, statement, None)
        for row in result.rows:
            yield tuple(row)

    def on_commit(self, func: Callable[[], Any], robust: bool) -> None:
        self.wrapper.on_commit(func, robust)

    def get_rollback(self) -> bool:
        return bool(self.wrapper.get_rollback())

    def set_rollback(self, rollback: bool) -> None:
        self.wrapper.set_rollback(rollback)


class AsyncTransaction:
    """The state of one task's async transaction on its held connection."""

    in_atomic_block = True

    def __init__(self, wrapper: Any, held: AsyncHeld) -> None:
        self.wrapper = wrapper
        self.held = held
        self.atomic_blocks: list[Atomic] = []
        self.savepoint_ids: list[str | None] = []
        self.needs_rollback = False
        self.rollback_exc: BaseException | None = None
        self.run_on_commit: list[tuple[set[str | None], Callable[[], Any], bool]] = []
        self.token: Any = None
        self.ended = False

    @property
    def conn(self) -> Any:
        """The SQLAlchemy ``AsyncConnection`` of the transaction."""
        return self.held.conn

    async def aexecute(
        self, owner: Any, statement: Any, parameters: Any
    ) -> ExecutionResult:
        if self.needs_rollback:
            raise TransactionManagementError(
                "An error occurred in the current transaction. You can't "
                "execute queries until the end of the 'atomic' block."
            ) from self.rollback_exc
        if self.ended:
            # A task started inside the block outlived it.
            raise TransactionManagementError(
                "The atomic block this task was started in has ended."
            )
        if not wrappers_allow(owner, statement, parameters):
            return ExecutionResult([], -1, None, [])
        held = self.held
        async with held.lock:
            _check_alive(held)
            return await held.execute(statement, parameters)

    async def aiterate(
        self, owner: Any, statement: Any, chunk_size: int
    ) -> AsyncIterator[tuple[Any, ...]]:
        # Not under the lock: the loop body may run statements meanwhile.
        async for row in owner.aiterate_on(self.conn, statement, chunk_size, False):
            yield row

    async def run(self, sql: str) -> None:
        """Run a transaction-control statement and log it."""
        held = self.held
        async with held.lock:
            _check_alive(held)
            await held.run_control(sql)

    def on_commit(self, func: Callable[[], Any], robust: bool) -> None:
        if not callable(func):
            raise TypeError("on_commit()'s callback must be a callable.")
        self.run_on_commit.append((set(self.savepoint_ids), func, robust))

    def get_rollback(self) -> bool:
        return self.needs_rollback

    def set_rollback(self, rollback: bool) -> None:
        self.needs_rollback = rollback

    async def savepoint_rollback(self, sid: str) -> None:
        await self.run(self.wrapper.ops.savepoint_rollback_sql(sid))
        self.run_on_commit = [
            entry for entry in self.run_on_commit if sid not in entry[0]
        ]

    async def savepoint_commit(self, sid: str) -> None:
        if self.wrapper.features.can_release_savepoints:
            await self.run(self.wrapper.ops.savepoint_commit_sql(sid))


def _check_alive(held: AsyncHeld) -> None:
    if held.closed:
        # As the sync wrapper says when its connection dropped.
        raise OperationalError(
            "The database connection was lost inside an atomic block."
        )


def _current(alias: str) -> Any:
    held = _held.get()
    return None if held is None else held.get(alias)


def _hold(alias: str, value: Any) -> Any:
    held = dict(_held.get() or {})
    held[alias] = value
    return _held.set(held)


async def enter_async(atomic: Atomic, alias: str) -> None:
    """Open an async atomic block on ``alias``."""
    from manouche.db import connections

    wrapper = connections[alias]
    current = _current(alias)
    if wrapper.sa_async_driver is None or isinstance(current, SyncHeldConnection):
        await _enter_sync_held(atomic, alias, wrapper, current)
        return
    if current is None:
        held = await task_connection(wrapper)
        state = AsyncTransaction(wrapper, held)
        await state.run(wrapper.ops.start_transaction_sql())
        held.in_transaction = True
        state.token = _hold(alias, state)
        state.atomic_blocks.append(atomic)
        return
    atomic._check_durable(current.atomic_blocks)
    sid = None
    if atomic.savepoint and not current.needs_rollback:
        sid = f"a{next(_savepoint_counter)}"
        await current.run(wrapper.ops.savepoint_create_sql(sid))
    current.savepoint_ids.append(sid)
    current.atomic_blocks.append(atomic)


async def _enter_sync_held(
    atomic: Atomic, alias: str, wrapper: Any, current: Any
) -> None:
    if current is None:
        owned = not wrapper.is_shared_across_threads()
        target = wrapper.copy() if owned else wrapper
        current = SyncHeldConnection(target, owned)
        current.token = _hold(alias, current)
    try:
        await run_sync(atomic.enter_on, current.wrapper)
    except BaseException:
        if current.depth == 0:
            await _release_sync_held(alias, current)
        raise
    current.depth += 1


async def _release_sync_held(alias: str, current: SyncHeldConnection) -> None:
    _held.reset(current.token)
    if current.owned:
        await run_sync(current.wrapper.close)


async def exit_async(atomic: Atomic, alias: str, exc_type: Any) -> None:
    """Close an async atomic block on ``alias``."""
    current = _current(alias)
    if current is None:
        raise TransactionManagementError("No async atomic block is open.")
    if isinstance(current, SyncHeldConnection):
        try:
            await run_sync(atomic.exit_on, current.wrapper, exc_type)
        finally:
            current.depth -= 1
            if current.depth == 0:
                await _release_sync_held(alias, current)
        return
    current.atomic_blocks.pop()
    if current.atomic_blocks:
        sid = current.savepoint_ids.pop()
        if exc_type is None and not current.needs_rollback:
            await _release_savepoint(current, sid)
        else:
            await _rollback_savepoint(current, sid)
        return
    await _finish_outermost(alias, current, exc_type)


async def _release_savepoint(current: AsyncTransaction, sid: str | None) -> None:
    if sid is None:
        return
    try:
        await current.savepoint_commit(sid)
    except DatabaseError:
        try:
            await current.savepoint_rollback(sid)
            await current.savepoint_commit(sid)
        except Error:
            current.needs_rollback = True
        raise


async def _rollback_savepoint(current: AsyncTransaction, sid: str | None) -> None:
    current.needs_rollback = False
    if sid is None:
        current.needs_rollback = True
        return
    try:
        await current.savepoint_rollback(sid)
        await current.savepoint_commit(sid)
    except Error:
        current.needs_rollback = True


async def _finish_outermost(
    alias: str, current: AsyncTransaction, exc_type: Any
) -> None:
    committed = ended = False
    held = current.held
    try:
        if exc_type is None and not current.needs_rollback:
            try:
                await current.run("COMMIT")
                committed = True
            except DatabaseError:
                await _rollback_or_discard(current)
                ended = True
                raise
        else:
            await _rollback_or_discard(current)
        ended = True
    finally:
        current.ended = True
        _held.reset(current.token)
        held.in_transaction = False
        if not ended:
            # Interrupted (cancelled) mid-way: the transaction may be open.
            await held.discard()
        elif held.scope is None and not held.closed:
            await held.aclose()
    if committed:
        hooks, current.run_on_commit = current.run_on_commit, []
        for _sids, func, robust in hooks:
            _call_hook(func, robust)


async def _rollback_or_discard(current: AsyncTransaction) -> None:
    """Roll back; a connection that cannot is closed, never pooled again."""
    try:
        await current.run("ROLLBACK")
    except Error:
        held = current.held
        async with held.lock:
            await held.discard()


def hold_for_testcase(atomics: dict[str, Any]) -> Any:
    """Route async queries of a TestCase test to the test's own connections.

    Returns the token ``release_for_testcase`` needs. The held connections
    never end the transaction: TestCase rolls it back.
    """
    from manouche.db import connections

    held = dict(_held.get() or {})
    for alias in atomics:
        current = SyncHeldConnection(connections[alias], owned=False)
        current.depth = 1
        held[alias] = current
    return _held.set(held)


def release_for_testcase(token: Any) -> None:
    """Undo ``hold_for_testcase``."""
    _held.reset(token)
