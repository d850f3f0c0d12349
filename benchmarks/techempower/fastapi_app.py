"""FastAPI with asyncpg and Jinja2, written the way their tutorials show.

One asyncpg pool per worker process (created on first use on the worker's
loop), path operations returning dicts and lists (FastAPI's default
``JSONResponse``), and ``Jinja2Templates`` with autoescaping for fortunes.
"""

from __future__ import annotations

from pathlib import Path
from random import randint, sample
from typing import Any

from _driver import get_pool
from common import ADDITIONAL_FORTUNE, WORLD_ROWS, query_count
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates

__all__ = ["app"]

_WORLD_SQL = "SELECT id, randomnumber FROM world WHERE id = $1"

app = FastAPI()
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext() -> str:
    return "Hello, World!"


@app.get("/json")
async def json_view() -> dict[str, str]:
    return {"message": "Hello, World!"}


@app.get("/db")
async def db() -> dict[str, int]:
    async with (await get_pool()).acquire() as connection:
        row = await connection.fetchrow(_WORLD_SQL, randint(1, WORLD_ROWS))
    return {"id": row[0], "randomNumber": row[1]}


@app.get("/queries")
async def queries(queries: str | None = None) -> list[dict[str, int]]:
    worlds = []
    async with (await get_pool()).acquire() as connection:
        for _ in range(query_count(queries)):
            row = await connection.fetchrow(_WORLD_SQL, randint(1, WORLD_ROWS))
            worlds.append({"id": row[0], "randomNumber": row[1]})
    return worlds


@app.get("/fortunes", response_class=HTMLResponse)
async def fortunes(request: Request) -> Any:
    async with (await get_pool()).acquire() as connection:
        rows = [
            tuple(row)
            for row in await connection.fetch("SELECT id, message FROM fortune")
        ]
    rows.append((0, ADDITIONAL_FORTUNE))
    rows.sort(key=lambda row: row[1])
    return templates.TemplateResponse(request, "fortunes.jinja", {"fortunes": rows})


@app.get("/updates")
async def updates(queries: str | None = None) -> list[dict[str, int]]:
    ids = sorted(sample(range(1, WORLD_ROWS + 1), query_count(queries)))
    worlds = []
    async with (await get_pool()).acquire() as connection:
        for id_ in ids:
            row = await connection.fetchrow(_WORLD_SQL, id_)
            worlds.append({"id": row[0], "randomNumber": randint(1, WORLD_ROWS)})
        await connection.executemany(
            "UPDATE world SET randomnumber = $1 WHERE id = $2",
            [(world["randomNumber"], world["id"]) for world in worlds],
        )
    return worlds
