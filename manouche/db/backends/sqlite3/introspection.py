"""SQLite introspection (SQLAlchemy's inspector, minus internal tables)."""

from __future__ import annotations

from typing import Any

from manouche.db.backends.base.introspection import (
    BaseDatabaseIntrospection,
    TableInfo,
)

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """Leave sqlite_* tables out; ``INTEGER PRIMARY KEY`` is the auto key."""

    def get_table_list(self, cursor: Any = None) -> list[TableInfo]:
        """Return user tables and views."""
        return [
            info
            for info in super().get_table_list(cursor)
            if not info.name.startswith("sqlite_")
        ]

    def _is_autofield(self, column: dict[str, Any], pk: list[str]) -> bool:
        return pk == [column["name"]] and type(column["type"]).__name__ == "INTEGER"

    def _read_indexes(
        self, inspector: Any, table_name: str, result: dict[str, Any]
    ) -> None:
        super()._read_indexes(inspector, table_name, result)
        # The inspector does not report sort orders on SQLite.
        for name, info in result.items():
            if info.get("type") != "idx" or name.startswith("__unnamed"):
                continue
            connection = inspector.bind
            quoted = self.connection.ops.quote_name(name)
            found = connection.exec_driver_sql(f"PRAGMA index_xinfo({quoted})")
            orders = {row[2]: "DESC" if row[3] else "ASC" for row in found if row[5]}
            info["orders"] = [orders.get(column, "ASC") for column in info["columns"]]
