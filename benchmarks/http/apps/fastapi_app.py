"""FastAPI with one plain-text route, the way its tutorial writes it."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

__all__ = ["app"]

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
async def hello() -> str:
    """Answer GET / with a text body."""
    return "Hello, world!"
