"""SQLite SQL helpers: qmark parameters, DELETE-based flush."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.backends.base.operations import BaseDatabaseOperations

__all__ = ["DatabaseOperations", "convert_placeholders"]


def convert_placeholders(sql: str) -> str:
    """Turn ``%s`` placeholders into ``?`` and ``%%`` into ``%``."""
    if "%" not in sql:
        return sql
    out = []
    index = 0
    length = len(sql)
    while index < length:
        char = sql[index]
        if char == "%" and index + 1 < length:
            follower = sql[index + 1]
            if follower == "s":
                out.append("?")
                index += 2
                continue
            if follower == "%":
                out.append("%")
                index += 2
                continue
        out.append(char)
        index += 1
    return "".join(out)


class DatabaseOperations(BaseDatabaseOperations):
    """SQLite's quoting, placeholders and flush."""

    explain_prefix = "EXPLAIN QUERY PLAN"
    max_name_length_value = 1024

    def integer_field_range(self, internal_type: str) -> tuple[int, int]:
        """Any integer column stores 64-bit values: SQLite ignores declared sizes."""
        low, _high = super().integer_field_range(internal_type)
        return (0 if low == 0 else -(2**63), 2**63 - 1)

    def adapt_raw_query(self, sql: str, params: Any) -> tuple[str, Any]:
        """Use qmark placeholders; %(name)s with a mapping becomes :name."""
        if isinstance(params, dict):
            return _named(sql), params
        return convert_placeholders(sql), params

    def bulk_batch_size(self, fields: Any, objs: Any) -> int:
        """SQLite allows at most 999 variables (and 500 compound selects)."""
        if len(fields) == 1:
            return 500
        return super().bulk_batch_size(fields, objs)

    def sql_flush(
        self,
        style: Any,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """DELETE from each table; the sequence table too when resetting."""
        tables = list(tables)
        sql = [f"DELETE FROM {self.quote_name(table)}" for table in tables]
        if reset_sequences and tables:
            names = ", ".join("'" + t.replace("'", "''") + "'" for t in tables)
            sql.append(f'DELETE FROM "sqlite_sequence" WHERE "name" IN ({names})')
        return sql

    def sequence_reset_by_name_sql(
        self, style: Any, sequences: Iterable[dict[str, Any]]
    ) -> list[str]:
        """Forget AUTOINCREMENT counters; rowid keys restart after the largest.

        ``sqlite_sequence`` exists only once a table used AUTOINCREMENT.
        """
        tables = sorted({info["table"] for info in sequences})
        if not tables:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                "AND name = 'sqlite_sequence'"
            )
            if cursor.fetchone() is None:
                return []
        names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
        return [f'DELETE FROM "sqlite_sequence" WHERE "name" IN ({names})']

    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        """Flush with foreign keys off, so the order of tables does not matter."""
        checks_off = self.connection.constraint_checks_disabled()
        with checks_off, self.connection.cursor() as cursor:
            for sql in sql_list:
                try:
                    cursor.execute(sql)
                except Exception:
                    # The sequence table exists only once AUTOINCREMENT was used.
                    if "sqlite_sequence" not in sql:
                        raise


def _named(sql: str) -> str:
    import re

    return re.sub(r"%\((\w+)\)s", r":\1", sql).replace("%%", "%")
