"""Drive an ASGI application directly: build a scope, feed messages, collect replies."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]


@dataclass
class ASGIResult:
    """What the application sent back."""

    messages: list[Message] = field(default_factory=list)

    @property
    def start(self) -> Message | None:
        return next(
            (m for m in self.messages if m["type"] == "http.response.start"), None
        )

    @property
    def status(self) -> int | None:
        start = self.start
        return None if start is None else start["status"]

    @property
    def headers(self) -> dict[str, str]:
        start = self.start or {"headers": []}
        return {k.decode().lower(): v.decode("latin-1") for k, v in start["headers"]}

    def header_list(self, name: str) -> list[str]:
        start = self.start or {"headers": []}
        wanted = name.lower().encode()
        return [v.decode("latin-1") for k, v in start["headers"] if k.lower() == wanted]

    @property
    def body(self) -> bytes:
        return b"".join(
            m.get("body", b"")
            for m in self.messages
            if m["type"] == "http.response.body"
        )

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def make_scope(
    method: str = "GET",
    path: str = "/",
    *,
    query_string: bytes = b"",
    headers: Iterable[tuple[bytes, bytes]] | None = None,
    host: bytes | None = b"testserver",
    http_version: str = "1.1",
    raw_path: bytes | None = None,
    root_path: str = "",
    **extra: Any,
) -> dict[str, Any]:
    """Return an HTTP scope like uvicorn builds."""
    header_list = [] if host is None else [(b"host", host)]
    header_list.extend(headers or [])
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": http_version,
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": raw_path if raw_path is not None else path.encode(),
        "root_path": root_path,
        "query_string": query_string,
        "headers": header_list,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    scope.update(extra)
    return scope


async def call_asgi(
    app: Any,
    scope: dict[str, Any],
    body: bytes | list[bytes] = b"",
    *,
    disconnect_after: int | None = None,
    deadline: float = 5.0,
) -> ASGIResult:
    """Call ``app`` with ``scope``, sending ``body`` (one message per list item).

    After the body, ``receive`` waits until the response is complete, then
    reports a disconnect; with ``disconnect_after``, it reports the disconnect
    once that many body messages have been sent by the app.
    """
    chunks = body if isinstance(body, list) else [body]
    incoming: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    result = ASGIResult()
    done = asyncio.Event()
    body_messages = 0
    gone = asyncio.Event()

    async def receive() -> Message:
        if incoming:
            return incoming.pop(0)
        if disconnect_after is not None:
            await gone.wait()
        else:
            await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal body_messages
        result.messages.append(message)
        if message["type"] == "http.response.body":
            body_messages += 1
            if disconnect_after is not None and body_messages >= disconnect_after:
                gone.set()
            if not message.get("more_body", False):
                done.set()
        # Let other tasks (a disconnect watcher) run, as a real server would.
        await asyncio.sleep(0)

    await asyncio.wait_for(app(scope, receive, send), deadline)
    return result
