"""PostgreSQL SQL helpers: pyformat parameters, TRUNCATE-based flush."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.backends.base.operations import BaseDatabaseOperations

__all__ = ["DatabaseOperations"]

_AUTO_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})


def _with_auto_through(model_list: Iterable[Any]) -> list[Any]:
    """The concrete models and their auto-created M2M models, once each."""
    seen: dict[Any, None] = {}
    for model in model_list:
        opts = model._meta
        if opts.proxy or not getattr(opts, "managed", True):
            continue
        seen.setdefault(model, None)
        for field in opts.local_many_to_many:
            through = getattr(field.remote_field, "through", None)
            if (
                through is not None
                and not isinstance(through, str)
                and through._meta.auto_created
            ):
                seen.setdefault(through, None)
    return list(seen)


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

    def _serial_sequence(self, table: str, column: str) -> str:
        """The expression naming the sequence behind ``table.column``."""
        from manouche.db.backends.base._ddl import quote_value

        quoted_table = quote_value(self.quote_name(table), "postgresql")
        quoted_column = quote_value(column, "postgresql")
        return f"pg_get_serial_sequence({quoted_table}, {quoted_column})"

    def sequence_reset_by_name_sql(
        self, style: Any, sequences: Iterable[dict[str, Any]]
    ) -> list[str]:
        """``setval(.., 1, false)``: the next key handed out is 1."""
        return [
            f"SELECT setval({self._serial_sequence(info['table'], info['column'])}, "
            "1, false)"
            for info in sequences
        ]

    def sequence_reset_sql(self, style: Any, model_list: Iterable[Any]) -> list[str]:
        """Move each auto key's sequence past the largest key in its table.

        Auto-created M2M tables are included: their rows may be loaded
        with explicit keys too.
        """
        sql: list[str] = []
        for model in _with_auto_through(model_list):
            opts = model._meta
            for field in opts.local_concrete_fields:
                if field.get_internal_type() not in _AUTO_TYPES:
                    continue
                column = self.quote_name(field.column)
                sequence = self._serial_sequence(opts.db_table, field.column)
                sql.append(
                    f"SELECT setval({sequence}, coalesce(max({column}), 1), "
                    f"max({column}) IS NOT NULL) FROM {self.quote_name(opts.db_table)}"
                )
        return sql

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
