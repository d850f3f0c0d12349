"""Introspection of the live database through SQLAlchemy's inspector."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["BaseDatabaseIntrospection", "TableInfo"]


class TableInfo:
    """A table or view name, as ``get_table_list`` returns."""

    __slots__ = ("name", "type")

    def __init__(self, name: str, type: str) -> None:
        self.name = name
        self.type = type

    def __repr__(self) -> str:
        return f"TableInfo(name={self.name!r}, type={self.type!r})"


class BaseDatabaseIntrospection:
    """Read tables, columns, constraints and sequences of the database."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def _inspector(self) -> Any:
        return sa.inspect(self.connection._sa_connection())

    def get_table_list(self, cursor: Any = None) -> list[TableInfo]:
        """Return the tables ("t") and views ("v") of the database."""
        with self.connection.wrap_database_errors:
            inspector = self._inspector()
            tables = [TableInfo(name, "t") for name in inspector.get_table_names()]
            views = [TableInfo(name, "v") for name in inspector.get_view_names()]
        return tables + views

    def table_names(self, cursor: Any = None, include_views: bool = False) -> list[str]:
        """Return the sorted table names (and view names if asked)."""
        return sorted(
            info.name
            for info in self.get_table_list(cursor)
            if include_views or info.type == "t"
        )

    def get_table_description(self, cursor: Any, table_name: str) -> list[Any]:
        """Return SQLAlchemy's column descriptions for ``table_name``."""
        with self.connection.wrap_database_errors:
            return list(self._inspector().get_columns(table_name))

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, Any]:
        """Return the constraints and indexes of ``table_name`` by name."""
        result: dict[str, Any] = {}
        with self.connection.wrap_database_errors:
            inspector = self._inspector()
            pk = inspector.get_pk_constraint(table_name)
            if pk.get("constrained_columns"):
                result[pk.get("name") or "__primary__"] = {
                    "columns": pk["constrained_columns"],
                    "primary_key": True,
                    "unique": True,
                    "foreign_key": None,
                    "check": False,
                    "index": True,
                }
            for fk in inspector.get_foreign_keys(table_name):
                result[fk.get("name") or f"fk_{len(result)}"] = {
                    "columns": fk["constrained_columns"],
                    "primary_key": False,
                    "unique": False,
                    "foreign_key": (fk["referred_table"], fk["referred_columns"][0]),
                    "check": False,
                    "index": False,
                }
            for unique in inspector.get_unique_constraints(table_name):
                result[unique.get("name") or f"uniq_{len(result)}"] = {
                    "columns": unique["column_names"],
                    "primary_key": False,
                    "unique": True,
                    "foreign_key": None,
                    "check": False,
                    "index": False,
                }
            for index in inspector.get_indexes(table_name):
                result[index.get("name") or f"idx_{len(result)}"] = {
                    "columns": index["column_names"],
                    "primary_key": False,
                    "unique": bool(index.get("unique")),
                    "foreign_key": None,
                    "check": False,
                    "index": True,
                }
            try:
                checks = inspector.get_check_constraints(table_name)
            except NotImplementedError:
                checks = []
            for check in checks:
                result[check.get("name") or f"check_{len(result)}"] = {
                    "columns": [],
                    "primary_key": False,
                    "unique": False,
                    "foreign_key": None,
                    "check": True,
                    "index": False,
                }
        return result

    def manouche_table_names(
        self, only_existing: bool = False, include_views: bool = True
    ) -> list[str]:
        """Return the tables of installed models (only existing ones if asked)."""
        from manouche.apps import apps

        tables: set[str] = set()
        get_models = getattr(apps, "get_models", None)
        if get_models is None:
            return []
        for model in get_models(include_auto_created=True):
            meta = model._meta
            if not getattr(meta, "managed", True) or getattr(meta, "proxy", False):
                continue
            tables.add(meta.db_table)
        names = sorted(tables)
        if only_existing:
            existing = set(self.table_names(include_views=include_views))
            names = [name for name in names if name in existing]
        return names

    django_table_names = manouche_table_names

    def sequence_list(self) -> list[dict[str, Any]]:
        """Return the sequences behind auto-increment columns (none here)."""
        return []
