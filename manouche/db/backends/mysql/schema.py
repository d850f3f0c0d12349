"""MariaDB's schema editor (no transactional DDL)."""

from __future__ import annotations

from manouche.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = ["DatabaseSchemaEditor"]


class DatabaseSchemaEditor(BaseDatabaseSchemaEditor):
    """Foreign keys to other tables are added once every table exists."""
