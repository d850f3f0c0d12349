"""SQLite's schema editor: native renames and drops, table rebuilds otherwise.

``ALTER TABLE`` on SQLite can rename a table or column and add or drop a
plain column; everything else (type, null, default, unique, primary key,
foreign key and constraint changes) rebuilds the table (``_rebuild``).
Foreign key enforcement is switched off for the editor's block, outside
its transaction, and the rows are checked before the block commits.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import sqlalchemy as sa

from manouche.db.backends.base import _alter
from manouche.db.backends.base._ddl import column_signature, fk_target
from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor
from manouche.db.backends.sqlite3._rebuild import Rebuild, remake_table
from manouche.db.utils import NotSupportedError

__all__ = ["DatabaseSchemaEditor"]


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """SQLite declares every foreign key in CREATE TABLE."""

    inline_foreign_keys = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._checks_disabled = False

    def __enter__(self) -> DatabaseSchemaEditor:
        if not self.collect_sql and not self.connection.in_atomic_block:
            self._checks_disabled = self.connection.disable_constraint_checking()
        super().__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            super().__exit__(exc_type, exc_value, traceback)
        finally:
            if self._checks_disabled:
                self._checks_disabled = False
                self.connection.enable_constraint_checking()

    def _before_commit(self) -> None:
        if self._checks_disabled and not self.collect_sql:
            self._check_foreign_keys()

    def _check_foreign_keys(self) -> None:
        self.connection.check_constraints()

    def _check_alter_constraints(self) -> None:
        raise NotSupportedError(
            "SQLite cannot add or drop a constraint on an existing table; "
            "recreate the table instead."
        )

    # Rebuilds.

    def _remake_table(self, model: Any, change: Rebuild | None = None) -> None:
        """Rebuild ``model``'s table with ``change`` applied."""
        if not self.collect_sql and not self._checks_disabled:
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys")
                enforced = bool(cursor.fetchone()[0])
            if enforced:
                raise NotSupportedError(
                    "The SQLite schema editor cannot rebuild a table while "
                    "foreign key constraint checks are enabled. Open the schema "
                    "editor outside transaction.atomic(): SQLite cannot disable "
                    "them in the middle of a multi-statement transaction."
                )
        remake_table(self, model, change or Rebuild())

    # Fields.

    def _add_field(self, model: Any, field: Any) -> None:
        if (
            field.primary_key
            or field.unique
            or not field.null
            or field.has_db_default()
            or self.effective_default(field) is not None
        ):
            self._remake_table(model, Rebuild(create_field=field))
            return
        table = model._meta.db_table
        definition, _ = self.column_sql(model, field)
        target = fk_target(field)
        if target is not None:
            definition = (
                f"{definition} REFERENCES {self.quote_name(target[0])} "
                f"({self.quote_name(target[1])}){self.deferrable_fk_sql}"
            )
        self.execute(f"ALTER TABLE {self.quote_name(table)} ADD COLUMN {definition}")
        if column_signature(field, self.connection.dialect)[5]:
            name = self._create_index_name(table, [field.column], "_idx")
            self.execute(self._create_index_sql(table, name, [field.column]))

    def _remove_field(self, model: Any, field: Any) -> None:
        if self._can_drop_column(model, field):
            self.execute(self._drop_column_sql(model._meta.db_table, field.column))
            return
        self._remake_table(model, Rebuild(delete_field=field))

    def _can_drop_column(self, model: Any, field: Any) -> bool:
        if not self.connection.features.can_alter_table_drop_column:
            return False
        if (
            field.primary_key
            or field.unique
            or field.db_index
            or fk_target(field) is not None
        ):
            return False
        table = self._table(model)
        for item in [*table.constraints, *table.indexes]:
            if isinstance(item, sa.PrimaryKeyConstraint):
                continue
            names = {column.name for column in getattr(item, "columns", [])}
            if field.column in names or _mentions(item, field.column):
                return False
        return True

    def _alter_field(
        self, model: Any, old_field: Any, new_field: Any, strict: bool
    ) -> None:
        table = model._meta.db_table
        if strict and not self._column_exists(table, old_field.column):
            raise ValueError(
                f"Found no column {old_field.column!r} in table {table!r} to alter."
            )
        changes = _alter.column_changes(self, old_field, new_field)
        changes.discard("comment")
        if not changes:
            return
        if changes == {"column"}:
            self.execute(
                self._rename_column_sql(table, old_field.column, new_field.column)
            )
            return
        self._remake_table(model, Rebuild(old_field=old_field, new_field=new_field))
        if new_field.primary_key and "type" in changes:
            self._remake_referencing_tables(new_field)

    def _remake_referencing_tables(self, new_field: Any) -> None:
        """Rebuild the tables whose keys point at a retyped primary key."""
        model = getattr(new_field, "model", None)
        related_objects = getattr(getattr(model, "_meta", None), "related_objects", [])
        seen: set[str] = set()
        for relation in related_objects:
            related = relation.related_model
            options = related._meta
            if relation.many_to_many or options.proxy or not options.managed:
                continue
            if options.db_table in seen or related is model:
                continue
            seen.add(options.db_table)
            self._remake_table(related)

    # Constraints.

    def add_constraint(self, model: Any, constraint: Any) -> None:
        """Add a constraint (unique and check constraints rebuild the table)."""
        built = (
            self._sa_constraint(model, constraint)
            if hasattr(constraint, "as_sa")
            else constraint
        )
        if isinstance(built, sa.Index) or not hasattr(constraint, "as_sa"):
            super().add_constraint(model, constraint)
            return
        change = Rebuild(drop_names={constraint.name}, add_constraints=[constraint])
        self._remake_table(model, change)

    def remove_constraint(self, model: Any, constraint: Any) -> None:
        """Drop a constraint (unique and check constraints rebuild the table)."""
        built = (
            self._sa_constraint(model, constraint)
            if hasattr(constraint, "as_sa")
            else constraint
        )
        if isinstance(built, sa.Index) or not hasattr(constraint, "as_sa"):
            super().remove_constraint(model, constraint)
            return
        self._remake_table(model, Rebuild(drop_names={constraint.name}))

    def alter_unique_together(
        self, model: Any, old_unique_together: Any, new_unique_together: Any
    ) -> None:
        """Rebuild the table with the new ``unique_together`` constraints."""
        olds = {tuple(fields) for fields in old_unique_together or ()}
        news = {tuple(fields) for fields in new_unique_together or ()}
        if olds == news:
            return
        present = {
            tuple(column.name for column in constraint.columns)
            for constraint in self._table(model).constraints
            if isinstance(constraint, sa.UniqueConstraint)
        }

        def columns(fields: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(model._meta.get_field(name).column for name in fields)

        change = Rebuild(
            drop_unique_columns=[columns(fields) for fields in olds - news],
            add_unique_columns=[
                columns(fields)
                for fields in sorted(news - olds)
                if columns(fields) not in present
            ],
        )
        self._remake_table(model, change)


def _mentions(item: Any, column: str) -> bool:
    text = str(getattr(item, "sqltext", "")) + " ".join(
        str(expression) for expression in getattr(item, "expressions", [])
    )
    return column in text
