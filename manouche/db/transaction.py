"""Transactions: ``atomic`` (sync and async), savepoints, on_commit hooks.

Sync blocks drive the thread's DatabaseWrapper. Async blocks (``async with
atomic()`` or an atomic ``async def``) hold one connection for the task in a
ContextVar: a real async connection on PostgreSQL and MariaDB, a dedicated
wrapper driven through ``run_sync`` on SQLite. Nested blocks are savepoints;
on_commit hooks run after the outermost commit and are dropped on rollback.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from manouche.db.utils import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    Error,
    ProgrammingError,
)
from manouche.utils.asyncio import iscoroutinefunction

__all__ = [
    "Atomic",
    "TransactionManagementError",
    "atomic",
    "clean_savepoints",
    "commit",
    "get_autocommit",
    "get_connection",
    "get_rollback",
    "mark_for_rollback_on_error",
    "non_atomic_requests",
    "on_commit",
    "rollback",
    "savepoint",
    "savepoint_commit",
    "savepoint_rollback",
    "set_autocommit",
    "set_rollback",
]

F = TypeVar("F", bound=Callable[..., Any])


class TransactionManagementError(ProgrammingError):
    """Transaction management was used incorrectly."""


def get_connection(using: str | None = None) -> Any:
    """Return the DatabaseWrapper of ``using`` (the default database if None)."""
    from manouche.db import connections

    return connections[using or DEFAULT_DB_ALIAS]


# alias -> the task's held connection, for async atomic blocks.
_held: ContextVar[dict[str, Any] | None] = ContextVar("manouche_db_held", default=None)


def _async_connection_for(alias: str) -> Any:
    held = _held.get()
    if held is None:
        return None
    return held.get(alias)


def get_autocommit(using: str | None = None) -> bool:
    """Whether the connection is in autocommit mode."""
    held = _async_connection_for(using or DEFAULT_DB_ALIAS)
    if held is not None:
        return False
    return bool(get_connection(using).get_autocommit())


def set_autocommit(autocommit: bool, using: str | None = None) -> None:
    """Turn autocommit on or off."""
    get_connection(using).set_autocommit(autocommit)


def commit(using: str | None = None) -> None:
    """Commit the transaction (outside atomic blocks)."""
    get_connection(using).commit()


def rollback(using: str | None = None) -> None:
    """Roll the transaction back (outside atomic blocks)."""
    get_connection(using).rollback()


def savepoint(using: str | None = None) -> str | None:
    """Create a savepoint and return its id."""
    return get_connection(using).savepoint()  # type: ignore[no-any-return]


def savepoint_rollback(sid: str, using: str | None = None) -> None:
    """Roll back to savepoint ``sid``."""
    get_connection(using).savepoint_rollback(sid)


def savepoint_commit(sid: str, using: str | None = None) -> None:
    """Release savepoint ``sid``."""
    get_connection(using).savepoint_commit(sid)


def clean_savepoints(using: str | None = None) -> None:
    """Reset the savepoint counter."""
    get_connection(using).clean_savepoints()


def get_rollback(using: str | None = None) -> bool:
    """Whether the innermost atomic block will roll back."""
    held = _async_connection_for(using or DEFAULT_DB_ALIAS)
    if held is not None:
        return bool(held.get_rollback())
    return bool(get_connection(using).get_rollback())


def set_rollback(rollback: bool, using: str | None = None) -> None:
    """Force (True) or cancel (False) the rollback of the innermost atomic block."""
    held = _async_connection_for(using or DEFAULT_DB_ALIAS)
    if held is not None:
        held.set_rollback(rollback)
        return
    get_connection(using).set_rollback(rollback)


@contextlib.contextmanager
def mark_for_rollback_on_error(using: str | None = None) -> Iterator[None]:
    """Mark the enclosing atomic block for rollback when the block raises."""
    try:
        yield
    except Exception as exc:
        note_failure_for_rollback(using, exc)
        raise


def note_failure_for_rollback(using: str | None, exc: BaseException) -> None:
    """Mark the enclosing atomic block (if any) as broken by ``exc``.

    Later queries in the block then raise TransactionManagementError
    (caused by ``exc``) until the block ends and rolls back.
    """
    held = _async_connection_for(using or DEFAULT_DB_ALIAS)
    target = held if held is not None else get_connection(using)
    if target.in_atomic_block:
        target.needs_rollback = True
        target.rollback_exc = exc


def on_commit(
    func: Callable[[], Any], using: str | None = None, robust: bool = False
) -> None:
    """Run ``func`` after the current transaction commits (now in autocommit)."""
    held = _async_connection_for(using or DEFAULT_DB_ALIAS)
    if held is not None:
        held.on_commit(func, robust)
        return
    get_connection(using).on_commit(func, robust)


class Atomic(contextlib.ContextDecorator):
    """Guarantee atomic execution of a block: a transaction or a savepoint.

    Usable as ``with``, ``async with`` and as a decorator of sync or async
    functions. The instance keeps no state of its own between uses (state
    lives on the connection), so one decorator serves concurrent calls.
    """

    _from_testcase = False

    def __init__(self, using: str | None, savepoint: bool, durable: bool) -> None:
        self.using = using
        self.savepoint = savepoint
        self.durable = durable

    def __call__(self, func: F) -> F:
        if iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_inner(*args: Any, **kwargs: Any) -> Any:
                async with self._recreate_cm():
                    return await func(*args, **kwargs)

            return async_inner  # type: ignore[return-value]

        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self._recreate_cm():
                return func(*args, **kwargs)

        return inner  # type: ignore[return-value]

    # Sync.

    def __enter__(self) -> None:
        self.enter_on(get_connection(self.using))

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.exit_on(get_connection(self.using), exc_type)

    def _check_durable(self, blocks: list[Any]) -> None:
        if self.durable and blocks and not blocks[-1]._from_testcase:
            raise RuntimeError(
                "A durable atomic block cannot be nested within another atomic block."
            )

    def enter_on(self, connection: Any) -> None:
        """Open the block on ``connection`` (a DatabaseWrapper)."""
        self._check_durable(connection.atomic_blocks)
        if not connection.in_atomic_block:
            connection.commit_on_exit = True
            connection.needs_rollback = False
            if not connection.get_autocommit():
                # Inside a manual transaction: behave as a nested block.
                connection.in_atomic_block = True
                connection.commit_on_exit = False
        if connection.in_atomic_block:
            if self.savepoint and not connection.needs_rollback:
                sid = connection.savepoint()
                connection.savepoint_ids.append(sid)
            else:
                connection.savepoint_ids.append(None)
        else:
            connection.set_autocommit(False)
            connection.in_atomic_block = True
            connection.clean_savepoints()
        if connection.in_atomic_block:
            connection.atomic_blocks.append(self)

    def exit_on(self, connection: Any, exc_type: Any) -> None:
        """Close the block on ``connection``: commit, release or roll back."""
        if connection.in_atomic_block and connection.atomic_blocks:
            connection.atomic_blocks.pop()
        sid = None
        if connection.savepoint_ids:
            sid = connection.savepoint_ids.pop()
        else:
            connection.in_atomic_block = False
        try:
            if connection.closed_in_transaction:
                pass
            elif exc_type is None and not connection.needs_rollback:
                self._finish_success(connection, sid)
            else:
                self._finish_failure(connection, sid)
        finally:
            self._leave(connection)

    @staticmethod
    def _finish_success(connection: Any, sid: str | None) -> None:
        if connection.in_atomic_block:
            if sid is None:
                return
            try:
                connection.savepoint_commit(sid)
            except DatabaseError:
                try:
                    connection.savepoint_rollback(sid)
                    connection.savepoint_commit(sid)
                except Error:
                    connection.needs_rollback = True
                raise
            return
        try:
            connection.commit()
        except DatabaseError:
            try:
                connection.rollback()
            except Error:
                connection.close()
            raise

    @staticmethod
    def _finish_failure(connection: Any, sid: str | None) -> None:
        connection.needs_rollback = False
        if connection.in_atomic_block:
            if sid is None:
                connection.needs_rollback = True
                return
            try:
                connection.savepoint_rollback(sid)
                connection.savepoint_commit(sid)
            except Error:
                connection.needs_rollback = True
            return
        try:
            connection.rollback()
        except Error:
            connection._drop_connection()

    @staticmethod
    def _leave(connection: Any) -> None:
        if not connection.in_atomic_block:
            if connection.closed_in_transaction:
                connection._drop_connection()
                connection.closed_in_transaction = False
            elif connection.connection is not None:
                connection.set_autocommit(True)
            else:
                connection.autocommit = True
        elif not connection.savepoint_ids and not connection.commit_on_exit:
            if connection.closed_in_transaction:
                connection._drop_connection()
            else:
                connection.in_atomic_block = False

    # Async.

    async def __aenter__(self) -> None:
        from manouche.db.backends._async_atomic import enter_async

        await enter_async(self, self.using or DEFAULT_DB_ALIAS)

    async def __aexit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        from manouche.db.backends._async_atomic import exit_async

        await exit_async(self, self.using or DEFAULT_DB_ALIAS, exc_type)


def atomic(using: Any = None, savepoint: bool = True, durable: bool = False) -> Any:
    """Run a block or function in a transaction (a savepoint when nested)."""
    if callable(using):
        return Atomic(DEFAULT_DB_ALIAS, savepoint, durable)(using)
    return Atomic(using, savepoint, durable)


def _non_atomic_requests(view: F, using: str) -> F:
    try:
        view._non_atomic_requests.add(using)  # type: ignore[attr-defined]
    except AttributeError:
        view._non_atomic_requests = {using}  # type: ignore[attr-defined]
    return view


def non_atomic_requests(using: Any = None) -> Any:
    """Exempt a view from ATOMIC_REQUESTS for ``using`` (default database)."""
    if callable(using):
        return _non_atomic_requests(using, DEFAULT_DB_ALIAS)
    alias = using or DEFAULT_DB_ALIAS
    return lambda view: _non_atomic_requests(view, alias)
