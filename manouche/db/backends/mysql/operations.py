"""MariaDB SQL helpers: backtick quoting, format parameters, flush."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.backends.base.operations import BaseDatabaseOperations

__all__ = ["DatabaseOperations"]


class DatabaseOperations(BaseDatabaseOperations):
    """MariaDB's quoting, limits and flush."""

    explain_prefix = "EXPLAIN"
    max_name_length_value = 64

    def quote_name(self, name: str) -> str:
        """Quote with backticks (idempotent)."""
        if name.startswith("`") and name.endswith("`"):
            return name
        return "`" + name.replace("`", "``") + "`"

    def sql_flush(
        self,
        style: Any,
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        """Empty every table with foreign key checks off."""
        tables = list(tables)
        if not tables:
            return []
        sql = ["SET FOREIGN_KEY_CHECKS = 0"]
        verb = "TRUNCATE" if reset_sequences else "DELETE FROM"
        sql.extend(f"{verb} {self.quote_name(table)}" for table in tables)
        sql.append("SET FOREIGN_KEY_CHECKS = 1")
        return sql

    def sequence_reset_by_name_sql(
        self, style: Any, sequences: Iterable[dict[str, Any]]
    ) -> list[str]:
        """``AUTO_INCREMENT = 1``: MariaDB moves it past the largest key itself."""
        tables = sorted({info["table"] for info in sequences})
        return [
            f"ALTER TABLE {self.quote_name(table)} AUTO_INCREMENT = 1"
            for table in tables
        ]

    def execute_sql_flush(self, sql_list: Iterable[str]) -> None:
        """Run the flush outside a transaction (TRUNCATE commits implicitly)."""
        with self.connection.cursor() as cursor:
            for sql in sql_list:
                cursor.execute(sql)

    def explain_query_prefix(self, format: str | None = None, **options: Any) -> str:
        """EXPLAIN, ANALYZE or EXPLAIN FORMAT=JSON."""
        if not self.connection.features.supports_explaining_query_execution:
            super().explain_query_prefix()
        if options.pop("analyze", False):
            prefix = "ANALYZE"
        else:
            prefix = "EXPLAIN"
        if options:
            raise ValueError(f"Unknown options: {', '.join(sorted(options))}")
        if format:
            normalized = self.check_explain_format(format)
            if normalized != "TEXT":
                prefix += f" FORMAT={normalized}"
        return prefix
