"""SQLite's schema editor: foreign keys inline, no ALTER ... CONSTRAINT."""

from __future__ import annotations

from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor
from manouche.db.utils import NotSupportedError

__all__ = ["DatabaseSchemaEditor"]


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """SQLite declares every foreign key in CREATE TABLE."""

    inline_foreign_keys = True

    def _check_alter_constraints(self) -> None:
        raise NotSupportedError(
            "SQLite cannot add or drop a constraint on an existing table; "
            "recreate the table instead."
        )
