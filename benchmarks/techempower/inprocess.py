"""Call an ASGI application in-process: the smoke mode's client, no sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from validate import Response

__all__ = ["ASGIApp", "fetch_from", "requests_per_second"]

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def _scope(target: str) -> dict[str, Any]:
    path, _, query = target.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


def fetch_from(app: ASGIApp) -> Callable[[str], Awaitable[Response]]:
    """Return a fetch function that runs each request through ``app``.

    Like a server, it adds Server and Date headers when the app sets none.
    """

    async def fetch(target: str) -> Response:
        received = False
        status = 0
        headers: dict[str, str] = {"date": "now"}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal received
            if received:
                await asyncio.get_running_loop().create_future()
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                for name, value in message.get("headers", []):
                    headers[name.decode("latin-1").lower()] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(_scope(target), receive, send)
        return Response(status, headers, b"".join(chunks))

    return fetch


async def requests_per_second(
    fetch: Callable[[str], Awaitable[Response]], target: str, seconds: float
) -> float:
    """Fetch ``target`` back to back for about ``seconds``; return the rate."""
    start = time.perf_counter()
    deadline = start + seconds
    count = 0
    while True:
        response = await fetch(target)
        if response.status != 200:
            raise RuntimeError(f"{target} answered {response.status}")
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)
