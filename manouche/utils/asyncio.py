"""Bridges between sync and async code that never start a thread per call.

Blocking callables run on a persistent thread pool (``run_sync``), or, when an
outer synchronous caller is waiting in ``async_to_sync``, on that caller's own
thread, so that thread-bound state (database connections in tests, locals)
stays where the caller expects it. ``async_to_sync`` reuses the event loop
that called into the current worker thread, or one persistent background loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import inspect
import os
import queue
import sys
import threading
import types
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.utils._sync_workers import get_workers

__all__ = [
    "async_to_sync",
    "async_unsafe",
    "iscoroutinefunction",
    "markcoroutinefunction",
    "run_sync",
    "sync_to_async",
]

P = ParamSpec("P")
R = TypeVar("R")

_MARKER = "_manouche_coroutine"
# asyncio's own mark (3.11), which asgiref sets too.
_ASYNCIO_MARK = getattr(asyncio.coroutines, "_is_coroutine", object())
_MISSING: Any = object()
_local = threading.local()
_home_executor: contextvars.ContextVar[_CallerThreadExecutor | None] = (
    contextvars.ContextVar("manouche_home_executor", default=None)
)
_pool_lock = threading.Lock()
_background_loop: asyncio.AbstractEventLoop | None = None


def iscoroutinefunction(func: Any) -> bool:
    """Tell whether ``func`` is a coroutine function, or marked as one.

    Marks from ``inspect.markcoroutinefunction`` (3.12+), from asgiref and
    from our own ``markcoroutinefunction`` all count.
    """
    if type(func) is types.FunctionType:  # the common case, asked per request
        if func.__code__.co_flags & inspect.CO_COROUTINE:
            return True
        if not func.__dict__:  # marks live in the function's dict
            return False
    while isinstance(func, functools.partial):
        func = func.func
    if inspect.iscoroutinefunction(func):
        return True
    return (
        getattr(func, _MARKER, None) is True
        or getattr(func, "_is_coroutine", None) is _ASYNCIO_MARK
    )


def markcoroutinefunction(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a callable that returns an awaitable so it is treated as async."""
    if hasattr(inspect, "markcoroutinefunction"):  # Python 3.12+
        return inspect.markcoroutinefunction(func)  # type: ignore[no-any-return]
    setattr(func, _MARKER, True)
    setattr(func, "_is_coroutine", _ASYNCIO_MARK)  # noqa: B010 - asgiref reads it
    return func


class _CallerThreadExecutor(concurrent.futures.Executor):
    """Run submitted work on the thread that is blocked in ``async_to_sync``."""

    def __init__(self) -> None:
        self._work: queue.SimpleQueue[
            tuple[concurrent.futures.Future[Any], Callable[[], Any]] | None
        ] = queue.SimpleQueue()
        self._thread = threading.current_thread()

    def submit(
        self, fn: Callable[..., R], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[R]:
        future: concurrent.futures.Future[R] = concurrent.futures.Future()
        self._work.put((future, functools.partial(fn, *args, **kwargs)))
        return future

    def run_until_done(self, done: concurrent.futures.Future[Any]) -> None:
        done.add_done_callback(lambda _: self._work.put(None))
        while not done.done():
            item = self._work.get()
            if item is None:
                continue
            future, work = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = work()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result(result)


def _call_in_worker(
    loop: asyncio.AbstractEventLoop,
    func: Callable[[], R],
    handling: BaseException | None = None,
) -> R:
    previous = getattr(_local, "loop", None)
    _local.loop = loop
    try:
        if handling is None:
            return func()
        # Re-enter the caller's ``except`` block so sys.exc_info() is the same here.
        traceback = handling.__traceback__
        try:
            raise handling
        except BaseException:
            # Re-raising prepended this frame: keep the traceback users see.
            handling.__traceback__ = traceback
            return func()
    finally:
        _local.loop = previous


async def run_sync(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking callable off the event loop and return its result."""
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()
    call = functools.partial(context.run, func, *args, **kwargs)
    home = _home_executor.get()
    handling = sys.exception()
    try:
        if home is not None:
            # An outer sync caller waits in async_to_sync: run on its thread.
            return await loop.run_in_executor(
                home, _call_in_worker, loop, call, handling
            )
        future = get_workers().submit(loop, _call_in_worker, loop, call, handling)
        return await future  # type: ignore[no-any-return]
    finally:
        _restore_context(context)


def _restore_context(context: contextvars.Context) -> None:
    """Bring context-variable changes made on the other side back, as asgiref does.

    So a sync middleware that activates a language or sets the urlconf is
    seen by the async code after it, and the other way round.
    """
    # Nothing set on the other side (the usual case): the copy still shares
    # the caller's variables, and the comparison answers without a walk.
    try:
        if context == contextvars.copy_context():
            return
    except Exception:  # a value whose == raises: compare one by one below
        pass
    for variable, value in context.items():
        if variable is _home_executor:
            continue
        if variable.get(_MISSING) is not value:
            variable.set(value)


def sync_to_async(
    func: Callable[P, R] | None = None, *, thread_sensitive: bool = True
) -> Any:
    """Wrap a blocking callable into a coroutine function (usable as a decorator)."""

    def decorator(function: Callable[P, R]) -> Callable[P, Coroutine[Any, Any, R]]:
        @functools.wraps(function)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return await run_sync(function, *args, **kwargs)

        return wrapper

    if func is None:
        return decorator
    return decorator(func)


def _get_background_loop() -> asyncio.AbstractEventLoop:
    global _background_loop
    with _pool_lock:
        if _background_loop is None or _background_loop.is_closed():
            loop = asyncio.new_event_loop()
            ready = threading.Event()

            def serve() -> None:
                asyncio.set_event_loop(loop)
                loop.call_soon(ready.set)
                loop.run_forever()

            threading.Thread(target=serve, name="manouche-loop", daemon=True).start()
            ready.wait()
            _background_loop = loop
    return _background_loop


def _running_loop_in_this_thread() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def async_to_sync(
    func: Callable[P, Awaitable[R]], *, force_new_loop: bool = False
) -> Callable[P, R]:
    """Wrap a coroutine function so synchronous code can call it and wait.

    Blocking work the coroutine hands to ``run_sync`` comes back to the calling
    thread while it waits, as Django's thread-sensitive mode does.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _running_loop_in_this_thread() is not None:
            raise RuntimeError(
                "You cannot use async_to_sync in the same thread as an async event "
                "loop - just await the async function directly."
            )
        loop = getattr(_local, "loop", None)
        if loop is None or loop.is_closed() or not loop.is_running():
            loop = _get_background_loop()
        executor = _CallerThreadExecutor()

        async def main() -> R:
            _home_executor.set(executor)
            return await func(*args, **kwargs)

        context = contextvars.copy_context()
        future: concurrent.futures.Future[R] = concurrent.futures.Future()

        def start() -> None:
            task = loop.create_task(main(), context=context)

            def finish(task: asyncio.Task[R]) -> None:
                if task.cancelled():
                    future.set_exception(concurrent.futures.CancelledError())
                elif (exc := task.exception()) is not None:
                    future.set_exception(exc)
                else:
                    future.set_result(task.result())

            task.add_done_callback(finish)

        loop.call_soon_threadsafe(start)
        executor.run_until_done(future)
        _restore_context(context)
        return future.result()

    # functools.wraps copied any coroutine mark; this wrapper is synchronous.
    for mark in (_MARKER, "_is_coroutine", "_is_coroutine_marker"):
        wrapper.__dict__.pop(mark, None)
    return wrapper


def async_unsafe(message: str | Callable[..., Any]) -> Any:
    """Refuse to run the decorated function from a thread running an event loop."""

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            if _running_loop_in_this_thread() is not None and not os.environ.get(
                "MANOUCHE_ALLOW_ASYNC_UNSAFE"
            ):
                raise SynchronousOnlyOperation(text)
            return func(*args, **kwargs)

        return inner

    if callable(message):
        func, text = (
            message,
            (
                "You cannot call this from an async context - use a thread or "
                "sync_to_async."
            ),
        )
        return decorator(func)
    text = message
    return decorator
