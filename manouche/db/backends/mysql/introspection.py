"""MariaDB introspection (SQLAlchemy's inspector)."""

from __future__ import annotations

from manouche.db.backends.base.introspection import BaseDatabaseIntrospection

__all__ = ["DatabaseIntrospection"]


class DatabaseIntrospection(BaseDatabaseIntrospection):
    """The base inspector covers MariaDB."""
