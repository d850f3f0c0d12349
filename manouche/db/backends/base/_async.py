"""Async execution on PostgreSQL and MariaDB: one driver connection per task.

Checking a connection out of SQLAlchemy's async pool for every statement
costs more than the statement (greenlet switches for the checkout, the
execution and the reset on return, each a few loop iterations). So a task
keeps the connection it first checks out for an alias and runs every later
statement on it, in autocommit mode (no BEGIN, no ROLLBACK per statement).
The connection goes back to the pool when:

- the task finishes (a done callback of the task),
- the request finishes (``request_finished``, see ``manouche.db``),
- or the code asks: ``await connection.aclose()`` /
  ``await connections.aclose_all()``.

Tasks spawned with ``asyncio.gather`` / ``create_task`` inherit context
variables but not the connection: each task checks out its own, so gathered
queries really run concurrently and nothing is shared. Inside an async
atomic block the child tasks share the block's connection (it holds the
transaction); its ``asyncio.Lock`` serialises their statements.

Hot statements (the ``manouche_direct`` execution option) run once through
SQLAlchemy, which yields a ``_DirectPlan``; later executions replay the
compiled SQL on the raw driver connection (psycopg ``AsyncConnection`` or
aiomysql), skipping the greenlet bridge, as the sync path does on the DBAPI
cursor. Transaction control statements run on the raw driver too.

A statement failing with OperationalError or InterfaceError outside a
transaction drops the task's connection (the server may have closed it):
the error surfaces once, and the next statement checks out a fresh one; a
disconnect also recycles the pooled connections opened before it. A
statement cancelled mid-way closes its connection (the answer may be
unread).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from manouche import db
from manouche.db.backends.base._fair_checkout import FairGate, gate_for
from manouche.db.backends.base._results import (
    _MAX_DIRECT_PLANS,
    ExecutionResult,
    PendingResult,
    _DirectPlan,
    _failed_sql,
    _recycle_older_pooled,
    _wants_direct,
)
from manouche.db.backends.utils import interpolate
from manouche.db.utils import DatabaseErrorWrapper, InterfaceError, OperationalError

__all__ = [
    "AsyncHeld",
    "aclose_task_connection",
    "aexecute",
    "release_task_connections",
    "task_connection",
]

# Translates driver and SQLAlchemy errors; it keeps no state.
_errors = DatabaseErrorWrapper(None)
_LOST = (OperationalError, InterfaceError)


class _TaskConnections:
    """The connections one task holds, by alias."""

    __slots__ = ("__weakref__", "held", "task")

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.held: dict[str, AsyncHeld] = {}
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self.release(keep_transactions=False)

    def release(self, keep_transactions: bool) -> None:
        """Send the held connections back to the pool (in the background)."""
        for held in list(self.held.values()):
            if keep_transactions and held.in_transaction:
                continue
            held.release_soon()


_scope: ContextVar[_TaskConnections | None] = ContextVar(
    "manouche_db_task_connections", default=None
)


class AsyncHeld:
    """One async driver connection held by one task for one alias."""

    def __init__(
        self,
        wrapper: Any,
        conn: AsyncConnection,
        fairy: Any,
        scope: _TaskConnections | None,
    ) -> None:
        self.wrapper = wrapper
        self.conn = conn
        # The pool's proxy of the driver connection, and the driver's own.
        self.fairy = fairy
        self.raw = fairy.driver_connection
        self.scope = scope
        self.loop = asyncio.get_running_loop()
        self.lock = asyncio.Lock()
        self.in_transaction = False
        self.closed = False
        self.gate: FairGate | None = None
        self._mysql = wrapper.vendor == "mysql"
        self._cursor: Any = None

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<AsyncHeld alias={self.wrapper.alias!r} {state}>"

    # Execution (the caller holds ``lock``).

    async def execute(self, statement: Any, parameters: Any) -> ExecutionResult:
        """Run a Core statement, replaying its plan on the driver when it has one."""
        wrapper = self.wrapper
        plans = wrapper._async_plans
        entry = plans.get(id(statement))
        if entry is not None and entry[0] is statement and entry[1] is not None:
            return await self._execute_direct(entry[1], parameters)
        start = time.monotonic()
        try:
            try:
                with _errors:
                    result = await self.conn.execute(statement, parameters)
                    if entry is None and _wants_direct(statement, parameters):
                        if len(plans) >= _MAX_DIRECT_PLANS:
                            plans.clear()
                        plan = _DirectPlan.build(result, parameters)
                        plans[id(statement)] = (statement, plan)
                        if plan is not None:
                            wrapper._direct_learn(self.raw, result.cursor, plan)
                    outcome = ExecutionResult.from_result(result)
            except _LOST:
                await self._lost(None)
                raise
            except asyncio.CancelledError:
                self._interrupted()
                raise
        except Exception as exc:
            if wrapper.queries_logged:
                wrapper.log_query(_failed_sql(exc, statement), time.monotonic() - start)
            raise
        if wrapper.queries_logged:
            wrapper._log_statement(result, statement, time.monotonic() - start)
        return outcome

    async def _execute_direct(
        self, plan: _DirectPlan, parameters: Any
    ) -> ExecutionResult:
        """Replay ``plan``: the backend's own way first, else the driver's cursor.

        Rows needing conversions come back pending, as on the sync path (the
        model layer converts them while building instances).
        """
        wrapper = self.wrapper
        start = time.monotonic()
        driver_parameters = plan.driver_parameters(parameters)
        try:
            rows = await self.run_backend(plan, driver_parameters)
            if rows is not None:
                rowcount = len(rows)
            else:
                options = wrapper._direct_options(self.raw, plan)
                rows, rowcount = await self.run_raw(
                    plan.sql, driver_parameters, options
                )
                if not options:
                    wrapper._direct_learn(self.raw, self._cursor, plan)
        except Exception:
            if wrapper.queries_logged:
                wrapper.log_query(plan.sql, time.monotonic() - start)
            raise
        if wrapper.queries_logged:
            text = interpolate(plan.sql, driver_parameters, wrapper.dialect.paramstyle)
            wrapper.log_query(text, time.monotonic() - start, driver_parameters)
        if plan.processors is not None:
            return PendingResult(rows, rowcount, plan.keys, plan)
        return ExecutionResult(rows, rowcount, None, plan.keys)

    async def run_backend(self, plan: _DirectPlan, parameters: Any) -> list[Any] | None:
        """The rows of the backend's own replay (``_arun_direct``), or None.

        Errors are normalised and the connection handled as ``run_raw`` does.
        """
        try:
            with _errors:
                return await self.wrapper._arun_direct(self.raw, plan, parameters)  # type: ignore[no-any-return]
        except _LOST as error:
            await self._lost(error.__cause__)
            raise
        except asyncio.CancelledError:
            self._interrupted()
            raise

    async def run_raw(
        self,
        sql: str,
        parameters: Any = None,
        options: dict[str, Any] | None = None,
        fetch: bool = True,
    ) -> tuple[list[Any], int]:
        """Execute ``sql`` on the driver connection; normalised errors.

        ``options`` go to the driver's ``execute`` (see ``_direct_options``).

        One cursor per connection is reused (statements are serialised by
        ``lock``): creating one per statement is a measurable share of a
        primary-key lookup.
        """
        cursor = self._cursor
        try:
            with _errors:
                if cursor is None:
                    made = self.raw.cursor()
                    cursor = self._cursor = await made if self._mysql else made
                if options:
                    await cursor.execute(sql, parameters, **options)
                else:
                    await cursor.execute(sql, parameters)
                if not fetch:
                    return [], cursor.rowcount
                rows = await cursor.fetchall()
                return rows if type(rows) is list else list(rows), cursor.rowcount
        except _LOST as error:
            await self._lost(error.__cause__)
            raise
        except asyncio.CancelledError:
            self._interrupted()
            raise

    async def run_control(self, sql: str) -> None:
        """Run a transaction-control statement (BEGIN, SAVEPOINT...) and log it."""
        start = time.monotonic()
        await self.run_raw(sql, fetch=False)
        if self.wrapper.queries_logged:
            self.wrapper.log_query(sql, time.monotonic() - start)

    # Lifetime.

    async def _lost(self, driver_error: BaseException | None) -> None:
        """The server may have dropped the connection: stop using it.

        Inside a transaction the atomic block's exit decides (its ROLLBACK
        fails and discards the connection); outside, it goes now, so the
        next statement checks out a fresh connection. ``driver_error`` comes
        from the raw driver: SQLAlchemy did not see it, so when it is a
        disconnect the pool is told here, as SQLAlchemy would do.
        """
        if driver_error is not None:
            self._invalidate_pool(driver_error)
        if not self.in_transaction:
            await self.discard()

    def _interrupted(self) -> None:
        """A statement was cancelled mid-way: never reuse the connection.

        The driver may have sent the query and not read the answer (aiomysql
        then reads the wrong packets next time), so the connection is closed
        in the background and the task's next statement checks out another.
        """
        self._detach()
        if not self.closed:
            self.closed = True
            _spawn(self.loop, self._close_driver)

    async def _close_driver(self) -> None:
        """Invalidate and close the driver connection, then forget it."""
        try:
            with contextlib.suppress(Exception):
                await self.conn.invalidate()
            with contextlib.suppress(Exception):
                await self.conn.close()
        finally:
            _untrack(self)

    def _invalidate_pool(self, driver_error: BaseException) -> None:
        """After a disconnect, recycle the pooled connections opened before.

        A server restart drops every pooled connection; without this each
        of them would fail one more statement before being replaced.
        """
        dialect: Any = self.conn.dialect
        dbapi_error = getattr(dialect.loaded_dbapi, "Error", ())
        try:
            lost = isinstance(driver_error, dbapi_error) and dialect.is_disconnect(
                driver_error, self.raw, self._cursor
            )
        except Exception:
            lost = False
        if lost:
            _recycle_older_pooled(self.conn.sync_engine.pool, self.fairy, driver_error)

    async def discard(self) -> None:
        """Close the driver connection (never pooled again); the caller holds lock."""
        self._detach()
        if self.closed:
            return
        self.closed = True
        await self._close_driver()

    def _detach(self) -> None:
        scope = self.scope
        if scope is not None and scope.held.get(self.wrapper.alias) is self:
            del scope.held[self.wrapper.alias]

    async def aclose(self) -> None:
        """Return the connection to the pool once no statement runs on it."""
        self._detach()
        async with self.lock:
            if self.closed:
                return
            self.closed = True
            try:
                await self.conn.close()
            except Exception:
                with contextlib.suppress(Exception):
                    await self.conn.invalidate()
            finally:
                _untrack(self)

    def release_soon(self) -> None:
        """Detach from the task now; return to the pool in the background."""
        self._detach()
        if not self.closed:
            _spawn(self.loop, self.aclose)


# Connections not yet returned, per loop, closed at loop shutdown if a task's
# release never ran (asyncio.run cancels pending tasks before shutting down).
_live: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, set[AsyncHeld]] = (
    weakref.WeakKeyDictionary()
)
_guards: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
    weakref.WeakKeyDictionary()
)
_background: set[asyncio.Task[Any]] = set()


async def _close_at_shutdown() -> AsyncIterator[None]:
    # Finalised by loop.shutdown_asyncgens(), on its own loop. It must not
    # reference the loop while suspended: _guards would then keep it alive.
    try:
        yield
    finally:
        for held in list(_live.get(asyncio.get_running_loop(), ())):
            await held.discard()


async def _track(held: AsyncHeld) -> None:
    loop = held.loop
    _live.setdefault(loop, set()).add(held)
    if loop not in _guards:
        guard = _close_at_shutdown()
        await guard.__anext__()
        _guards[loop] = guard


def _untrack(held: AsyncHeld) -> None:
    live = _live.get(held.loop)
    if live is not None:
        live.discard(held)
    gate, held.gate = held.gate, None
    if gate is not None:
        gate.leave()


def _spawn(
    loop: asyncio.AbstractEventLoop, factory: Callable[[], Coroutine[Any, Any, Any]]
) -> None:
    """Run ``factory()`` as a task on ``loop``, from any thread."""

    def start() -> None:
        task = loop.create_task(factory())
        _background.add(task)
        task.add_done_callback(_background.discard)

    if loop.is_closed():
        return
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        start()
        return
    with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
        loop.call_soon_threadsafe(start)


def _task_scope() -> _TaskConnections | None:
    task = asyncio.current_task()
    if task is None:
        return None
    scope = _scope.get()
    if scope is None or scope.task is not task:
        scope = _TaskConnections(task)
        _scope.set(scope)
    return scope


async def task_connection(wrapper: Any) -> AsyncHeld:
    """The connection the current task holds for ``wrapper``'s alias.

    Checked out of the alias' async pool on first use. Outside a task (a
    bare coroutine driven by hand) the connection is the caller's to close.
    """
    scope = _task_scope()
    alias = wrapper.alias
    if scope is not None:
        held = scope.held.get(alias)
        if held is not None:
            if held.wrapper is wrapper and not held.closed:
                return held
            # Settings changed since (new wrapper): drop the stale one.
            held.release_soon()
    engine = await wrapper.get_sa_async_engine()
    gate = gate_for(engine)
    admitted = gate is not None and await gate.enter()
    try:
        with _errors:
            conn = await engine.connect()
        try:
            with _errors:
                fairy = await conn.get_raw_connection()
        except BaseException:
            await conn.close()
            raise
    except BaseException:
        if admitted:
            gate.leave()  # type: ignore[union-attr]
        raise
    held = AsyncHeld(wrapper, conn, fairy, scope)
    # Given back by _untrack, once the connection is in the pool again.
    held.gate = gate if admitted else None
    await _track(held)
    if scope is not None:
        scope.held[alias] = held
    return held


async def aexecute(wrapper: Any, statement: Any, parameters: Any) -> ExecutionResult:
    """Run ``statement`` on the current task's connection for ``wrapper``."""
    while True:
        held: AsyncHeld | None = None
        scope = _scope.get()
        if scope is not None and scope.task is asyncio.current_task():
            held = scope.held.get(wrapper.alias)
        if held is None or held.wrapper is not wrapper or held.closed:
            held = await task_connection(wrapper)
        async with held.lock:
            if held.closed:
                continue  # released (request_finished) or lost meanwhile
            if held.scope is not None:
                return await held.execute(statement, parameters)
            try:
                return await held.execute(statement, parameters)
            finally:
                if not held.closed:
                    await _close_locked(held)


async def _close_locked(held: AsyncHeld) -> None:
    held.closed = True
    try:
        await held.conn.close()
    finally:
        _untrack(held)


def task_holds_none() -> bool:
    """Whether the current context has no task connections to release."""
    return _scope.get() is None


# manouche.db's per-request idle check reads the variable itself once this
# module is loaded (before, no task can hold a connection).
db._task_connections[0] = _scope


def release_task_connections(**kwargs: Any) -> None:
    """Return the current task's idle async connections to the pool.

    Connected to ``request_finished``. Connections holding a transaction stay
    with their task (the atomic block ends it, the task's end returns them).
    Runs on the loop, or in a worker thread whose context is the request's.
    """
    scope = _scope.get()
    if scope is None:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        if asyncio.current_task() is not scope.task:
            return
    scope.release(keep_transactions=True)


async def aclose_task_connection(alias: str) -> None:
    """Return the current task's connection for ``alias`` to the pool now."""
    scope = _scope.get()
    if scope is None or scope.task is not asyncio.current_task():
        return
    held = scope.held.get(alias)
    if held is not None and not held.in_transaction:
        await held.aclose()
