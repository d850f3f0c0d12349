"""Blocking calls from async code run on a bounded set of persistent threads."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import pytest

from manouche.utils._sync_workers import SyncWorkers, get_workers
from manouche.utils.asyncio import run_sync


async def test_result_and_arguments_come_back() -> None:
    workers = SyncWorkers(2)
    loop = asyncio.get_running_loop()
    assert await workers.submit(loop, pow, 2, 10) == 1024


async def test_an_exception_reaches_the_awaiting_task() -> None:
    workers = SyncWorkers(1)

    def fail() -> None:
        raise LookupError("from the worker")

    with pytest.raises(LookupError, match="from the worker"):
        await workers.submit(asyncio.get_running_loop(), fail)


async def test_calls_run_in_parallel_up_to_the_bound() -> None:
    workers = SyncWorkers(3)
    loop = asyncio.get_running_loop()
    barrier = threading.Barrier(3, timeout=5)
    # Three calls that only finish together: each needs its own thread.
    names = await asyncio.gather(
        *(
            workers.submit(
                loop, lambda: (barrier.wait(), threading.current_thread().name)[1]
            )
            for _ in range(3)
        )
    )
    assert len(set(names)) == 3
    assert all(name.startswith("manouche-sync_") for name in names)


async def test_no_more_threads_than_the_bound() -> None:
    workers = SyncWorkers(2)
    loop = asyncio.get_running_loop()
    running = 0
    most = 0
    lock = threading.Lock()

    def busy() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    await asyncio.gather(*(workers.submit(loop, busy) for _ in range(8)))
    assert most == 2


async def test_threads_are_reused_once_warm() -> None:
    workers = SyncWorkers(4, name="reuse-test")
    loop = asyncio.get_running_loop()

    def ours() -> int:
        return sum(t.name.startswith("reuse-test_") for t in threading.enumerate())

    await workers.submit(loop, lambda: None)
    assert ours() == 1
    for _ in range(50):
        await workers.submit(loop, lambda: None)
    # One call at a time: the first thread took every one of them.
    assert ours() == 1


async def test_a_cancelled_caller_lets_the_call_finish_quietly() -> None:
    workers = SyncWorkers(1)
    loop = asyncio.get_running_loop()
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        finished.set()
        return "late"

    task = asyncio.ensure_future(workers.submit(loop, slow))
    await loop.run_in_executor(None, started.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    await loop.run_in_executor(None, finished.wait, 5)
    # The worker is free again and the late result was dropped.
    assert await workers.submit(loop, lambda: "next") == "next"


async def test_run_sync_keeps_context_variable_changes() -> None:
    import contextvars

    variable: contextvars.ContextVar[str] = contextvars.ContextVar("v", default="")

    def set_it() -> str:
        variable.set("from the thread")
        return threading.current_thread().name

    name = await run_sync(set_it)
    assert name.startswith("manouche-sync_")
    assert variable.get() == "from the thread"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_makes_its_own_workers() -> None:
    parent = get_workers()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            child = get_workers()
            result = asyncio.run(_one_call(child))
            code = 0 if child is not parent and result == 3 else 1
        finally:
            os.write(write, bytes([code]))
            os._exit(0)
    os.close(write)
    status = os.read(read, 1)
    os.waitpid(pid, 0)
    assert status == b"\x00"


async def _one_call(workers: SyncWorkers) -> int:
    return await workers.submit(asyncio.get_running_loop(), lambda: 1 + 2)  # type: ignore[no-any-return]
