"""The TechEmpower-style suite: smoke mode runs, and its validator has teeth.

Smoke mode drives every importable implementation in-process (manouche and
the raw ASGI reference always; Django and FastAPI only where installed) on
SQLite, or PostgreSQL when asyncpg is at hand, and fails on any response
that breaks the TechEmpower rules. The validator is then pointed at broken
apps to show it catches each kind of cheat.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.benchmarks.test_smoke import ROOT, run_script

SUITE = ROOT / "benchmarks" / "techempower"
# The suite's modules are imported by their top-level names, as its servers do.
SUITE_MODULES = ("common", "database", "validate", "inprocess", "_driver", "raw_asgi")


def test_smoke_mode_validates_manouche_and_the_raw_reference() -> None:
    completed = run_script(SUITE / "__main__.py", "--smoke")

    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "manouche: valid (6 test types)" in completed.stdout, output
    assert "raw ASGI: valid (6 test types)" in completed.stdout, output
    assert "INVALID" not in completed.stdout
    table = completed.stdout.split("in-process requests/s", 1)[1]
    manouche_row = next(
        line for line in table.splitlines() if line.startswith("manouche")
    )
    # One rate per test type, each a positive number.
    rates = [float(value) for value in manouche_row.split()[1:]]
    assert len(rates) == 6
    assert all(rate > 0 for rate in rates)


@pytest.fixture
def suite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Import the suite's modules against a fresh SQLite benchmark database."""
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    monkeypatch.setenv("MANOUCHE_BENCH_DATABASE", url)
    monkeypatch.syspath_prepend(str(SUITE))
    saved = {
        name: sys.modules.pop(name) for name in SUITE_MODULES if name in sys.modules
    }
    modules: dict[str, ModuleType] = {
        name: importlib.import_module(name) for name in SUITE_MODULES
    }
    modules["database"].prepare(url)
    yield {"url": url, **modules}
    for name in SUITE_MODULES:
        sys.modules.pop(name, None)
    sys.modules.update(saved)


def problems_of(suite: dict[str, Any], app: Any) -> list[str]:
    fetch = suite["inprocess"].fetch_from(app)
    problems: list[str] = asyncio.run(
        suite["validate"].validate(
            fetch, lambda ids: suite["database"].read_world(suite["url"], ids)
        )
    )
    return problems


def replacing(suite: dict[str, Any], path: str, handler: Any) -> Any:
    """Wrap the raw reference so that ``path`` is answered by ``handler``."""
    raw = suite["raw_asgi"].app

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == path:
            await handler(scope, send)
        else:
            await raw(scope, receive, send)

    return app


async def respond(send: Any, content_type: bytes, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


def test_validator_accepts_the_raw_reference(suite: dict[str, Any]) -> None:
    assert problems_of(suite, suite["raw_asgi"].app) == []


def test_validator_rejects_unescaped_fortunes(suite: dict[str, Any]) -> None:
    page = suite["validate"].expected_fortunes_page()
    unescaped = page.replace("&lt;script&gt;", "<script>").replace(
        "&lt;/script&gt;", "</script>"
    )

    async def handler(scope: dict[str, Any], send: Any) -> None:
        await respond(send, b"text/html; charset=utf-8", unescaped.encode())

    problems = problems_of(suite, replacing(suite, "/fortunes", handler))

    assert "fortunes: a message was not escaped" in problems


def test_validator_rejects_unsorted_fortunes_without_the_added_row(
    suite: dict[str, Any],
) -> None:
    async def handler(scope: dict[str, Any], send: Any) -> None:
        rows = "".join(
            f"<tr><td>{i}</td><td>{m}</td></tr>" for i, m in suite["common"].FORTUNES
        )
        await respond(send, b"text/html; charset=utf-8", rows.encode())

    problems = problems_of(suite, replacing(suite, "/fortunes", handler))

    assert any(p.startswith("fortunes: table cells") for p in problems), problems


def test_validator_rejects_unclamped_queries(suite: dict[str, Any]) -> None:
    async def handler(scope: dict[str, Any], send: Any) -> None:
        worlds = [{"id": 1, "randomNumber": 1}] * 3
        await respond(send, b"application/json", json.dumps(worlds).encode())

    problems = problems_of(suite, replacing(suite, "/queries", handler))

    assert "queries?queries=0: expected a list of 1, got 3" in problems
    assert "queries?queries=501: expected a list of 500, got 3" in problems


def test_validator_rejects_updates_that_never_reach_the_database(
    suite: dict[str, Any],
) -> None:
    async def handler(scope: dict[str, Any], send: Any) -> None:
        count = suite["common"].query_count(
            dict(
                part.split("=", 1)
                for part in scope["query_string"].decode().split("&")
                if "=" in part
            ).get("queries")
        )
        stored = suite["database"].read_world(suite["url"], list(range(1, count + 1)))
        worlds = [
            {"id": id_, "randomNumber": stored[id_] % 10_000 + 1}
            for id_ in range(1, count + 1)
        ]
        await respond(send, b"application/json", json.dumps(worlds).encode())

    problems = problems_of(suite, replacing(suite, "/updates", handler))

    assert "updates?queries=20: 20 of 20 rows differ in the database" in problems


def test_validator_rejects_a_wrong_content_type(suite: dict[str, Any]) -> None:
    async def handler(scope: dict[str, Any], send: Any) -> None:
        await respond(send, b"text/html", b'{"message": "Hello, World!"}')

    problems = problems_of(suite, replacing(suite, "/json", handler))

    assert problems == ["json: content-type is 'text/html', expected application/json"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 1), ("", 1), ("foo", 1), ("0", 1), ("-3", 1), ("7", 7), ("501", 500)],
)
def test_query_count_clamps_to_1_through_500(
    suite: dict[str, Any], raw: str | None, expected: int
) -> None:
    assert suite["common"].query_count(raw) == expected
