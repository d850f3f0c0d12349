"""MariaDB introspection (SQLAlchemy's inspector, MariaDB's key names)."""

from __future__ import annotations

from typing import Any

from manouche.db.backends.base.introspection import BaseDatabaseIntrospection

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """The primary key is named ``PRIMARY``, as MariaDB reports it."""

    def _read_primary_key(
        self, inspector: Any, table_name: str, result: dict[str, Any]
    ) -> None:
        super()._read_primary_key(inspector, table_name, result)
        if "__primary__" in result:
            result["PRIMARY"] = result.pop("__primary__")
