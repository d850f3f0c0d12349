"""Noticing that the client of an ASGI request went away.

``DisconnectListener`` cancels a running request when ``http.disconnect``
arrives; it starts listening only once the request has run for
``LISTEN_AFTER`` seconds, so a request answered sooner (almost all, sync
views and quick queries included) costs no task. The generated serve
coroutine registers a bare *watch* instead (``Watch``), for which a listener
is made only if the request is still running then. ``DisconnectWatcher``
notices a disconnect while a streaming answer is sent.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any

__all__ = [
    "DisconnectListener",
    "DisconnectWatcher",
    "Watch",
    "listen_now",
    "stop_watch",
    "waiting_list",
]

Receive = Callable[[], Awaitable[dict[str, Any]]]


class DisconnectListener:
    """Cancel the request's task when the client disconnects mid-request.

    A view or a streaming answer is then interrupted with CancelledError
    instead of working for nobody. Any other message after the body breaks
    the ASGI protocol and is raised as an AssertionError.

    Listening starts only after ``LISTEN_AFTER`` seconds: abandoning a
    request that is about to finish saves nothing, and this spares the hot
    path a task per request (see ``_start_waiting_listeners``).
    """

    __slots__ = (
        "_active",
        "_receive",
        "_target",
        "_task",
        "_waiting",
        "error",
        "fired",
    )

    def __init__(
        self, receive: Receive, target: asyncio.Task[Any] | None = None
    ) -> None:
        """Listen for the current task, from ``LISTEN_AFTER`` seconds on.

        With ``target``, listen for that task and wait for nothing: the
        caller starts the listener.
        """
        self.fired = False
        self.error: AssertionError | None = None
        self._active = True
        self._receive = receive
        self._task: asyncio.Task[None] | None = None
        if target is not None:
            self._target: asyncio.Task[Any] | None = target
            self._waiting: list[Any] = []
            return
        loop = asyncio.get_running_loop()
        self._target = asyncio.current_task(loop)
        waiting = waiting_list(loop)
        waiting.append(self)
        self._waiting = waiting

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Begin waiting for the next message, if the request is still running."""
        if self._active and self._task is None:
            self._task = loop.create_task(self._listen())

    def before_answer(self, response: Any) -> None:
        """Listen from now on if ``response`` streams: it may run for a long time."""
        if response.streaming and self._task is None and self._active:
            if self._waiting and self._waiting[-1] is self:
                self._waiting.pop()
            self.start(asyncio.get_running_loop())

    async def _listen(self) -> None:
        message = await self._receive()
        if not self._active or self._target is None:
            return
        if message["type"] != "http.disconnect":
            self.error = AssertionError(
                f"Invalid ASGI message after request body: {message['type']}"
            )
        self.fired = True
        self._target.cancel()

    def stop(self) -> None:
        """Stop listening; a message arriving afterwards is left unread."""
        if self._active:
            self._active = False
            if self._task is not None:
                self._task.cancel()
            elif self._waiting and self._waiting[-1] is self:
                # Requests answered without waiting leave in creation order's
                # reverse: drop the entry now rather than when the timer fires.
                self._waiting.pop()
            # Waiting in the batch until then, it must not keep the request alive.
            self._target = None


#: A request registered without a listener: ``[its task, or None once it is
#: answered; its receive; the listener started for it, or None]``. The
#: generated serve coroutine appends one per request to ``waiting_list(loop)``
#: and stops it as ``stop_watch`` does.
Watch = list[Any]
#: Seconds a request runs before it listens for the client's disconnect.
LISTEN_AFTER = 0.25
#: Listeners waiting to start, per loop. One timer per batch starts those
#: still running, however many requests came in meanwhile.
_waiting_listeners: dict[
    asyncio.AbstractEventLoop, list[DisconnectListener | Watch]
] = {}
#: The callback needs none of the request's context variables.
_LISTENER_CONTEXT = contextvars.Context()


def waiting_list(loop: asyncio.AbstractEventLoop) -> list[Any]:
    """The loop's batch of requests waiting to listen, its timer set."""
    waiting = _waiting_listeners.get(loop)
    if waiting is None:
        waiting = _waiting_listeners[loop] = []
        loop.call_later(
            LISTEN_AFTER, _start_waiting_listeners, loop, context=_LISTENER_CONTEXT
        )
    return waiting


def stop_watch(entry: Watch, waiting: list[Any]) -> None:
    """Stop watching: the request is answered or abandoned."""
    if entry[0] is not None:
        entry[0] = None
        if waiting and waiting[-1] is entry:
            waiting.pop()
        elif entry[2] is not None:
            entry[2].stop()


def listen_now(entry: Watch, waiting: list[Any]) -> None:
    """Listen from now on for a watched request (its answer streams)."""
    if entry[0] is not None and entry[2] is None:
        if waiting and waiting[-1] is entry:
            waiting.pop()
        _start_watch(entry, asyncio.get_running_loop())


def _start_watch(entry: Watch, loop: asyncio.AbstractEventLoop) -> None:
    listener = entry[2] = DisconnectListener(entry[1], target=entry[0])
    listener.start(loop)


def _start_waiting_listeners(loop: asyncio.AbstractEventLoop) -> None:
    for waiting in _waiting_listeners.pop(loop, ()):
        if isinstance(waiting, DisconnectListener):
            waiting.start(loop)
        elif waiting[0] is not None and waiting[2] is None:
            _start_watch(waiting, loop)


class DisconnectWatcher:
    """Notice an ``http.disconnect`` while a streaming response is being sent."""

    def __init__(self, receive: Receive) -> None:
        self.disconnected = False
        self._task = asyncio.ensure_future(self._watch(receive))

    async def _watch(self, receive: Receive) -> None:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.disconnected = True
                return

    def stop(self) -> None:
        self._task.cancel()
