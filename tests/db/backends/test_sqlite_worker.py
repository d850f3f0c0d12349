"""SQLite async queries: one statement thread per connection."""

from __future__ import annotations

import contextvars
import threading
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import IntegrityError, connection, transaction
from manouche.db.backends.sqlite3 import _worker
from manouche.db.backends.sqlite3._worker import StatementThread
from tests.db.conftest import DatabaseFixture
from tests.db.models_standin import Author, author_table

sqlite = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="")


async def test_results_errors_and_context_cross_the_thread() -> None:
    worker = StatementThread("manouche-test-worker")
    marker.set("caller")

    def where() -> tuple[str, str]:
        return threading.current_thread().name, marker.get()

    def fail() -> None:
        raise KeyError("boom")

    assert await worker.call(where) == ("manouche-test-worker", "caller")
    with pytest.raises(KeyError, match="boom"):
        await worker.call(fail)
    assert await worker.call(sum, (1, 2)) == 3


async def test_an_idle_thread_exits_and_the_next_call_starts_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_worker, "IDLE_SECONDS", 0.01)
    worker = StatementThread("manouche-test-idle")
    first = await worker.call(threading.current_thread)
    first.join(timeout=10)
    assert not first.is_alive()
    second = await worker.call(threading.current_thread)
    assert second is not first
    assert second.name == "manouche-test-idle"


@sqlite
async def test_async_statements_run_on_the_connection_thread(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    threads: list[str] = []

    def wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        threads.append(threading.current_thread().name)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        await connection.aexecute(sa.insert(author_table).values(name="a"))
        with pytest.raises(IntegrityError):
            await connection.aexecute(sa.insert(author_table).values(name="a"))
        result = await connection.aexecute(sa.select(author_table.c.name))
    assert result.rows == [("a",)]
    assert threads == ["manouche-sqlite-default"] * 3


@sqlite
async def test_atomic_blocks_keep_their_own_connection(
    database: DatabaseFixture,
) -> None:
    database.create_models(Author)
    async with transaction.atomic():
        await connection.aexecute(sa.insert(author_table).values(name="kept"))
    async with transaction.atomic():
        await connection.aexecute(sa.insert(author_table).values(name="gone"))
        transaction.set_rollback(True)
    result = await connection.aexecute(sa.select(author_table.c.name))
    assert result.rows == [("kept",)]
