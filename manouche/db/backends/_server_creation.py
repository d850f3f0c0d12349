"""CREATE / DROP DATABASE on a server, through a maintenance connection."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from manouche.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["ServerDatabaseCreation"]


class ServerDatabaseCreation(BaseDatabaseCreation):
    """Create the test database from a connection to another database."""

    maintenance_database: str | None = None

    def maintenance_url(self) -> URL:
        """The URL of the database used to issue CREATE/DROP DATABASE."""
        raise NotImplementedError

    def sql_create_database(self, name: str) -> str:
        """The CREATE DATABASE statement for ``name``."""
        charset = self.connection.settings_dict["TEST"].get("CHARSET")
        suffix = self._charset_suffix(charset)
        return f"CREATE DATABASE {self.connection.ops.quote_name(name)}{suffix}"

    def sql_drop_database(self, name: str) -> str:
        """The DROP DATABASE statement for ``name``."""
        return f"DROP DATABASE IF EXISTS {self.connection.ops.quote_name(name)}"

    def _charset_suffix(self, charset: str | None) -> str:
        return ""

    def is_already_exists(self, exc: BaseException) -> bool:
        """Whether ``exc`` says the database exists already."""
        return "exist" in str(exc).lower()

    def _run_maintenance(self, *statements: str) -> None:
        options = self.connection.get_engine_options()
        connect_args = options.get("connect_args", {})
        engine = sa.create_engine(
            self.maintenance_url(),
            poolclass=NullPool,
            isolation_level="AUTOCOMMIT",
            connect_args=connect_args,
        )
        try:
            with self.connection.wrap_database_errors, engine.connect() as conn:
                for sql in statements:
                    conn.exec_driver_sql(sql)
        finally:
            engine.dispose()

    def create_test_database_named(
        self, name: str, keepdb: bool = False, autoclobber: bool = True
    ) -> None:
        """Create ``name``; keep it with keepdb, else replace an existing one."""
        from manouche.db.utils import DatabaseError

        try:
            self._run_maintenance(self.sql_create_database(name))
            return
        except DatabaseError as exc:
            if not self.is_already_exists(exc):
                raise
            if keepdb:
                return
            if not autoclobber:
                answer = input(
                    f"Type 'yes' if you would like to try deleting the test "
                    f"database '{name}', or 'no' to cancel: "
                )
                if answer != "yes":
                    raise
        from manouche.db.backends._engines import dispose_engines

        dispose_engines()
        self._run_maintenance(self.sql_drop_database(name))
        self._run_maintenance(self.sql_create_database(name))

    def destroy_test_database_named(self, name: str) -> None:
        """Drop ``name`` (closing pooled connections to it first)."""
        from manouche.db.backends._engines import dispose_engines

        dispose_engines()
        self._run_maintenance(self.sql_drop_database(name))

    def _settings(self) -> dict[str, Any]:
        return dict(self.connection.settings_dict)
