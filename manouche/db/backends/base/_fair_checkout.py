"""First come, first served for tasks waiting on a full async pool.

SQLAlchemy's async pool waits on an asyncio queue. When a connection comes
back, the first waiter is woken, but a task arriving before that waiter
runs takes the connection, and the waiter goes back to the end of the
queue. Under load (more concurrent requests than connections) some requests
then wait for seconds while others pass. A semaphore sized to the pool, in
front of the checkout, keeps arrival order: asyncio's semaphore does not
let newcomers pass tasks already waiting.

A permit is taken before the checkout and given back once the connection
is back in the pool. Waiting for a permit stops after the pool's own
timeout; the checkout then proceeds without one and the pool answers as it
always does (its usual timeout error), so nothing waits longer than before
for good.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

__all__ = ["FairGate", "gate_for"]


class FairGate:
    """Admit tasks to a pool's connections in the order they asked."""

    __slots__ = ("_semaphore", "_timeout")

    def __init__(self, permits: int, timeout: float) -> None:
        self._semaphore = asyncio.Semaphore(permits)
        self._timeout = timeout

    async def enter(self) -> bool:
        """Wait for a permit; False when the pool's timeout ran out first."""
        semaphore = self._semaphore
        if not semaphore.locked():
            await semaphore.acquire()  # free now: no timer needed
            return True
        try:
            await asyncio.wait_for(semaphore.acquire(), self._timeout)
        except TimeoutError:
            return False
        return True

    def leave(self) -> None:
        """Give a permit back (the connection is in the pool again)."""
        self._semaphore.release()


_gates: weakref.WeakKeyDictionary[Any, FairGate | None] = weakref.WeakKeyDictionary()


def gate_for(engine: Any) -> FairGate | None:
    """The gate of ``engine``'s pool, or None when its size is unbounded or unknown."""
    try:
        return _gates[engine]
    except KeyError:
        pass
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", None)
    overflow = getattr(pool, "_max_overflow", None)
    timeout = getattr(pool, "_timeout", None)
    gate = None
    if callable(size) and isinstance(overflow, int) and overflow >= 0 and timeout:
        permits = size() + overflow
        if permits > 0:
            gate = FairGate(permits, float(timeout))
    _gates[engine] = gate
    return gate
