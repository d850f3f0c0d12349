"""MariaDB's schema editor (no transactional DDL).

A column changes through ``MODIFY`` with its whole new definition (type,
null, default, auto-increment and comment together); keys and indexes
have their own MariaDB spellings (``DROP FOREIGN KEY``, ``DROP PRIMARY
KEY``, ``DROP INDEX .. ON``, ``RENAME INDEX``).
"""

from __future__ import annotations

from typing import Any

from manouche.db.backends.base import _alter
from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = ["DatabaseSchemaEditor"]

_MODIFY_CHANGES = frozenset({"type", "null", "comment", "auto", "collation"})


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Foreign keys to other tables are added once every table exists."""

    separate_column_comments = False

    def _alter_column_sqls(
        self, model: Any, old_field: Any, new_field: Any, changes: set[str]
    ) -> list[str]:
        if changes & _MODIFY_CHANGES:
            definition, _ = self.column_sql(model, new_field)
            table = self.quote_name(model._meta.db_table)
            return [f"ALTER TABLE {table} MODIFY {definition}"]
        return _alter.standard_alter_column_sqls(
            self, model, old_field, new_field, changes & {"default"}
        )

    def _alter_referencing_column_sql(
        self, table: str, column: str, new_type: str
    ) -> str:
        null = True
        if not self.collect_sql:
            with self.connection.cursor() as cursor:
                for info in self.connection.introspection.get_table_description(
                    cursor, table
                ):
                    if info.name == column:
                        null = info.null_ok
        return (
            f"ALTER TABLE {self.quote_name(table)} MODIFY {self.quote_name(column)} "
            f"{new_type} {'NULL' if null else 'NOT NULL'}"
        )

    def _drop_fk_sql(self, table: str, name: str) -> str:
        return (
            f"ALTER TABLE {self.quote_name(table)} DROP FOREIGN KEY "
            f"{self.quote_name(name)}"
        )

    def _drop_pk_sql(self, table: str, name: str) -> str:
        # An AUTO_INCREMENT column must stay a key: make it plain in the
        # same statement.
        modify = ""
        if not self.collect_sql:
            with self.connection.cursor() as cursor:
                description = self.connection.introspection.get_table_description(
                    cursor, table
                )
            for info in description:
                if info.is_autofield:
                    column_type = info.sa_type.compile(dialect=self.connection.dialect)
                    modify = (
                        f" MODIFY {self.quote_name(info.name)} {column_type} NOT NULL,"
                    )
        return f"ALTER TABLE {self.quote_name(table)}{modify} DROP PRIMARY KEY"

    def _add_pk_sql(self, table: str, column: str) -> str:
        return (
            f"ALTER TABLE {self.quote_name(table)} ADD PRIMARY KEY "
            f"({self.quote_name(column)})"
        )

    def _drop_index_sql(self, table: str, name: str) -> str:
        return f"DROP INDEX {self.quote_name(name)} ON {self.quote_name(table)}"

    def _rename_index_sql(self, table: str, old_name: str, new_name: str) -> str:
        return (
            f"ALTER TABLE {self.quote_name(table)} RENAME INDEX "
            f"{self.quote_name(old_name)} TO {self.quote_name(new_name)}"
        )

    def _table_comment_sql(self, table: str, comment: str) -> str:
        value = self.quote_value(comment)
        return f"ALTER TABLE {self.quote_name(table)} COMMENT = {value}"
