"""PostgreSQL SQL helpers: pyformat parameters, TRUNCATE-based flush."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.backends.base.operations import BaseDatabaseOperations

__all__ = ["DatabaseOperations"]


class DatabaseOperations(BaseDatabaseOperations):
    """PostgreSQL's quoting, limits and flush."""

    explain_prefix = "EXPLAIN"
    max_name_length_value = 63

    def sql_flush(
        self,
        style: Any,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """One TRUNCATE of every table (RESTART IDENTITY, CASCADE on request)."""
        tables = list(tables)
        if not tables:
            return []
        names = ", ".join(self.quote_name(table) for table in tables)
        sql = f"TRUNCATE {names}"
        if reset_sequences:
            sql += " RESTART IDENTITY"
        if allow_cascade:
            sql += " CASCADE"
        return [sql]

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """EXPLAIN with PostgreSQL's options (ANALYZE, VERBOSE, FORMAT...)."""
        if not self.connection.features.supports_explaining_query_execution:
            super().explain_query_prefix()
        allowed = {
            "analyze",
            "buffers",
            "costs",
            "generic_plan",
            "memory",
            "serialize",
            "settings",
            "summary",
            "timing",
            "verbose",
            "wal",
        }
        extra = []
        if format:
            extra.append(f"FORMAT {self.check_explain_format(format)}")
        for name, value in sorted(options.items()):
            if name.lower() not in allowed:
                unknown = sorted(n for n in options if n.lower() not in allowed)
                raise ValueError(f"Unknown options: {', '.join(unknown)}")
            extra.append(f"{name.upper()} {'true' if value else 'false'}")
        if extra:
            return f"EXPLAIN ({', '.join(extra)})"
        return "EXPLAIN"
