"""PostgreSQL test databases, created from the "postgres" database."""

from __future__ import annotations

from sqlalchemy.engine import URL

from manouche.db.backends._server_creation import ServerDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(ServerDatabaseCreation):
    """CREATE DATABASE through a connection to the maintenance database."""

    def maintenance_url(self) -> URL:
        """The "postgres" database of the same server."""
        from manouche.db.backends.postgresql.base import server_url

        return server_url(
            self.connection.settings_dict, self.connection.sa_driver, "postgres"
        )

    def _charset_suffix(self, charset: str | None) -> str:
        if not charset:
            return ""
        return f" ENCODING '{charset}'"

    def sql_drop_database(self, name: str) -> str:
        """Drop even while stray sessions are connected (PostgreSQL 13+)."""
        quoted = self.connection.ops.quote_name(name)
        return f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"
