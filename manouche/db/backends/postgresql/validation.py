"""PostgreSQL model checks (none beyond the base)."""

from __future__ import annotations

from manouche.db.backends.base.validation import BaseDatabaseValidation

__all__ = ["DatabaseValidation"]


class DatabaseValidation(BaseDatabaseValidation):
    """No PostgreSQL-specific checks."""
