"""A dedicated thread per SQLite connection for async queries.

SQLite has no async driver, so async queries run the sync code off the
event loop. The generic thread pool (``run_sync``) costs about half of a
primary-key lookup in its hand-off: an executor future chained to an
asyncio future, a context copied both ways. The statements of one
DatabaseWrapper are serialised by its lock anyway, so one thread per
wrapper loses no parallelism and hands results back with a single
``call_soon_threadsafe``.

The thread starts on the first async query and exits after ``IDLE_SECONDS``
without work (wrappers are replaced whenever settings change, so it must
not outlive them for long).
"""

from __future__ import annotations

import asyncio
import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["StatementThread"]

IDLE_SECONDS = 5.0

_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[Any]",
    contextvars.Context,
    Callable[..., Any],
    tuple[Any, ...],
]


def _deliver(
    future: asyncio.Future[Any], result: Any, error: BaseException | None
) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class StatementThread:
    """Run callables for async callers on one thread of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    async def call(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run ``func(*args)`` on the thread, in a copy of the caller's context."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put((loop, future, contextvars.copy_context(), func, args))
        # Under the lock: an idle thread deciding to exit sees this job.
        with self._lock:
            if self._thread is None:
                thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread = thread
                thread.start()
        return await future

    def _run(self) -> None:
        jobs = self._jobs
        while True:
            try:
                loop, future, context, func, args = jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    # A job put before this check is still ours to run.
                    if jobs.empty():
                        self._thread = None
                        return
                continue
            result: Any = None
            error: BaseException | None = None
            try:
                result = context.run(func, *args)
            except BaseException as exc:
                error = exc
            try:
                loop.call_soon_threadsafe(_deliver, future, result, error)
            except RuntimeError:
                pass  # the loop closed while the statement ran
            del loop, future, context, func, args, result, error
