"""SQLite test databases: in memory unless TEST NAME names a file."""

from __future__ import annotations

import os

from manouche.db.backends.base.creation import BaseDatabaseCreation

__all__ = ["DatabaseCreation"]


class DatabaseCreation(BaseDatabaseCreation):
    """In-memory test databases, or a file removed afterwards."""

    @staticmethod
    def is_in_memory_db(database_name: str) -> bool:
        """Whether ``database_name`` is an in-memory database."""
        from manouche.db.backends.sqlite3.base import is_memory_name

        return is_memory_name(database_name)

    def _get_test_db_name(self) -> str:
        test_name = self.connection.settings_dict["TEST"].get("NAME") or ":memory:"
        return str(test_name)

    def create_test_database_named(
        self, name: str, keepdb: bool = False, autoclobber: bool = True
    ) -> None:
        """Remove a stale test file unless keeping it; memory needs nothing."""
        if keepdb or self.is_in_memory_db(name):
            return
        if os.access(name, os.F_OK):
            os.remove(name)

    def destroy_test_database_named(self, name: str) -> None:
        """Remove the test database file (memory disappears on its own)."""
        if not self.is_in_memory_db(name) and os.access(name, os.F_OK):
            os.remove(name)

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        from manouche.db.backends._engines import dispose_engines

        self.connection.connection = None
        dispose_engines()
        self.destroy_test_database_named(test_database_name)

    def test_db_signature(self) -> tuple[str, ...]:
        """Memory databases are never shared between aliases."""
        name = self._get_test_db_name()
        if self.is_in_memory_db(name):
            return (str(self.connection.settings_dict["NAME"]), self.connection.alias)
        return (name,)
