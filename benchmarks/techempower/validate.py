"""Check that an implementation answers every test type as TechEmpower requires.

Each check fetches real responses (in-process or over HTTP, through the
``Fetch`` callable it is given) and returns the problems it found, so the
runner can refuse to measure an implementation that cuts corners: wrong
content types, unescaped fortunes, unclamped ``queries``, updates that never
reach the database.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from common import ADDITIONAL_FORTUNE, FORTUNES, WORLD_ROWS

__all__ = ["Fetch", "Response", "expected_fortunes_page", "validate"]


@dataclass(frozen=True)
class Response:
    """What a fetch returned; header names are lower case."""

    status: int
    headers: dict[str, str]
    body: bytes


Fetch = Callable[[str], Awaitable[Response]]
ReadWorld = Callable[[list[int]], dict[int, int]]

# (query string, rows expected) for the clamping rules.
QUERY_CASES = (
    ("", 1),
    ("?queries=", 1),
    ("?queries=foo", 1),
    ("?queries=0", 1),
    ("?queries=1", 1),
    ("?queries=20", 20),
    ("?queries=501", 500),
)
UPDATE_CASES = (("?queries=foo", 1), ("?queries=20", 20), ("?queries=501", 500))

_PAGE = (
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>{rows}</table></body></html>"
)
# Equivalent escapes of the same characters (Jinja2 uses numeric ones).
_EQUIVALENT = {"&#34;": "&quot;", "&#39;": "&#x27;", "&#x22;": "&quot;"}
_BETWEEN_TAGS = re.compile(r">\s+<")


def expected_fortunes_page() -> str:
    """Return the fortunes page every implementation must produce."""
    rows = sorted([*FORTUNES, (0, ADDITIONAL_FORTUNE)], key=lambda row: row[1])
    cells = "".join(
        f"<tr><td>{id_}</td><td>{html.escape(message)}</td></tr>"
        for id_, message in rows
    )
    return _PAGE.format(rows=cells)


def _normalise(page: str) -> str:
    page = _BETWEEN_TAGS.sub("><", page.strip())
    for variant, canonical in _EQUIVALENT.items():
        page = page.replace(variant, canonical)
    return page


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td":
            self._in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def _content_type(response: Response, expected: str) -> list[str]:
    value = response.headers.get("content-type", "")
    if value.split(";")[0].strip().lower() != expected:
        return [f"content-type is {value!r}, expected {expected}"]
    return []


def _ok(name: str, response: Response, content_type: str) -> list[str]:
    problems = []
    if response.status != 200:
        problems.append(f"status {response.status}: {response.body[:200]!r}")
    problems += _content_type(response, content_type)
    # TechEmpower also asks for Server; manouche's ``serve`` omits it on purpose.
    if "date" not in response.headers:
        problems.append("missing Date header")
    return [f"{name}: {problem}" for problem in problems]


def _world(name: str, value: Any) -> list[str]:
    if not isinstance(value, dict) or set(value) != {"id", "randomNumber"}:
        return [f"{name}: {value!r} is not {{'id': ..., 'randomNumber': ...}}"]
    problems = []
    for key in ("id", "randomNumber"):
        number = value[key]
        if type(number) is not int or not 1 <= number <= WORLD_ROWS:
            problems.append(
                f"{name}: {key} {number!r} is not an int in 1..{WORLD_ROWS}"
            )
    return problems


def _json(name: str, response: Response) -> tuple[Any, list[str]]:
    problems = _ok(name, response, "application/json")
    try:
        return json.loads(response.body), problems
    except ValueError:
        return None, [*problems, f"{name}: body is not JSON: {response.body[:200]!r}"]


def _persisted(name: str, worlds: list[Any], read_world: ReadWorld) -> list[str]:
    stored = read_world([world["id"] for world in worlds])
    wrong = [w for w in worlds if stored.get(w["id"]) != w["randomNumber"]]
    if wrong:
        return [f"{name}: {len(wrong)} of {len(worlds)} rows differ in the database"]
    return []


async def _check_plaintext(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    response = await fetch("/plaintext")
    problems = _ok("plaintext", response, "text/plain")
    if response.body != b"Hello, World!":
        problems.append(f"plaintext: body {response.body[:100]!r}")
    return problems


async def _check_json(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    value, problems = _json("json", await fetch("/json"))
    if value != {"message": "Hello, World!"}:
        problems.append(f"json: body {value!r}")
    return problems


async def _check_db(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    value, problems = _json("db", await fetch("/db"))
    problems += _world("db", value)
    if not problems:
        stored = read_world([value["id"]])
        if stored.get(value["id"]) != value["randomNumber"]:
            problems.append(f"db: {value!r} differs from the database {stored!r}")
    return problems


async def _check_queries(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    problems = []
    for query, count in QUERY_CASES:
        name = f"queries{query}"
        value, found = _json(name, await fetch(f"/queries{query}"))
        problems += found
        if not isinstance(value, list) or len(value) != count:
            size = len(value) if isinstance(value, list) else type(value).__name__
            problems.append(f"{name}: expected a list of {count}, got {size}")
            continue
        for world in value:
            problems += _world(name, world)
        if count == 20 and not problems:
            problems += _persisted(name, value, read_world)
    return problems


async def _check_fortunes(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    response = await fetch("/fortunes")
    problems = _ok("fortunes", response, "text/html")
    if "charset=utf-8" not in response.headers.get("content-type", "").lower():
        problems.append("fortunes: content-type does not declare charset=utf-8")
    page = response.body.decode("utf-8", "replace")
    if "<script>" in page:
        problems.append("fortunes: a message was not escaped")
    parser = _Cells()
    parser.feed(page)
    rows = sorted([*FORTUNES, (0, ADDITIONAL_FORTUNE)], key=lambda row: row[1])
    expected = [cell for id_, message in rows for cell in (str(id_), message)]
    if parser.cells != expected:
        problems.append(f"fortunes: table cells {parser.cells[:6]!r}... differ")
    elif _normalise(page) != _normalise(expected_fortunes_page()):
        problems.append("fortunes: page markup differs from the TechEmpower page")
    return problems


async def _check_updates(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    problems = []
    for query, count in UPDATE_CASES:
        name = f"updates{query}"
        value, found = _json(name, await fetch(f"/updates{query}"))
        problems += found
        if not isinstance(value, list) or len(value) != count:
            size = len(value) if isinstance(value, list) else type(value).__name__
            problems.append(f"{name}: expected a list of {count}, got {size}")
            continue
        shape = [p for world in value for p in _world(name, world)]
        problems += shape or _persisted(name, value, read_world)
    return problems


CHECKS = {
    "plaintext": _check_plaintext,
    "json": _check_json,
    "db": _check_db,
    "queries": _check_queries,
    "fortunes": _check_fortunes,
    "updates": _check_updates,
}


async def validate(fetch: Fetch, read_world: ReadWorld) -> list[str]:
    """Run every check; return the problems (empty when all is valid)."""
    problems: list[str] = []
    for check in CHECKS.values():
        try:
            problems += await check(fetch, read_world)
        except Exception as error:
            problems.append(f"{check.__name__}: {type(error).__name__}: {error}")
    return problems
