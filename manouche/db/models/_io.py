"""The one I/O edge of the model layer: run an operation sync or async.

ORM operations (save, delete, fetch, get_or_create...) are written once as
generators that *yield* what they need (a statement to execute, a signal to
send, a block to run atomically) and receive the answer. ``run`` drives such a
generator with blocking calls, ``arun`` with awaits: the sync and async APIs
share every line of query building and row handling.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Generator
from typing import Any

from manouche.core.exceptions import SynchronousOnlyOperation

__all__ = [
    "Atomic",
    "CallBlocking",
    "Execute",
    "Operation",
    "SendSignal",
    "arun",
    "run",
]

Operation = Generator[Any, Any, Any]

SYNC_IN_ASYNC_MESSAGE = (
    "You cannot call this from an async context - use the async API "
    "(e.g. aget(), acreate(), asave(), `async for`) or a thread."
)


class Execute:
    """Ask the driver to execute a SQLAlchemy Core statement on ``using``."""

    __slots__ = ("parameters", "statement", "using")

    def __init__(self, using: str, statement: Any, parameters: Any = None) -> None:
        self.using = using
        self.statement = statement
        self.parameters = parameters


class SendSignal:
    """Ask the driver to send a signal (``send`` or ``asend``)."""

    __slots__ = ("kwargs", "sender", "signal")

    def __init__(self, signal: Any, sender: Any, **kwargs: Any) -> None:
        self.signal = signal
        self.sender = sender
        self.kwargs = kwargs


class Atomic:
    """Ask the driver to run a sub-operation inside ``transaction.atomic``."""

    __slots__ = ("operation", "savepoint", "using")

    def __init__(self, using: str, operation: Operation, savepoint: bool = True):
        self.using = using
        self.operation = operation
        self.savepoint = savepoint


class CallBlocking:
    """Ask the driver to call blocking code (a user's overridden save())."""

    __slots__ = ("function",)

    def __init__(self, function: Any) -> None:
        self.function = function


def in_async_context() -> bool:
    """Tell whether this thread is running an event loop."""
    return asyncio._get_running_loop() is not None and not os.environ.get(
        "MANOUCHE_ALLOW_ASYNC_UNSAFE"
    )


def run(operation: Operation, message: str = SYNC_IN_ASYNC_MESSAGE) -> Any:
    """Drive ``operation`` with blocking I/O and return its result."""
    if in_async_context():
        operation.close()
        raise SynchronousOnlyOperation(message)
    from manouche.db import connections

    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            if error is not None:
                request = operation.throw(error)
            else:
                request = operation.send(value)
        except StopIteration as stop:
            return stop.value
        error = None
        try:
            kind = type(request)
            if kind is Execute:
                value = connections[request.using].execute(
                    request.statement, request.parameters
                )
            elif kind is SendSignal:
                value = request.signal.send(sender=request.sender, **request.kwargs)
            elif kind is Atomic:
                from manouche.db import transaction

                with transaction.atomic(
                    using=request.using, savepoint=request.savepoint
                ):
                    value = run(request.operation)
            elif kind is CallBlocking:
                value = request.function()
            else:
                raise TypeError(f"Unknown ORM operation {request!r}")
        except Exception as exc:
            error = exc
            value = None


async def arun(operation: Operation) -> Any:
    """Drive ``operation`` with asynchronous I/O and return its result."""
    from manouche.db import connections

    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            if error is not None:
                request = operation.throw(error)
            else:
                request = operation.send(value)
        except StopIteration as stop:
            return stop.value
        error = None
        try:
            kind = type(request)
            if kind is Execute:
                value = await connections[request.using].aexecute(
                    request.statement, request.parameters
                )
            elif kind is SendSignal:
                value = await request.signal.asend(
                    sender=request.sender, **request.kwargs
                )
            elif kind is Atomic:
                from manouche.db import transaction

                async with transaction.atomic(
                    using=request.using, savepoint=request.savepoint
                ):
                    value = await arun(request.operation)
            elif kind is CallBlocking:
                from manouche.utils.asyncio import run_sync

                value = await run_sync(request.function)
            else:
                raise TypeError(f"Unknown ORM operation {request!r}")
        except Exception as exc:
            error = exc
            value = None
