"""SQLAlchemy engines shared by every wrapper of an alias, sync and per loop.

One sync engine per distinct connection configuration (its pool is shared by
the threads' DatabaseWrappers). Async engines are tied to an event loop, so
there is one per (configuration, loop); it is disposed when the loop shuts
its async generators down (asyncio.run, pytest-asyncio, uvicorn all do).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["dispose_engines", "get_async_engine", "get_engine"]

_lock = threading.Lock()
_engines: dict[Hashable, Engine] = {}
_async_engines: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[Hashable, tuple[AsyncEngine, Any]]
] = weakref.WeakKeyDictionary()
# Guards of disposed engines live as long as their loop, which closes them.
_retired: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[Any]] = (
    weakref.WeakKeyDictionary()
)


def get_engine(key: Hashable, factory: Callable[[], Engine]) -> Engine:
    """Return the sync engine for ``key``, creating it with ``factory`` once."""
    engine = _engines.get(key)
    if engine is None:
        with _lock:
            engine = _engines.get(key)
            if engine is None:
                engine = _engines[key] = factory()
    return engine


async def _dispose_at_shutdown(engine: AsyncEngine) -> AsyncIterator[None]:
    # Closed by loop.shutdown_asyncgens(): the pool closes on its own loop.
    try:
        yield
    finally:
        await engine.dispose()


async def get_async_engine(
    key: Hashable, factory: Callable[[], AsyncEngine]
) -> AsyncEngine:
    """Return the async engine for ``key`` on the running loop."""
    loop = asyncio.get_running_loop()
    per_loop = _async_engines.get(loop)
    if per_loop is None:
        per_loop = _async_engines.setdefault(loop, {})
    entry = per_loop.get(key)
    if entry is None:
        engine = factory()
        guard = _dispose_at_shutdown(engine)
        await guard.__anext__()
        entry = per_loop[key] = (engine, guard)
    return entry[0]


def _dispose_async(engine: AsyncEngine, loop: asyncio.AbstractEventLoop) -> None:
    if loop.is_closed():
        return
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop.is_running():
        if running is loop:
            loop.create_task(engine.dispose())
        else:
            future = asyncio.run_coroutine_threadsafe(engine.dispose(), loop)
            try:
                future.result(timeout=5)
            except Exception:
                pass
    elif running is None:
        loop.run_until_complete(engine.dispose())


def dispose_engines() -> None:
    """Close every pooled connection and forget all engines (settings changed)."""
    with _lock:
        engines = list(_engines.values())
        _engines.clear()
        loops = list(_async_engines.items())
        _async_engines.clear()
    for engine in engines:
        engine.dispose()
    for loop, entries in loops:
        for async_engine, guard in entries.values():
            if not loop.is_closed():
                _retired.setdefault(loop, []).append(guard)
            _dispose_async(async_engine, loop)
