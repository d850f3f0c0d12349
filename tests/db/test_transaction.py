"""transaction.atomic, savepoints, on_commit, durable, set_rollback: sync and async."""

# The body of each atomic block is what is under test.
# ruff: noqa: PT012

from __future__ import annotations

import pytest
import sqlalchemy as sa

from manouche.db import DatabaseError, IntegrityError, transaction
from manouche.db.transaction import TransactionManagementError
from tests.db.models_standin import Author, author_table


def names(conn):
    query = sa.select(author_table.c.name).order_by(author_table.c.name)
    return [row[0] for row in conn.execute(query).rows]


async def anames(conn):
    query = sa.select(author_table.c.name).order_by(author_table.c.name)
    return [row[0] for row in (await conn.aexecute(query)).rows]


def insert(conn, name):
    conn.execute(sa.insert(author_table).values(name=name))


async def ainsert(conn, name):
    await conn.aexecute(sa.insert(author_table).values(name=name))


def test_atomic_commits_and_rolls_back(database):
    database.create_models(Author)
    conn = database.connection
    with transaction.atomic():
        insert(conn, "kept")
    with pytest.raises(ValueError, match="boom"), transaction.atomic():
        insert(conn, "lost")
        raise ValueError("boom")
    assert names(conn) == ["kept"]
    assert conn.get_autocommit() is True
    assert conn.in_atomic_block is False


def test_inner_integrity_error_leaves_outer_block_usable(database):
    database.create_models(Author)
    conn = database.connection
    with transaction.atomic():
        insert(conn, "a")
        with pytest.raises(IntegrityError), transaction.atomic():
            insert(conn, "a")
        insert(conn, "b")
    assert names(conn) == ["a", "b"]


def test_nested_rollback_keeps_outer_work_and_decorator_form(database):
    database.create_models(Author)
    conn = database.connection

    @transaction.atomic
    def outer():
        insert(conn, "outer")
        try:
            inner()
        except RuntimeError:
            pass

    @transaction.atomic(savepoint=True)
    def inner():
        insert(conn, "inner")
        raise RuntimeError

    outer()
    assert names(conn) == ["outer"]


def test_error_without_savepoint_marks_outer_for_rollback(database):
    database.create_models(Author)
    conn = database.connection
    with transaction.atomic():
        insert(conn, "x")
        with pytest.raises(RuntimeError), transaction.atomic(savepoint=False):
            raise RuntimeError
        assert transaction.get_rollback() is True
        with pytest.raises(TransactionManagementError, match="An error occurred"):
            insert(conn, "y")
    assert names(conn) == []


def test_atomic_transactions_feature_says_whether_an_error_aborts_the_block(
    database,
):
    database.create_models(Author)
    conn = database.connection
    insert(conn, "kept")
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(conn, "kept")
        transaction.set_rollback(False)
        if conn.features.atomic_transactions:
            # PostgreSQL refuses every statement until the block rolls back.
            with pytest.raises(DatabaseError, match="transaction is aborted"):
                conn.execute(sa.text("SELECT 1"))
            transaction.set_rollback(True)
        else:
            insert(conn, "after")
    expected = ["kept"] if conn.features.atomic_transactions else ["after", "kept"]
    assert names(conn) == expected


def test_set_rollback_discards_the_block(database):
    database.create_models(Author)
    conn = database.connection
    with transaction.atomic():
        insert(conn, "x")
        transaction.set_rollback(True)
    assert names(conn) == []
    with pytest.raises(TransactionManagementError, match="outside of an 'atomic'"):
        transaction.set_rollback(True)


def test_on_commit_runs_after_outermost_commit_only(database):
    database.create_models(Author)
    calls = []
    with transaction.atomic():
        transaction.on_commit(lambda: calls.append("outer"))
        with transaction.atomic():
            transaction.on_commit(lambda: calls.append("inner"))
        with pytest.raises(RuntimeError), transaction.atomic():
            transaction.on_commit(lambda: calls.append("rolled back"))
            raise RuntimeError
        assert calls == []
    assert calls == ["outer", "inner"]
    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(lambda: calls.append("discarded"))
        raise RuntimeError
    assert calls == ["outer", "inner"]
    transaction.on_commit(lambda: calls.append("now"))
    assert calls[-1] == "now"


def test_robust_on_commit_logs_and_continues(database, caplog):
    calls = []

    def broken():
        raise ValueError("bad hook")

    with transaction.atomic():
        transaction.on_commit(broken, robust=True)
        transaction.on_commit(lambda: calls.append(1))
    assert calls == [1]
    assert "bad hook" in caplog.text
    with pytest.raises(TypeError, match="must be a callable"):
        transaction.on_commit(None)


def test_durable_block_cannot_be_nested(database):
    with transaction.atomic(durable=True):
        pass
    with (
        transaction.atomic(),
        pytest.raises(RuntimeError, match="durable"),
        transaction.atomic(durable=True),
    ):
        pass


def test_manual_commit_and_rollback(database):
    database.create_models(Author)
    conn = database.connection
    transaction.set_autocommit(False)
    try:
        insert(conn, "a")
        transaction.rollback()
        insert(conn, "b")
        sid = transaction.savepoint()
        insert(conn, "c")
        transaction.savepoint_rollback(sid)
        transaction.commit()
    finally:
        transaction.set_autocommit(True)
    assert names(conn) == ["b"]


async def test_async_atomic_commits_and_rolls_back(database):
    database.create_models(Author)
    conn = database.connection
    async with transaction.atomic():
        await ainsert(conn, "kept")
        assert transaction.get_autocommit() is False
    with pytest.raises(ValueError, match="boom"):
        async with transaction.atomic():
            await ainsert(conn, "lost")
            raise ValueError("boom")
    assert await anames(conn) == ["kept"]


async def test_async_nested_savepoints_and_integrity_error(database):
    database.create_models(Author)
    conn = database.connection
    calls = []
    async with transaction.atomic():
        await ainsert(conn, "a")
        transaction.on_commit(lambda: calls.append("a"))
        with pytest.raises(IntegrityError):
            async with transaction.atomic():
                transaction.on_commit(lambda: calls.append("dropped"))
                await ainsert(conn, "a")
        await ainsert(conn, "b")
        assert calls == []
    assert calls == ["a"]
    assert await anames(conn) == ["a", "b"]


async def test_async_set_rollback_and_decorated_coroutine(database):
    database.create_models(Author)
    conn = database.connection

    @transaction.atomic
    async def create(name):
        await ainsert(conn, name)
        if name == "undo":
            transaction.set_rollback(True)

    await create("keep")
    await create("undo")
    assert await anames(conn) == ["keep"]


async def test_async_durable_cannot_be_nested(database):
    async with transaction.atomic(durable=True):
        pass
    with pytest.raises(RuntimeError, match="durable"):
        async with transaction.atomic(), transaction.atomic(durable=True):
            pass


async def test_async_transaction_is_isolated_until_commit(database):
    if database.vendor == "sqlite":
        pytest.skip("in-memory SQLite is one shared connection")
    database.create_models(Author)
    conn = database.connection
    async with transaction.atomic():
        await ainsert(conn, "pending")
        outside = await conn.get_sa_async_engine()
        async with outside.connect() as other:
            seen = await other.execute(
                sa.select(sa.func.count()).select_from(author_table)
            )
            assert seen.scalar() == 0
    assert await anames(conn) == ["pending"]


def test_make_view_atomic_wraps_views_for_atomic_requests(database):
    from manouche.core.handlers.base import BaseHandler
    from manouche.test.utils import override_settings

    def view(request):
        insert(database.connection, "from view")
        raise RuntimeError("view failed")

    exempt = transaction.non_atomic_requests(lambda request: None)
    settings_dict = dict(database.settings, ATOMIC_REQUESTS=True)
    with override_settings(DATABASES={"default": settings_dict}):
        database.create_models(Author)
        handler = BaseHandler()
        wrapped = handler.make_view_atomic(view)
        assert handler.make_view_atomic(exempt) is exempt
        conn = database.connection
        with pytest.raises(RuntimeError, match="view failed"):
            wrapped(None)
        assert names(conn) == []
