"""The SQL text of single ALTER statements, which backends adjust.

Each ``_..._sql`` method returns one statement with quoted identifiers and
literal values; the schema editor decides when to run them. Backends
override the ones their dialect spells differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from manouche.db.backends.base import _ddl

__all__ = ["SchemaStatements"]


class SchemaStatements:
    """Build identifiers, literals and ALTER statements for one connection."""

    connection: Any
    sql_delete_table_cascade = False
    #: Whether column comments need their own statement (not in the column).
    separate_column_comments = True

    @property
    def sql_delete_table(self) -> str:
        """``DROP TABLE %(table)s`` template (Django's name; CASCADE where any)."""
        return "DROP TABLE %(table)s" + (
            " CASCADE" if self.sql_delete_table_cascade else ""
        )

    def quote_name(self, name: str) -> str:
        """Quote an identifier for this database."""
        return str(self.connection.ops.quote_name(name))

    def quote_value(self, value: Any) -> str:
        """Return ``value`` as a safe SQL literal (DDL takes no parameters)."""
        return _ddl.quote_value(value, self.connection.vendor)

    def _create_index_name(
        self, table_name: str, column_names: Sequence[str], suffix: str = ""
    ) -> str:
        """Build a unique, length-limited name ``table_cols_hash{suffix}``."""
        digest = hashlib.md5(
            "|".join([table_name, *column_names]).encode(), usedforsecurity=False
        ).hexdigest()[:8]
        limit = int(self.connection.ops.max_name_length() or 200)
        name = f"{table_name}_{'_'.join(column_names)}_{digest}{suffix}"
        if len(name) <= limit:
            return name
        room = max(limit - len(digest) - len(suffix) - 1, 1)
        head = f"{table_name}_{'_'.join(column_names)}"[:room]
        return f"{head}_{digest}{suffix}"

    def _table_comment_sql(self, table: str, comment: str) -> str:
        return (
            f"COMMENT ON TABLE {self.quote_name(table)} IS {self.quote_value(comment)}"
        )

    def _rename_index_sql(self, table: str, old_name: str, new_name: str) -> str:
        old, new = self.quote_name(old_name), self.quote_name(new_name)
        return f"ALTER INDEX {old} RENAME TO {new}"

    def _create_index_sql(
        self, table: str, name: str, columns: Sequence[str], unique: bool = False
    ) -> str:
        quoted = ", ".join(self.quote_name(column) for column in columns)
        kind = "UNIQUE INDEX" if unique else "INDEX"
        return (
            f"CREATE {kind} {self.quote_name(name)} ON {self.quote_name(table)} "
            f"({quoted})"
        )

    def _drop_index_sql(self, table: str, name: str) -> str:
        return f"DROP INDEX {self.quote_name(name)}"

    def _add_unique_sql(self, table: str, name: str, columns: Sequence[str]) -> str:
        quoted = ", ".join(self.quote_name(column) for column in columns)
        return (
            f"ALTER TABLE {self.quote_name(table)} ADD CONSTRAINT "
            f"{self.quote_name(name)} UNIQUE ({quoted})"
        )

    def _alter_column_type_sql(self, table: str, field: Any) -> str:
        new_type = _ddl.compile_type(field, self.connection.dialect)
        return (
            f"ALTER TABLE {self.quote_name(table)} ALTER COLUMN "
            f"{self.quote_name(field.column)} TYPE {new_type}"
        )

    def _alter_referencing_column_sql(
        self, table: str, column: str, new_type: str
    ) -> str:
        return (
            f"ALTER TABLE {self.quote_name(table)} ALTER COLUMN "
            f"{self.quote_name(column)} TYPE {new_type}"
        )

    def _rename_column_sql(self, table: str, old_column: str, new_column: str) -> str:
        return (
            f"ALTER TABLE {self.quote_name(table)} RENAME COLUMN "
            f"{self.quote_name(old_column)} TO {self.quote_name(new_column)}"
        )

    def _drop_column_sql(self, table: str, column: str) -> str:
        cascade = " CASCADE" if self.sql_delete_table_cascade else ""
        return (
            f"ALTER TABLE {self.quote_name(table)} DROP COLUMN "
            f"{self.quote_name(column)}{cascade}"
        )

    def _column_comment_sql(self, table: str, column: str, comment: str | None) -> str:
        value = self.quote_value(comment) if comment else "NULL"
        return (
            f"COMMENT ON COLUMN {self.quote_name(table)}.{self.quote_name(column)} "
            f"IS {value}"
        )

    def _drop_fk_sql(self, table: str, name: str) -> str:
        return self._drop_constraint_sql(table, name)

    @property
    def deferrable_fk_sql(self) -> str:
        """The clause that defers a foreign key's check to commit, or "".

        Foreign keys are created ``DEFERRABLE INITIALLY DEFERRED`` where the
        database can defer them, so a transaction may insert a row before
        the row it points at (fixtures, test set-up), as in Django.
        """
        if self.connection.features.can_defer_constraint_checks:
            return " DEFERRABLE INITIALLY DEFERRED"
        return ""

    def _add_fk_sql(
        self, table: str, column: str, to_table: str, to_column: str
    ) -> str:
        name = self._create_index_name(table, [column], f"_fk_{to_table}_{to_column}")
        return (
            f"ALTER TABLE {self.quote_name(table)} ADD CONSTRAINT "
            f"{self.quote_name(name)} FOREIGN KEY ({self.quote_name(column)}) "
            f"REFERENCES {self.quote_name(to_table)} ({self.quote_name(to_column)})"
            f"{self.deferrable_fk_sql}"
        )

    def _drop_constraint_sql(self, table: str, name: str) -> str:
        quoted = self.quote_name(name)
        return f"ALTER TABLE {self.quote_name(table)} DROP CONSTRAINT {quoted}"

    def _drop_pk_sql(self, table: str, name: str) -> str:
        return self._drop_constraint_sql(table, name)

    def _add_pk_sql(self, table: str, column: str) -> str:
        name = self._create_index_name(table, [column], "_pk")
        return (
            f"ALTER TABLE {self.quote_name(table)} ADD CONSTRAINT "
            f"{self.quote_name(name)} PRIMARY KEY ({self.quote_name(column)})"
        )
