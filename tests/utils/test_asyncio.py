from __future__ import annotations

import asyncio
import contextvars
import os
import threading

import pytest

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.utils.asyncio import (
    async_to_sync,
    async_unsafe,
    iscoroutinefunction,
    markcoroutinefunction,
    run_sync,
    sync_to_async,
)


def test_async_to_sync_runs_blocking_work_back_on_the_calling_thread():
    caller = threading.current_thread()

    def which_thread():
        return threading.current_thread()

    async def main():
        return await run_sync(which_thread)

    assert async_to_sync(main)() is caller


def test_nested_bridges_keep_the_calling_thread():
    caller = threading.current_thread()

    def innermost():
        return threading.current_thread()

    async def inner():
        return await run_sync(innermost)

    def middle():
        return async_to_sync(inner)()

    async def outer():
        return await run_sync(middle)

    assert async_to_sync(outer)() is caller


def test_async_to_sync_propagates_exceptions():
    async def broken():
        raise LookupError("missing")

    with pytest.raises(LookupError, match="missing"):
        async_to_sync(broken)()


async def test_async_to_sync_refuses_to_run_inside_an_event_loop():
    async def nothing():
        return None

    with pytest.raises(
        RuntimeError, match="You cannot use async_to_sync in the same thread"
    ):
        async_to_sync(nothing)()


async def test_run_sync_reuses_pool_threads_instead_of_starting_new_ones():
    idents = {await run_sync(threading.get_ident) for _ in range(50)}
    assert threading.get_ident() not in idents
    assert len(idents) <= (os.cpu_count() or 1) + 8


async def test_run_sync_passes_context_variables():
    import contextvars

    var: contextvars.ContextVar[str] = contextvars.ContextVar("var")
    var.set("outer")
    assert await run_sync(var.get) == "outer"


async def test_sync_to_async_decorator_returns_a_coroutine_function():
    @sync_to_async
    def add(a, b):
        return a + b

    assert iscoroutinefunction(add)
    assert await add(2, 3) == 5


def test_markcoroutinefunction_marks_callables():
    class Callable:
        def __call__(self):
            return asyncio.sleep(0)

    instance = Callable()
    assert not iscoroutinefunction(instance)
    markcoroutinefunction(instance)
    assert iscoroutinefunction(instance)


async def test_async_unsafe_refuses_calls_from_the_event_loop():
    @async_unsafe("Talk to the database from a thread.")
    def blocking():
        return "done"

    with pytest.raises(
        SynchronousOnlyOperation, match="Talk to the database from a thread."
    ):
        blocking()
    assert await run_sync(blocking) == "done"


async def test_run_sync_carries_the_exception_being_handled():
    import sys

    def current():
        return sys.exception()

    seen = []
    try:
        raise KeyError("handled")
    except KeyError as error:
        seen.append((error, await run_sync(current)))
    assert seen[0][0] is seen[0][1]
    assert await run_sync(current) is None


_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar(
    "language", default="en"
)


async def test_context_changes_made_in_sync_code_come_back():
    def activate():
        _LANGUAGE.set("fr")

    await run_sync(activate)
    assert _LANGUAGE.get() == "fr"


def test_context_changes_made_in_async_code_come_back():
    async def activate():
        _LANGUAGE.set("de")

    async_to_sync(activate)()
    assert _LANGUAGE.get() == "de"
    _LANGUAGE.set("en")


def test_marks_from_asyncio_and_inspect_are_recognised():
    import inspect

    def plain():
        return None

    def asgiref_style():
        return None

    asgiref_style._is_coroutine = asyncio.coroutines._is_coroutine  # type: ignore[attr-defined]
    assert not iscoroutinefunction(plain)
    assert iscoroutinefunction(asgiref_style)
    if hasattr(inspect, "markcoroutinefunction"):
        assert iscoroutinefunction(inspect.markcoroutinefunction(lambda: None))


def test_async_to_sync_wrappers_are_not_coroutine_functions():
    async def work():
        return 1

    assert not iscoroutinefunction(async_to_sync(work))


class _NoEquality:
    """A value whose comparison raises, as a numpy array's truth value does."""

    def __eq__(self, other: object) -> bool:
        raise ValueError("ambiguous")

    __hash__ = object.__hash__


_ODD: contextvars.ContextVar[object] = contextvars.ContextVar("odd")


async def test_context_changes_come_back_when_values_refuse_comparison():
    _LANGUAGE.set("en")
    _ODD.set(_NoEquality())
    replacement = _NoEquality()

    def activate():
        _ODD.set(replacement)
        _LANGUAGE.set("it")

    await run_sync(activate)
    assert _ODD.get() is replacement
    assert _LANGUAGE.get() == "it"
    _LANGUAGE.set("en")


async def test_context_left_alone_in_sync_code_keeps_its_values():
    marker = object()
    _ODD.set(marker)
    assert await run_sync(_ODD.get) is marker
    assert _ODD.get() is marker
