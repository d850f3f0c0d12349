"""PostgreSQL's schema editor: transactional DDL, casts, serial sequences.

Type changes cast the existing values (``USING col::type``); a column that
becomes or stops being auto-incrementing gains or loses its sequence; a
renamed table takes its ``<table>_<column>_seq`` sequences along.
"""

from __future__ import annotations

import re
from typing import Any

from manouche.db.backends.base import _alter
from manouche.db.backends.base._ddl import compile_type, is_auto_field
from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = ["DatabaseSchemaEditor"]

#: A type's modifiers: the ``(50)`` of ``VARCHAR(50)``, ``(10, 2)`` of NUMERIC.
_MODIFIERS = re.compile(r"\([^)]*\)")


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Foreign keys to other tables are added once every table exists."""

    sql_delete_table_cascade = True

    def add_index(self, model: Any, index: Any, concurrently: bool = False) -> None:
        """Create ``index`` (``CREATE INDEX CONCURRENTLY`` if asked)."""
        if not concurrently:
            super().add_index(model, index)
            return
        built = self._detached_sa(model, index) if hasattr(index, "as_sa") else index
        built.dialect_kwargs["postgresql_concurrently"] = True
        super().add_index(model, built)

    def remove_index(self, model: Any, index: Any, concurrently: bool = False) -> None:
        """Drop ``index`` (``DROP INDEX CONCURRENTLY`` if asked)."""
        if not concurrently:
            super().remove_index(model, index)
            return
        self.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {self.quote_name(index.name)}")

    def _alter_column_type_sql(self, table: str, field: Any) -> str:
        new_type = compile_type(field, self.connection.dialect)
        column = self.quote_name(field.column)
        # The cast drops the type's modifiers: an explicit cast to varchar(50)
        # would silently truncate longer values, whereas the assignment to
        # the column's new type refuses them.
        base_type = _MODIFIERS.sub("", new_type.split(" COLLATE ")[0])
        return (
            f"ALTER TABLE {self.quote_name(table)} ALTER COLUMN {column} "
            f"TYPE {new_type} USING {column}::{base_type}"
        )

    def _alter_referencing_column_sql(
        self, table: str, column: str, new_type: str
    ) -> str:
        quoted = self.quote_name(column)
        return (
            f"ALTER TABLE {self.quote_name(table)} ALTER COLUMN {quoted} "
            f"TYPE {new_type} USING {quoted}::{new_type}"
        )

    def _alter_column_sqls(
        self, model: Any, old_field: Any, new_field: Any, changes: set[str]
    ) -> list[str]:
        statements = _alter.standard_alter_column_sqls(
            self, model, old_field, new_field, changes
        )
        table = model._meta.db_table
        if "auto" in changes and is_auto_field(new_field):
            statements += self._start_sequence_sqls(table, new_field)
        elif "auto" in changes:
            statements += self._drop_sequence_sqls(table, old_field)
        elif "type" in changes and is_auto_field(new_field):
            sequence = self._sequence_name(table, old_field.column)
            new_type = compile_type(new_field, self.connection.dialect)
            statements.append(
                f"ALTER SEQUENCE {self.quote_name(sequence)} AS {new_type}"
            )
        return statements

    def _start_sequence_sqls(self, table: str, field: Any) -> list[str]:
        sequence = self.quote_name(f"{table}_{field.column}_seq")
        quoted_table = self.quote_name(table)
        column = self.quote_name(field.column)
        literal = self.quote_value(f"{table}_{field.column}_seq")
        return [
            f"CREATE SEQUENCE IF NOT EXISTS {sequence} AS "
            f"{compile_type(field, self.connection.dialect)}",
            f"ALTER TABLE {quoted_table} ALTER COLUMN {column} "
            f"SET DEFAULT nextval({literal})",
            f"ALTER SEQUENCE {sequence} OWNED BY {quoted_table}.{column}",
            f"SELECT setval({literal}, coalesce(max({column}), 0) + 1, false) "
            f"FROM {quoted_table}",
        ]

    def _drop_sequence_sqls(self, table: str, field: Any) -> list[str]:
        sequence = self._sequence_name(table, field.column)
        prefix = (
            f"ALTER TABLE {self.quote_name(table)} ALTER COLUMN "
            f"{self.quote_name(field.column)}"
        )
        return [
            f"{prefix} DROP DEFAULT",
            f"{prefix} DROP IDENTITY IF EXISTS",
            f"DROP SEQUENCE IF EXISTS {self.quote_name(sequence)}",
        ]

    def _sequence_name(self, table: str, column: str) -> str:
        """Return the sequence behind ``table.column`` (by convention if unknown)."""
        if not self.collect_sql:
            with self.connection.cursor() as cursor:
                for info in self.connection.introspection.get_sequences(cursor, table):
                    if info["column"] == column and info.get("name"):
                        return str(info["name"])
        return f"{table}_{column}_seq"

    def alter_db_table(self, model: Any, old_db_table: str, new_db_table: str) -> None:
        """Rename the table and the ``<table>_<column>_seq`` sequences it owns."""
        if old_db_table == new_db_table:
            return
        sequences: list[dict[str, Any]] = []
        if self.collect_sql:
            auto = getattr(model._meta, "auto_field", None)
            if auto is not None:
                sequences = [
                    {"column": auto.column, "name": f"{old_db_table}_{auto.column}_seq"}
                ]
        else:
            with self.connection.cursor() as cursor:
                sequences = self.connection.introspection.get_sequences(
                    cursor, old_db_table
                )
        super().alter_db_table(model, old_db_table, new_db_table)
        for info in sequences:
            if info.get("name") != f"{old_db_table}_{info['column']}_seq":
                continue
            new_name = f"{new_db_table}_{info['column']}_seq"
            self.execute(
                f"ALTER SEQUENCE {self.quote_name(info['name'])} RENAME TO "
                f"{self.quote_name(new_name)}"
            )
