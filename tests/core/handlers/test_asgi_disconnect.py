"""A client disconnecting mid-request cancels the work done for it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from manouche.core.handlers import asgi
from manouche.core.handlers.asgi import ASGIHandler, ASGIRequest
from manouche.core.signals import request_finished
from manouche.http import HttpResponse, StreamingHttpResponse
from manouche.urls import path
from tests.core.handlers.asgi_driver import make_scope

Message = dict[str, Any]


class Connection:
    """An ASGI connection driven by hand: queue messages in, collect replies."""

    def __init__(self, app: ASGIHandler, scope: dict[str, Any]) -> None:
        self.incoming: asyncio.Queue[Message] = asyncio.Queue()
        self.outgoing: asyncio.Queue[Message] = asyncio.Queue()
        self.task = asyncio.ensure_future(
            app(scope, self.incoming.get, self.outgoing.put)
        )

    async def next_message(self) -> Message:
        return await asyncio.wait_for(self.outgoing.get(), 1.0)


def app_for(view: Callable[..., Any]) -> ASGIHandler:
    """An ASGIHandler whose requests route every path below /v/ to ``view``."""

    class Request(ASGIRequest):
        urlconf = (path("v/", view),)

    class Handler(ASGIHandler):
        request_class = Request

    return Handler()


@pytest.fixture(autouse=True, params=["generated serve", "handle"])
def serving_path(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> str:
    """Run every test through the generated serve coroutine and through handle."""
    if request.param == "handle":
        monkeypatch.setattr(asgi, "build_serve", lambda handler, flat: None)
    return str(request.param)


def test_both_paths_are_taken(serving_path: str) -> None:
    app = app_for(lambda request: HttpResponse("ok"))
    assert (app._serve is not None) is (serving_path == "generated serve")


@pytest.fixture
def finished_calls() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        calls.append(kwargs)

    request_finished.connect(receiver)
    yield calls
    request_finished.disconnect(receiver)


async def test_disconnect_while_async_view_waits_cancels_it(
    finished_calls: list[dict[str, Any]],
) -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def view(request: Any) -> HttpResponse:
        started.set()
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return HttpResponse("late")  # pragma: no cover - cancelled first

    app = app_for(view)
    connection = Connection(app, make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    await started.wait()
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 1)
    assert cancelled.is_set()
    assert connection.outgoing.empty()
    assert len(finished_calls) == 1
    assert finished_calls[0]["sender"] is type(app)


async def test_view_that_does_not_wait_is_answered_without_listening() -> None:
    async def view(request: Any) -> HttpResponse:
        return HttpResponse("quick")

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    start = await connection.next_message()
    body = await connection.next_message()
    await asyncio.wait_for(connection.task, 1)
    assert start["status"] == 200
    assert body["body"] == b"quick"
    # The message after the body was never asked for.
    assert connection.incoming.empty()


async def test_disconnect_during_streaming_cancels_the_iterator(
    finished_calls: list[dict[str, Any]],
) -> None:
    cancelled = asyncio.Event()

    async def content() -> AsyncIterator[bytes]:
        yield b"first"
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        yield b"never"  # pragma: no cover - cancelled first

    async def view(request: Any) -> StreamingHttpResponse:
        return StreamingHttpResponse(content())

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    assert (await connection.next_message())["status"] == 200
    assert (await connection.next_message())["body"] == b"first"
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 1)
    assert cancelled.is_set()
    assert connection.outgoing.empty()
    assert len(finished_calls) == 1


async def test_unexpected_message_after_body_raises_assertion_error() -> None:
    async def view(request: Any) -> HttpResponse:
        await asyncio.sleep(5)
        return HttpResponse()  # pragma: no cover - cancelled first

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    await connection.incoming.put({"type": "http.not_a_real_message"})
    with pytest.raises(AssertionError) as info:
        await asyncio.wait_for(connection.task, 1)
    assert str(info.value) == (
        "Invalid ASGI message after request body: http.not_a_real_message"
    )


@pytest.fixture
def listen_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listen for the disconnect from the first loop turn, not after a while."""
    from manouche.core.handlers import _disconnect

    monkeypatch.setattr(_disconnect, "LISTEN_AFTER", 0)


@pytest.mark.usefixtures("listen_at_once")
async def test_sync_view_keeps_a_readable_body_after_the_client_left() -> None:
    started = threading.Event()
    outcome: list[Any] = []
    done = threading.Event()

    def view(request: Any) -> HttpResponse:
        started.set()
        time.sleep(0.05)
        try:
            outcome.append(request.body)
        except Exception as exc:  # pragma: no cover - the failure being tested
            outcome.append(exc)
        done.set()
        return HttpResponse("unsent")

    connection = Connection(app_for(view), make_scope(method="POST", path="/v/"))
    await connection.incoming.put({"type": "http.request", "body": b"payload"})
    assert await asyncio.to_thread(started.wait, 1)
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 1)
    assert await asyncio.to_thread(done.wait, 1)
    assert outcome == [b"payload"]
    assert connection.outgoing.empty()


async def test_quick_sync_view_is_answered_without_listening() -> None:
    # The disconnect is already waiting, but the view answers well within
    # LISTEN_AFTER: no listener task ever starts, the message stays unread.
    def view(request: Any) -> HttpResponse:
        return HttpResponse("quick")

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 1)
    start = await connection.next_message()
    assert start["status"] == 200
    assert connection.incoming.qsize() == 1


async def test_outside_cancellation_still_propagates() -> None:
    started = asyncio.Event()

    async def view(request: Any) -> HttpResponse:
        started.set()
        await asyncio.sleep(5)
        return HttpResponse()  # pragma: no cover - cancelled first

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    await started.wait()
    connection.task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await connection.task


async def _post_then_disconnect_during(
    view: Callable[..., Any], started: threading.Event
) -> Connection:
    """POST to ``view``, disconnect once it runs, and wait for the handler."""
    connection = Connection(app_for(view), make_scope(method="POST", path="/v/"))
    await connection.incoming.put({"type": "http.request", "body": b"Body data!"})
    assert await asyncio.to_thread(started.wait, 1)
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 2)
    return connection


async def test_slow_sync_post_view_abandoned_runs_to_its_end_unanswered(
    finished_calls: list[dict[str, Any]],
) -> None:
    started = threading.Event()
    release = threading.Event()
    outcome: list[Any] = []

    def view(request: Any) -> HttpResponse:
        started.set()
        # Still running when the client leaves; resumes only afterwards.
        release.wait(2)
        outcome.append(request.body)
        return HttpResponse("nobody reads this")

    connection = await _post_then_disconnect_during(view, started)
    # The handler returned while the thread still works; that work finishes.
    release.set()
    for _ in range(100):
        if outcome:
            break
        await asyncio.sleep(0.01)
    assert outcome == [b"Body data!"]
    assert connection.outgoing.empty()
    assert len(finished_calls) == 1


@pytest.mark.usefixtures("listen_at_once")
async def test_sync_to_async_post_view_abandoned_reads_its_body(
    finished_calls: list[dict[str, Any]],
) -> None:
    from manouche.utils.asyncio import sync_to_async

    started = threading.Event()
    outcome: list[Any] = []
    done = threading.Event()

    @sync_to_async
    def view(request: Any) -> HttpResponse:
        started.set()
        time.sleep(0.05)
        try:
            outcome.append(request.body)
        except Exception as exc:  # pragma: no cover - the failure being tested
            outcome.append(exc)
        done.set()
        return HttpResponse("unsent")

    connection = await _post_then_disconnect_during(view, started)
    assert await asyncio.to_thread(done.wait, 1)
    assert outcome == [b"Body data!"]
    assert connection.outgoing.empty()
    assert len(finished_calls) == 1


async def test_disconnect_during_sync_streaming_closes_the_iterator(
    finished_calls: list[dict[str, Any]],
) -> None:
    closed = threading.Event()
    produced: list[int] = []

    class Pieces:
        """A sync iterable that notices when it is closed."""

        def __iter__(self) -> Pieces:
            return self

        def __next__(self) -> bytes:
            produced.append(1)
            time.sleep(0.01)
            return b"x" * 70_000  # one batch per piece

        def close(self) -> None:
            closed.set()

    def view(request: Any) -> StreamingHttpResponse:
        return StreamingHttpResponse(Pieces())

    connection = Connection(app_for(view), make_scope(path="/v/"))
    await connection.incoming.put({"type": "http.request"})
    assert (await connection.next_message())["status"] == 200
    assert (await connection.next_message())["more_body"] is True
    await connection.incoming.put({"type": "http.disconnect"})
    await asyncio.wait_for(connection.task, 2)
    assert await asyncio.to_thread(closed.wait, 1)
    count = len(produced)
    await asyncio.sleep(0.05)
    assert len(produced) == count  # nothing pulled after the close
    assert len(finished_calls) == 1
