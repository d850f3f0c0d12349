"""The ``database`` fixture for the PostgreSQL extras (run on every backend)."""

from tests.db.conftest import _server_databases, database

__all__ = ["_server_databases", "database"]
