"""Drive an ASGI application in-process and time it: no sockets, no server."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def http_scope(path: str = "/", method: str = "GET") -> dict[str, Any]:
    """Return the scope uvicorn would build for a small GET request."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"localhost"),
            (b"user-agent", b"bench"),
            (b"accept", b"*/*"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call_once(app: ASGIApp, scope: dict[str, Any]) -> int:
    """Run one request through ``app``; return the response status."""
    status = 0
    body_sent = False

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if body_sent:
            # Like a server: nothing more until the client disconnects.
            await asyncio.get_running_loop().create_future()
        body_sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(dict(scope), receive, send)
    return status


async def time_app(app: ASGIApp, path: str, requests: int, rounds: int) -> float:
    """Return the median microseconds per request over ``rounds`` rounds."""
    scope = http_scope(path)
    status = await call_once(app, scope)
    if status != 200:
        raise RuntimeError(f"warm-up request answered {status}")
    for _ in range(min(200, requests)):
        await call_once(app, scope)
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(requests):
            await call_once(app, scope)
        samples.append((time.perf_counter() - start) / requests * 1e6)
    return statistics.median(samples)
