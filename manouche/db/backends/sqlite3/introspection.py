"""SQLite introspection (SQLAlchemy's inspector, minus internal tables)."""

from __future__ import annotations

from typing import Any

from manouche.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    TableInfo,
)

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """Leave sqlite_* tables out of table lists."""

    def get_table_list(self, cursor: Any = None) -> list[TableInfo]:
        """Return user tables and views."""
        return [
            info
            for info in super().get_table_list(cursor)
            if not info.name.startswith("sqlite_")
        ]
