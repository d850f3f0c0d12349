"""The persistent threads that blocking calls from async code run on.

``loop.run_in_executor`` on a ``ThreadPoolExecutor`` costs, per call, a
concurrent future with its condition variable, a work item, a semaphore
dance and a second, asyncio future chained to the first: most of the price
of a sync view under ASGI. Here a call is one tuple on a ``SimpleQueue`` and
one asyncio future, completed with a single ``call_soon_threadsafe``.

Threads are started on demand, up to a bound, and live for the process
(daemon threads: servers finish their requests before the interpreter
exits). A forked child starts with no workers and makes its own.
"""

from __future__ import annotations

import asyncio
import os
import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["SyncWorkers", "get_workers"]

# (loop, future, worker function, its arguments) or None to stop a thread.
_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[Any]",
    Callable[..., Any],
    tuple[Any, ...],
]


class SyncWorkers:
    """A bounded set of threads taking blocking calls from one queue."""

    def __init__(self, max_workers: int, name: str = "manouche-sync") -> None:
        self.max_workers = max_workers
        self._name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._started = 0

    def submit(
        self, loop: asyncio.AbstractEventLoop, function: Callable[..., Any], *args: Any
    ) -> asyncio.Future[Any]:
        """Run ``function(*args)`` on a worker; the future completes on ``loop``."""
        future = loop.create_future()
        self._jobs.put((loop, future, function, args))
        if self._idle <= 0 and self._started < self.max_workers:
            self._start_worker()
        return future

    def _start_worker(self) -> None:
        with self._lock:
            # Checked again under the lock: another caller may have started one.
            if self._idle > 0 or self._started >= self.max_workers:
                return
            self._started += 1
            # Counted idle at once, so a burst of calls does not start a
            # thread each before the first one gets going.
            self._idle += 1
            number = self._started
        thread = threading.Thread(
            target=self._work, name=f"{self._name}_{number}", daemon=True
        )
        thread.start()

    def _work(self) -> None:
        jobs = self._jobs
        lock = self._lock
        while True:
            job = jobs.get()
            with lock:
                self._idle -= 1
            if job is None:
                return
            loop, future, function, args = job
            result, error = _run(function, args)
            # Idle before the caller hears back: its next call must not
            # start a thread while this one is about to wait again.
            with lock:
                self._idle += 1
            _complete(loop, future, result, error)
            # Nothing of the finished call stays referenced while waiting.
            del job, loop, future, function, args, result, error


def _run(
    function: Callable[..., Any], args: tuple[Any, ...]
) -> tuple[Any, BaseException | None]:
    try:
        return function(*args), None
    except BaseException as exc:  # handed to the awaiting task, as executors do
        return None, exc


def _complete(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    error: BaseException | None,
) -> None:
    try:
        loop.call_soon_threadsafe(_settle, future, result, error)
    except RuntimeError:
        pass  # the loop closed: nobody is waiting any more


def _settle(
    future: asyncio.Future[Any], result: Any, error: BaseException | None
) -> None:
    if future.cancelled():
        return  # the caller gave up; the work ran to its end regardless
    if error is None:
        future.set_result(result)
    else:
        future.set_exception(error)


_workers: SyncWorkers | None = None
_workers_lock = threading.Lock()


def get_workers() -> SyncWorkers:
    """The process's workers: MANOUCHE_SYNC_THREADS threads at most.

    Unset, the bound is the CPU count plus 8, at most 32.
    """
    global _workers
    workers = _workers
    if workers is None:
        with _workers_lock:
            workers = _workers
            if workers is None:
                count = int(os.environ.get("MANOUCHE_SYNC_THREADS", "0")) or min(
                    32, (os.cpu_count() or 1) + 8
                )
                workers = _workers = SyncWorkers(count)
    return workers


def _forget_after_fork() -> None:
    global _workers, _workers_lock
    _workers = None
    _workers_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
