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
            if format.upper() not in {"TEXT", "JSON", "YAML", "XML"}:
                raise ValueError(f"Unknown format {format!r}.")
            extra.append(f"FORMAT {format.upper()}")
        for name, value in sorted(options.items()):
            if name.lower() not in allowed:
                raise ValueError(f"Unknown options: {name}")
            extra.append(f"{name.upper()} {'true' if value else 'false'}")
        if extra:
            return f"EXPLAIN ({', '.join(extra)})"
        return "EXPLAIN"
