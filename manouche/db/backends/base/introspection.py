"""Introspection of the live database, with Django's method names.

SQLAlchemy's inspector does the reading; this module reshapes its answers
into what migrations, ``inspectdb`` and the schema editor expect
(``FieldInfo`` rows, ``get_constraints`` dicts, relations, sequences).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import sqlalchemy as sa

__all__ = ["BaseDatabaseIntrospection", "FieldInfo", "TableInfo"]

#: One column of ``get_table_description`` (Django's fields, plus extras).
FieldInfo = namedtuple(
    "FieldInfo",
    [
        "name",
        "type_code",
        "display_size",
        "internal_size",
        "precision",
        "scale",
        "null_ok",
        "default",
        "collation",
        "is_autofield",
        "comment",
        "sa_type",
    ],
)


class TableInfo:
    """A table or view name, as ``get_table_list`` returns."""

    __slots__ = ("comment", "name", "type")

    def __init__(self, name: str, type: str, comment: str | None = None) -> None:
        self.name = name
        self.type = type
        self.comment = comment

    def __repr__(self) -> str:
        return f"TableInfo(name={self.name!r}, type={self.type!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TableInfo):
            return NotImplemented
        return (self.name, self.type) == (other.name, other.type)

    def __hash__(self) -> int:
        return hash((self.name, self.type))


class BaseDatabaseIntrospection:
    """Read tables, columns, constraints and sequences of the database."""

    #: Column type name (``FieldInfo.type_code``) -> model field class name.
    data_types_reverse: dict[str, str] = {
        "BIGINT": "BigIntegerField",
        "BINARY": "BinaryField",
        "BLOB": "BinaryField",
        "BOOLEAN": "BooleanField",
        "BYTEA": "BinaryField",
        "CHAR": "CharField",
        "DATE": "DateField",
        "DATETIME": "DateTimeField",
        "DECIMAL": "DecimalField",
        "DOUBLE": "FloatField",
        "DOUBLE_PRECISION": "FloatField",
        "FLOAT": "FloatField",
        "INET": "GenericIPAddressField",
        "INTEGER": "IntegerField",
        "INTERVAL": "DurationField",
        "JSON": "JSONField",
        "JSONB": "JSONField",
        "LONGBLOB": "BinaryField",
        "LONGTEXT": "TextField",
        "MEDIUMTEXT": "TextField",
        "NUMERIC": "DecimalField",
        "REAL": "FloatField",
        "SMALLINT": "SmallIntegerField",
        "TEXT": "TextField",
        "TIME": "TimeField",
        "TIMESTAMP": "DateTimeField",
        "TINYINT": "SmallIntegerField",
        "UUID": "UUIDField",
        "VARBINARY": "BinaryField",
        "VARCHAR": "CharField",
    }

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def _inspector(self) -> Any:
        return sa.inspect(self.connection._sa_connection())

    def identifier_converter(self, name: str) -> str:
        """Return ``name`` as the database reports identifiers (unchanged here)."""
        return name

    def get_field_type(self, data_type: Any, description: Any) -> str:
        """Return the model field class name for a column (``inspectdb``)."""
        field_type = self.data_types_reverse.get(str(data_type).upper(), "TextField")
        if getattr(description, "is_autofield", False):
            return {
                "IntegerField": "AutoField",
                "BigIntegerField": "BigAutoField",
                "SmallIntegerField": "SmallAutoField",
            }.get(field_type, field_type)
        return field_type

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
        """Return a ``FieldInfo`` per column of ``table_name``, in table order."""
        with self.connection.wrap_database_errors:
            inspector = self._inspector()
            columns = inspector.get_columns(table_name)
            pk = inspector.get_pk_constraint(table_name).get("constrained_columns", [])
        return [self._field_info(column, pk) for column in columns]

    def _field_info(self, column: dict[str, Any], pk: list[str]) -> Any:
        type_ = column["type"]
        auto = self._is_autofield(column, pk)
        return FieldInfo(
            name=column["name"],
            type_code=type(type_).__name__.upper(),
            display_size=None,
            internal_size=getattr(type_, "length", None),
            precision=getattr(type_, "precision", None),
            scale=getattr(type_, "scale", None),
            null_ok=bool(column.get("nullable", True)),
            default=None if auto else column.get("default"),
            collation=getattr(type_, "collation", None),
            is_autofield=auto,
            comment=column.get("comment"),
            sa_type=type_,
        )

    def _is_autofield(self, column: dict[str, Any], pk: list[str]) -> bool:
        return bool(column.get("autoincrement") is True and pk == [column["name"]])

    def get_relations(self, cursor: Any, table_name: str) -> dict[str, tuple[str, str]]:
        """Return ``{column: (referenced_column, referenced_table)}``."""
        with self.connection.wrap_database_errors:
            fks = self._inspector().get_foreign_keys(table_name)
        return {
            fk["constrained_columns"][0]: (
                fk["referred_columns"][0],
                fk["referred_table"],
            )
            for fk in fks
            if len(fk["constrained_columns"]) == 1
        }

    def get_primary_key_columns(self, cursor: Any, table_name: str) -> list[str] | None:
        """Return the primary key's columns, or None without one."""
        with self.connection.wrap_database_errors:
            pk = self._inspector().get_pk_constraint(table_name)
        columns = list(pk.get("constrained_columns") or [])
        return columns or None

    def get_primary_key_column(self, cursor: Any, table_name: str) -> str | None:
        """Return the primary key's (first) column, or None."""
        columns = self.get_primary_key_columns(cursor, table_name)
        return columns[0] if columns else None

    def get_sequences(
        self, cursor: Any, table_name: str, table_fields: Any = ()
    ) -> list[dict[str, Any]]:
        """Return ``[{"table", "column"(, "name")}]`` for auto-increment columns."""
        return [
            {"table": table_name, "column": info.name}
            for info in self.get_table_description(cursor, table_name)
            if info.is_autofield
        ]

    def get_constraints(self, cursor: Any, table_name: str) -> dict[str, Any]:
        """Return the constraints and indexes of ``table_name`` by name.

        Each value has ``columns``, ``primary_key``, ``unique``,
        ``foreign_key`` (``(table, column)`` or None), ``check``, ``index``,
        ``type``, ``orders`` and ``definition``.
        """
        result: dict[str, Any] = {}
        with self.connection.wrap_database_errors:
            inspector = self._inspector()
            self._read_primary_key(inspector, table_name, result)
            self._read_foreign_keys(inspector, table_name, result)
            for unique in inspector.get_unique_constraints(table_name):
                name = unique.get("name") or self._unnamed(result)
                _merge(result, name, _entry(unique["column_names"], unique=True))
            self._read_indexes(inspector, table_name, result)
            try:
                checks = inspector.get_check_constraints(table_name)
            except NotImplementedError:
                checks = []
            for check in checks:
                name = check.get("name") or self._unnamed(result)
                entry = _entry([], check=True)
                entry["definition"] = check.get("sqltext")
                _merge(result, name, entry)
        return result

    @staticmethod
    def _unnamed(result: dict[str, Any]) -> str:
        return f"__unnamed_constraint_{len(result) + 1}__"

    def _read_primary_key(
        self, inspector: Any, table_name: str, result: dict[str, Any]
    ) -> None:
        pk = inspector.get_pk_constraint(table_name)
        if pk.get("constrained_columns"):
            name = pk.get("name") or "__primary__"
            result[name] = _entry(
                pk["constrained_columns"], primary_key=True, unique=True, index=True
            )

    def _read_foreign_keys(
        self, inspector: Any, table_name: str, result: dict[str, Any]
    ) -> None:
        for fk in inspector.get_foreign_keys(table_name):
            name = fk.get("name") or self._unnamed(result)
            entry = _entry(fk["constrained_columns"])
            entry["foreign_key"] = (fk["referred_table"], fk["referred_columns"][0])
            _merge(result, name, entry)

    def _read_indexes(
        self, inspector: Any, table_name: str, result: dict[str, Any]
    ) -> None:
        for index in inspector.get_indexes(table_name):
            if index.get("duplicates_constraint"):
                continue
            columns = [c for c in index.get("column_names") or [] if c is not None]
            expressions = index.get("expressions") or []
            sorting = index.get("column_sorting") or {}
            entry = _entry(
                columns if len(columns) == len(expressions) or not expressions else [],
                unique=bool(index.get("unique")),
                index=True,
            )
            entry["type"] = "idx"
            entry["orders"] = [
                "DESC" if "desc" in sorting.get(column, ()) else "ASC"
                for column in entry["columns"]
            ]
            name = index.get("name") or self._unnamed(result)
            _merge(result, name, entry)

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
        """Return the sequences behind auto-increment columns of installed models."""
        from manouche.apps import apps

        sequences: list[dict[str, Any]] = []
        existing = set(self.table_names())
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if not getattr(meta, "managed", True) or getattr(meta, "proxy", False):
                continue
            if meta.db_table not in existing:
                continue
            with self.connection.cursor() as cursor:
                sequences.extend(self.get_sequences(cursor, meta.db_table))
        return sequences


def _entry(
    columns: list[str],
    *,
    primary_key: bool = False,
    unique: bool = False,
    check: bool = False,
    index: bool = False,
) -> dict[str, Any]:
    return {
        "columns": list(columns),
        "primary_key": primary_key,
        "unique": unique,
        "foreign_key": None,
        "check": check,
        "index": index,
        "type": None,
        "orders": [],
        "definition": None,
    }


def _merge(result: dict[str, Any], name: str, entry: dict[str, Any]) -> None:
    """Add ``entry`` or fold it into a same-named one (a MariaDB key's index)."""
    current = result.get(name)
    if current is None:
        result[name] = entry
        return
    for key in ("primary_key", "unique", "check", "index"):
        current[key] = current[key] or entry[key]
    for key in ("foreign_key", "type", "definition"):
        current[key] = current[key] or entry[key]
    if entry["orders"] and not current["orders"]:
        current["orders"] = entry["orders"]
