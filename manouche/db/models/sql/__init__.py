"""The Query object and its compiler to SQLAlchemy Core."""

from __future__ import annotations

from manouche.db.models.sql.query import Query, RawQuery

__all__ = ["Query", "RawQuery"]
