"""Databases: connections, routing, normalised errors and transactions.

``connections[alias]`` is this thread's DatabaseWrapper for ``alias``;
``connection`` the default one; ``router`` applies DATABASE_ROUTERS.
Queries logs are reset and stale connections closed at request edges; the
async connection a request's task holds goes back to the pool at its end.
"""

from __future__ import annotations

import sys
from typing import Any

from manouche.core import signals
from manouche.db.utils import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    ConnectionHandler,
    ConnectionRouter,
    DatabaseError,
    DataError,
    Error,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
)
from manouche.dispatch.dispatcher import idle_when, loop_safe

__all__ = [
    "DEFAULT_DB_ALIAS",
    "ConnectionDoesNotExist",
    "DataError",
    "DatabaseError",
    "Error",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "close_old_connections",
    "connection",
    "connections",
    "release_async_connections",
    "reset_queries",
    "router",
]

connections = ConnectionHandler()

router = ConnectionRouter()


class ConnectionProxy:
    """``connection``: attribute access forwarded to ``connections[alias]``."""

    def __init__(self, connections: ConnectionHandler, alias: str) -> None:
        object.__setattr__(self, "_connections", connections)
        object.__setattr__(self, "_alias", alias)

    def __getattr__(self, item: str) -> Any:
        return getattr(self._connections[self._alias], item)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._connections[self._alias], name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._connections[self._alias], name)

    def __contains__(self, key: object) -> bool:
        return key in self._connections[self._alias]

    def __eq__(self, other: object) -> bool:
        return bool(self._connections[self._alias] == other)

    def __hash__(self) -> int:
        return hash(self._connections[self._alias])

    def __repr__(self) -> str:
        return repr(self._connections[self._alias])


connection: Any = ConnectionProxy(connections, DEFAULT_DB_ALIAS)


def _database_idle() -> bool:
    """Nothing to tidy: no connection made in this thread, none held by this task.

    One predicate for the three housekeeping receivers, so that the request
    signals ask it once each (``idle_when`` groups neighbours sharing one).
    """
    # connections.unused(); .__dict__ is cheaper than vars() on a thread local.
    if connections._shared or connections._local.__dict__:
        return False
    # backends.base._async's task_holds_none(), without its call.
    held = _task_connections[0]
    return held is None or held.get() is None


#: backends.base._async's task connections variable, set when that module loads.
_task_connections: list[Any] = [None]


@loop_safe
@idle_when(_database_idle)
def reset_queries(**kwargs: Any) -> None:
    """Empty the queries log of every open connection (at request start)."""
    for conn in connections.all(initialized_only=True):
        conn.queries_log.clear()


@loop_safe
@idle_when(_database_idle)
def close_old_connections(**kwargs: Any) -> None:
    """Close connections that are broken or past CONN_MAX_AGE (request edges).

    It checks the calling thread's connections. On the event loop there are
    none to block on (sync queries are refused there), so ``asend`` may call it
    inline; sync views tidy their worker thread's connections themselves.
    """
    for conn in connections.all(initialized_only=True):
        conn.close_if_unusable_or_obsolete()


@loop_safe
@idle_when(_database_idle)
def release_async_connections(**kwargs: Any) -> None:
    """Return the request task's idle async connections to the pool.

    PostgreSQL and MariaDB async queries run on a connection the task keeps
    (``backends/base/_async.py``); the request's end gives it back.
    """
    module = sys.modules.get("manouche.db.backends.base._async")
    if module is not None:  # else no async connection was ever opened
        module.release_task_connections()


signals.request_started.connect(reset_queries)
signals.request_started.connect(close_old_connections)
signals.request_finished.connect(close_old_connections)
signals.request_finished.connect(release_async_connections)
