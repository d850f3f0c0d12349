"""MariaDB test databases, created with utf8mb4."""

from __future__ import annotations

from sqlalchemy.engine import URL

from manouche.db.backends._server_creation import ServerDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(ServerDatabaseCreation):
    """CREATE DATABASE ... CHARACTER SET utf8mb4 through a server connection."""

    def maintenance_url(self) -> URL:
        """The server, without a database."""
        from manouche.db.backends.mysql.base import server_url

        return server_url(
            self.connection.settings_dict, self.connection.sa_driver, None
        )

    def sql_create_database(self, name: str) -> str:
        """CREATE DATABASE with the TEST CHARSET/COLLATION (utf8mb4 by default)."""
        test = self.connection.settings_dict["TEST"]
        charset = test.get("CHARSET") or "utf8mb4"
        collation = test.get("COLLATION") or "utf8mb4_unicode_ci"
        quoted = self.connection.ops.quote_name(name)
        return f"CREATE DATABASE {quoted} CHARACTER SET {charset} COLLATE {collation}"
