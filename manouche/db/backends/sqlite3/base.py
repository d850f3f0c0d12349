"""SQLite through the standard library's sqlite3 driver.

The driver runs in autocommit mode with explicit BEGIN. An in-memory
database is one connection shared by every thread of the process (guarded
by the wrapper's lock), so test data is visible to the test client's
threads. Async methods run the sync path off the loop, on one thread per
connection (``_worker``).
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
import zoneinfo
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import StaticPool

from manouche.core.exceptions import ImproperlyConfigured
from manouche.db.backends.base._constraint_checks import SQLiteConstraintChecks
from manouche.db.backends.base.base import BaseDatabaseWrapper
from manouche.db.backends.sqlite3._functions import register_functions
from manouche.db.backends.sqlite3._worker import StatementThread
from manouche.db.backends.sqlite3.creation import DatabaseCreation
from manouche.db.backends.sqlite3.features import DatabaseFeatures
from manouche.db.backends.sqlite3.introspection import DatabaseIntrospection
from manouche.db.backends.sqlite3.operations import DatabaseOperations
from manouche.db.backends.sqlite3.schema import DatabaseSchemaEditor
from manouche.db.backends.sqlite3.validation import DatabaseValidation
from manouche.db.utils import DatabaseError
from manouche.utils.asyncio import _home_executor
from manouche.utils.functional import cached_property

__all__ = ["DatabaseWrapper", "convert_tz", "is_memory_name"]

Database = sqlite3


@functools.lru_cache(maxsize=32)
def _zone(name: str) -> datetime.tzinfo:
    if name == "UTC":
        return datetime.UTC
    if name[:1] in "+-":
        hours, _, minutes = name[1:].partition(":")
        delta = datetime.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return datetime.timezone(-delta if name[0] == "-" else delta)
    return zoneinfo.ZoneInfo(name)


def convert_tz(value: Any, source: str, target: str) -> str | None:
    """SQL function: a stored naive datetime from zone ``source`` to ``target``.

    Registered on every connection; datetime extracts and truncations use it
    to work in the current time zone (SQLite knows nothing of zones).
    """
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    moved = parsed.replace(tzinfo=_zone(source)).astimezone(_zone(target))
    return moved.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def is_memory_name(name: Any) -> bool:
    """Whether ``name`` designates an in-memory database."""
    text = str(name or "")
    return text in ("", ":memory:") or "mode=memory" in text


class DatabaseWrapper(SQLiteConstraintChecks, BaseDatabaseWrapper):
    """A connection to an SQLite database file or in-memory database."""

    vendor: ClassVar[str] = "sqlite"
    display_name: ClassVar[str] = "SQLite"
    sa_driver: ClassVar[str] = "sqlite+pysqlite"
    sa_async_driver: ClassVar[str | None] = None
    Database = sqlite3
    SchemaEditorClass = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def get_engine_url(self) -> URL:
        """Return the sqlite URL of NAME (a file path or memory)."""
        name = self.settings_dict.get("NAME")
        if name is None or name == "":
            raise ImproperlyConfigured(
                "settings.DATABASES is improperly configured. Please supply the "
                "NAME value."
            )
        database = ":memory:" if is_memory_name(name) else str(name)
        return URL.create(self.sa_driver, database=database)

    def get_engine_options(self) -> dict[str, Any]:
        """Same-thread checks off (wrappers serialise use); memory: one connection."""
        options = super().get_engine_options()
        connect_args = dict(options["connect_args"])
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 5)
        options["connect_args"] = connect_args
        options.pop("pool_timeout", None)
        if is_memory_name(self.settings_dict.get("NAME")):
            options["poolclass"] = StaticPool
        return options

    def _create_engine(self) -> sa.Engine:
        engine = super()._create_engine()

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, record: Any) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = ON")
            dbapi_connection.execute("PRAGMA legacy_alter_table = OFF")
            dbapi_connection.create_function(
                "manouche_convert_tz", 3, convert_tz, deterministic=True
            )
            register_functions(dbapi_connection)

        return engine

    @cached_property
    def _statement_thread(self) -> StatementThread:
        return StatementThread(f"manouche-sqlite-{self.alias}")

    async def aexecute(self, statement: Any, parameters: Any = None) -> Any:
        """Run the statement on this connection's own thread (see ``_worker``).

        In an async atomic block, or when a sync caller waits in
        ``async_to_sync`` (whose thread must run it), the base class decides.
        """
        if self._current_async() is not None or _home_executor.get() is not None:
            return await super().aexecute(statement, parameters)
        return await self._statement_thread.call(self.execute, statement, parameters)

    def is_shared_across_threads(self) -> bool:
        """In-memory databases are one connection for all threads."""
        return is_memory_name(self.settings_dict.get("NAME"))

    def close(self) -> None:
        """Keep an in-memory database alive: closing would destroy it."""
        if self.is_shared_across_threads():
            if self.in_atomic_block:
                # A test wraps everything in a transaction: ignore the close.
                return
            # Roll back anything open, but keep the (only) connection.
            self.run_on_commit = []
            if self.in_transaction:
                self._rollback()
            return
        super().close()

    def is_usable(self) -> bool:
        """SQLite connections do not drop."""
        return self.connection is not None

    def _commit(self) -> None:
        """COMMIT; a refused one (deferred foreign key) leaves work to roll back.

        Unlike servers, SQLite keeps the transaction open when COMMIT fails,
        so the caller's rollback must still send ROLLBACK.
        """
        try:
            super()._commit()
        except (DatabaseError, Database.DatabaseError):
            self.in_transaction = True
            raise

    def disable_constraint_checking(self) -> bool:
        """Turn foreign key enforcement off (outside transactions only)."""
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA foreign_keys")
            enabled = cursor.fetchone()[0]
        return not bool(enabled)

    def enable_constraint_checking(self) -> None:
        """Turn foreign key enforcement back on."""
        with self.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")
