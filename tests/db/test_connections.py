"""Connections: handler, router, request edges, recovery, a server that is down."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from manouche.core import signals
from manouche.core.exceptions import ImproperlyConfigured
from manouche.db import (
    DEFAULT_DB_ALIAS,
    ConnectionDoesNotExist,
    OperationalError,
    connections,
    router,
)
from manouche.db.utils import ConnectionHandler, ConnectionRouter
from manouche.test.utils import override_settings
from tests.db.conftest import database_settings


def test_unknown_alias_raises_connection_does_not_exist():
    handler = ConnectionHandler({"default": database_settings("sqlite")})
    with pytest.raises(ConnectionDoesNotExist, match="The connection 'nope'"):
        handler["nope"]
    assert handler["default"].vendor == "sqlite"


def test_missing_default_database_is_improperly_configured():
    handler = ConnectionHandler({"other": database_settings("sqlite")})
    with pytest.raises(ImproperlyConfigured, match="'default' database"):
        handler["other"]


def test_unknown_engine_is_improperly_configured():
    handler = ConnectionHandler({"default": {"ENGINE": "no.such.backend"}})
    with pytest.raises(ImproperlyConfigured, match="isn't an available database"):
        handler["default"]


def test_empty_databases_give_a_clear_error_on_use():
    handler = ConnectionHandler({})
    with pytest.raises(ImproperlyConfigured, match="supply the ENGINE"):
        handler["default"].execute(sa.select(sa.literal(1)))


def test_file_databases_get_one_wrapper_per_thread(tmp_path):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "manouche.db.backends.sqlite3",
                "NAME": str(tmp_path / "db.sqlite3"),
            }
        }
    )
    mine = handler["default"]
    other = []
    thread = threading.Thread(target=lambda: other.append(handler["default"]))
    thread.start()
    thread.join()
    assert other[0] is not mine
    assert handler["default"] is mine
    mine.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    other[0].execute(sa.text("INSERT INTO t VALUES (1)"))
    assert mine.execute(sa.text("SELECT x FROM t")).rows == [(1,)]
    handler.reset()


def test_in_memory_sqlite_is_shared_across_threads(database):
    if database.vendor != "sqlite":
        pytest.skip("SQLite only")
    mine = connections["default"]
    other = []
    thread = threading.Thread(target=lambda: other.append(connections["default"]))
    thread.start()
    thread.join()
    assert other[0] is mine


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica"

    def allow_migrate(self, db, app_label, **hints):
        return None if app_label != "blocked" else False


class WriterRouter:
    def db_for_read(self, model, **hints):
        return "ignored"

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True


def test_router_chains_in_order_with_default_fallback():
    chain = ConnectionRouter([ReplicaRouter(), WriterRouter])
    assert chain.db_for_read(object) == "replica"
    assert chain.db_for_write(object) == DEFAULT_DB_ALIAS
    assert chain.allow_relation(object(), object()) is True
    assert chain.allow_migrate("default", "blocked") is False
    assert chain.allow_migrate("default", "app") is True


def test_router_reads_database_routers_setting():
    with override_settings(DATABASE_ROUTERS=[f"{__name__}.ReplicaRouter"]):
        assert router.db_for_read(object) == "replica"
    assert router.db_for_read(object) == DEFAULT_DB_ALIAS


def test_close_old_connections_honours_conn_max_age(database):
    settings_dict = dict(database.settings, CONN_MAX_AGE=0)
    with override_settings(DATABASES={"default": settings_dict}):
        conn = connections["default"]
        conn.execute(sa.select(sa.literal(1)))
        assert conn.connection is not None
        signals.request_finished.send(sender=None)
        if database.vendor == "sqlite":
            assert conn.connection is not None  # memory must survive
        else:
            assert conn.connection is None
        assert conn.execute(sa.select(sa.literal(2))).rows == [(2,)]
    settings_dict = dict(database.settings, CONN_MAX_AGE=None)
    with override_settings(DATABASES={"default": settings_dict}):
        conn = connections["default"]
        conn.execute(sa.select(sa.literal(1)))
        signals.request_started.send(sender=None)
        signals.request_finished.send(sender=None)
        assert conn.connection is not None


def test_a_closed_response_closes_obsolete_connections(database):
    from manouche.http import HttpResponse

    settings_dict = dict(database.settings, CONN_MAX_AGE=0)
    with override_settings(DATABASES={"default": settings_dict}):
        conn = connections["default"]
        conn.execute(sa.select(sa.literal(1)))
        HttpResponse().close()  # sends request_finished the short way
        if database.vendor == "sqlite":
            assert conn.connection is not None  # memory must survive
        else:
            assert conn.connection is None


def test_handler_is_unused_until_a_wrapper_is_created() -> None:
    import threading

    from manouche.db.utils import ConnectionHandler

    handler = ConnectionHandler(
        {"default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"}}
    )
    answers: list[bool] = []

    def ask() -> None:
        answers.append(handler.unused())
        handler["default"]
        answers.append(handler.unused())

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join()
    assert answers == [True, False]


def test_postgresql_connection_recovers_after_backend_termination(database):
    if database.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    conn = database.connection
    pid = conn.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0]
    killer = connections["default"].copy("killer")
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()
    with pytest.raises(OperationalError):
        conn.execute(sa.select(sa.literal(1)))
    assert conn.execute(sa.select(sa.literal(1))).rows == [(1,)]
    new_pid = conn.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0]
    assert new_pid != pid


def test_mariadb_connection_recovers_after_kill(database):
    if database.vendor != "mysql":
        pytest.skip("MariaDB only")
    conn = database.connection
    thread_id = conn.execute(sa.text("SELECT CONNECTION_ID()")).rows[0][0]
    killer = connections["default"].copy("killer")
    with killer.cursor() as cursor:
        cursor.execute(f"KILL {int(thread_id)}")
    killer.close()
    with pytest.raises(OperationalError):
        conn.execute(sa.select(sa.literal(1)))
    assert conn.execute(sa.select(sa.literal(1))).rows == [(1,)]


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
def test_a_down_server_fails_fast_with_operational_error(engine):
    settings_dict = {
        "ENGINE": f"manouche.db.backends.{engine}",
        "NAME": "x",
        "USER": "u",
        "HOST": "127.0.0.1",
        "PORT": "1",
    }
    with override_settings(DATABASES={"default": settings_dict}):
        start = time.monotonic()
        with pytest.raises(OperationalError):
            connections["default"].execute(sa.select(sa.literal(1)))
        assert time.monotonic() - start < 3


@pytest.mark.parametrize("engine", ["postgresql", "mysql"])
async def test_a_down_server_fails_fast_in_async_code(engine):
    settings_dict = {
        "ENGINE": f"manouche.db.backends.{engine}",
        "NAME": "x",
        "USER": "u",
        "HOST": "127.0.0.1",
        "PORT": "1",
    }
    with override_settings(DATABASES={"default": settings_dict}):
        start = time.monotonic()
        with pytest.raises(OperationalError):
            await connections["default"].aexecute(sa.select(sa.literal(1)))
        assert time.monotonic() - start < 3


def test_a_disconnect_on_the_direct_path_recycles_the_whole_pool(database):
    if database.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    conn = database.connection
    other = conn.copy()
    pids = []
    for wrapper in (conn, other):
        pids.append(wrapper.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0])
    other.close()  # its connection goes back to the shared pool
    hot = sa.select(sa.literal(1)).execution_options(manouche_direct=True)
    assert conn.execute(hot).rows == [(1,)]  # plans the statement
    killer = connections["default"].copy("killer")
    with killer.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()
    with pytest.raises(OperationalError):
        conn.execute(hot)
    conn.close()
    # The pooled connection died in the same restart: it must not fail again.
    assert conn.execute(hot).rows == [(1,)]
    assert conn.execute(sa.select(sa.func.pg_backend_pid())).rows[0][0] not in pids
