"""The framework-less reference: one ASGI callable and asyncpg.

No routing table, no request object, no template engine: the path picks a
coroutine, the fortunes page is built with ``html.escape`` and the JSON with
the standard library. Every framework is measured against this floor.
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from random import randint, sample
from typing import Any
from urllib.parse import parse_qs

from _driver import get_pool
from common import ADDITIONAL_FORTUNE, WORLD_ROWS, query_count

__all__ = ["app"]

Send = Callable[[dict[str, Any]], Awaitable[None]]

_WORLD_SQL = "SELECT id, randomnumber FROM world WHERE id = $1"
_FORTUNE_SQL = "SELECT id, message FROM fortune"
_UPDATE_SQL = "UPDATE world SET randomnumber = $1 WHERE id = $2"
_TEXT = [(b"content-type", b"text/plain")]
_JSON = [(b"content-type", b"application/json")]
_HTML = [(b"content-type", b"text/html; charset=utf-8")]
_PAGE_START = (
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
)
_PAGE_END = "</table></body></html>"


async def _respond(send: Send, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _queries(scope: dict[str, Any]) -> int:
    values = parse_qs(scope["query_string"].decode("latin-1")).get("queries")
    return query_count(values[0] if values else None)


async def plaintext(scope: dict[str, Any], send: Send) -> None:
    await _respond(send, _TEXT, b"Hello, World!")


async def json_view(scope: dict[str, Any], send: Send) -> None:
    await _respond(send, _JSON, json.dumps({"message": "Hello, World!"}).encode())


async def db(scope: dict[str, Any], send: Send) -> None:
    async with (await get_pool()).acquire() as connection:
        row = await connection.fetchrow(_WORLD_SQL, randint(1, WORLD_ROWS))
    body = json.dumps({"id": row[0], "randomNumber": row[1]})
    await _respond(send, _JSON, body.encode())


async def queries(scope: dict[str, Any], send: Send) -> None:
    count = _queries(scope)
    worlds = []
    async with (await get_pool()).acquire() as connection:
        for _ in range(count):
            row = await connection.fetchrow(_WORLD_SQL, randint(1, WORLD_ROWS))
            worlds.append({"id": row[0], "randomNumber": row[1]})
    await _respond(send, _JSON, json.dumps(worlds).encode())


async def fortunes(scope: dict[str, Any], send: Send) -> None:
    async with (await get_pool()).acquire() as connection:
        rows = [tuple(row) for row in await connection.fetch(_FORTUNE_SQL)]
    rows.append((0, ADDITIONAL_FORTUNE))
    rows.sort(key=lambda row: row[1])
    cells = "".join(
        f"<tr><td>{id_}</td><td>{html.escape(message)}</td></tr>"
        for id_, message in rows
    )
    await _respond(send, _HTML, f"{_PAGE_START}{cells}{_PAGE_END}".encode())


async def updates(scope: dict[str, Any], send: Send) -> None:
    ids = sorted(sample(range(1, WORLD_ROWS + 1), _queries(scope)))
    worlds = []
    async with (await get_pool()).acquire() as connection:
        for id_ in ids:
            row = await connection.fetchrow(_WORLD_SQL, id_)
            worlds.append({"id": row[0], "randomNumber": randint(1, WORLD_ROWS)})
        await connection.executemany(
            _UPDATE_SQL, [(world["randomNumber"], world["id"]) for world in worlds]
        )
    await _respond(send, _JSON, json.dumps(worlds).encode())


_ROUTES: dict[str, Callable[[dict[str, Any], Send], Awaitable[None]]] = {
    "/plaintext": plaintext,
    "/json": json_view,
    "/db": db,
    "/queries": queries,
    "/fortunes": fortunes,
    "/updates": updates,
}


async def app(scope: dict[str, Any], receive: Any, send: Send) -> None:
    """Serve the six test types; 404 for anything else; ignore lifespan."""
    if scope["type"] != "http":
        return
    route = _ROUTES.get(scope["path"])
    if route is None:
        await send({"type": "http.response.start", "status": 404, "headers": _TEXT})
        await send({"type": "http.response.body", "body": b"Not Found"})
        return
    await route(scope, send)
