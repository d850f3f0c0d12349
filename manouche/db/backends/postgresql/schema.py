"""PostgreSQL's schema editor: transactional DDL, DROP ... CASCADE."""

from __future__ import annotations

from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = ["DatabaseSchemaEditor"]


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Foreign keys to other tables are added once every table exists."""

    sql_delete_table_cascade = True
