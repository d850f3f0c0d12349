"""The database handle of the asyncpg-based apps (raw ASGI and FastAPI).

On PostgreSQL this is a real ``asyncpg`` pool, created lazily on the
worker's own event loop. Where asyncpg or PostgreSQL is missing (smoke runs
with the project's virtualenv) a small stand-in with the same few methods
runs the same ``$n``-style SQL on sqlite3: it exists only so that the
framework-less reference can still be checked, and it is never measured
against PostgreSQL figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator
from typing import Any

from common import POOL_SIZE, database_url, is_postgresql, sqlite_path

__all__ = ["get_pool"]

_pool: Any = None
_lock: asyncio.Lock | None = None
_PLACEHOLDER = re.compile(r"\$\d+")


class _SqliteConnection:
    """The part of ``asyncpg.Connection`` the apps use, over sqlite3."""

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False)
        self._connection.isolation_level = None

    def _sql(self, query: str) -> str:
        return _PLACEHOLDER.sub("?", query)

    async def fetch(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        return self._connection.execute(self._sql(query), args).fetchall()

    async def fetchrow(self, query: str, *args: Any) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._connection.execute(
            self._sql(query), args
        ).fetchone()
        return row

    async def executemany(self, query: str, args: list[tuple[Any, ...]]) -> None:
        with self._connection:
            self._connection.execute("BEGIN")
            self._connection.executemany(self._sql(query), args)


class _SqlitePool:
    """The part of ``asyncpg.Pool`` the apps use: ``acquire()``."""

    def __init__(self, path: str) -> None:
        self._connection = _SqliteConnection(path)

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[_SqliteConnection]:
        yield self._connection


async def get_pool() -> Any:
    """Return this worker's pool, creating it on first use."""
    global _pool, _lock
    if _pool is not None:
        return _pool
    if _lock is None:
        _lock = asyncio.Lock()
    async with _lock:
        if _pool is None:
            url = database_url()
            if is_postgresql(url):
                import asyncpg

                _pool = await asyncpg.create_pool(
                    url, min_size=POOL_SIZE, max_size=POOL_SIZE
                )
            else:
                _pool = _SqlitePool(sqlite_path(url))
    return _pool
