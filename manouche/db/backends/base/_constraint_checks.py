"""``connection.check_constraints()``: find rows whose foreign key points nowhere.

Foreign keys are created ``DEFERRABLE INITIALLY DEFERRED`` on PostgreSQL and
SQLite, so a transaction may hold dangling references until it commits;
``TestCase`` (whose transactions never commit) and the fixture loader call
``check_constraints`` to surface them early. MariaDB checks every row as it
is written unless checks were switched off (``constraint_checks_disabled``),
so there the rows are searched with one query per foreign key.

Each backend's wrapper mixes in the class that fits its database; the
checks run on the wrapper's own connection and transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.utils import IntegrityError

__all__ = [
    "PostgreSQLConstraintChecks",
    "QueryConstraintChecks",
    "SQLiteConstraintChecks",
    "dangling_key_message",
]


def dangling_key_message(
    table: str,
    pk: Any,
    column: str,
    value: Any,
    referenced_table: str,
    referenced_column: str,
) -> str:
    """Name the table, row, column and missing target of a dangling key."""
    return (
        f"The row in table '{table}' with primary key '{pk}' has an invalid "
        f"foreign key: {table}.{column} contains a value '{value}' that does "
        f"not have a corresponding value in {referenced_table}.{referenced_column}."
    )


class QueryConstraintChecks:
    """Search each foreign key's rows for values missing from their target."""

    introspection: Any
    ops: Any

    def check_constraints(self, table_names: Iterable[str] | None = None) -> None:
        """Raise IntegrityError on the first row whose foreign key points nowhere.

        ``table_names`` limits the search (every table when None).
        """
        introspection = self.introspection
        names = (
            introspection.table_names() if table_names is None else list(table_names)
        )
        with self.cursor() as cursor:  # type: ignore[attr-defined]  # wrapper method
            for table in names:
                pk = introspection.get_primary_key_column(cursor, table)
                relations = introspection.get_relations(cursor, table)
                for column, (target_column, target_table) in relations.items():
                    row = self._dangling_row(
                        cursor, table, pk, column, target_table, target_column
                    )
                    if row is not None:
                        raise IntegrityError(
                            dangling_key_message(
                                table,
                                row[0],
                                column,
                                row[1],
                                target_table,
                                target_column,
                            )
                        )

    def _dangling_row(
        self,
        cursor: Any,
        table: str,
        pk: str | None,
        column: str,
        target_table: str,
        target_column: str,
    ) -> tuple[Any, Any] | None:
        quote = self.ops.quote_name
        key = f"REFERRING.{quote(pk)}" if pk else "NULL"
        cursor.execute(
            f"SELECT {key}, REFERRING.{quote(column)} "
            f"FROM {quote(table)} AS REFERRING "
            f"LEFT JOIN {quote(target_table)} AS REFERRED "
            f"ON (REFERRING.{quote(column)} = REFERRED.{quote(target_column)}) "
            f"WHERE REFERRING.{quote(column)} IS NOT NULL "
            f"AND REFERRED.{quote(target_column)} IS NULL"
        )
        row = cursor.fetchone()
        return None if row is None else (row[0], row[1])


class PostgreSQLConstraintChecks:
    """Check the deferred keys now: ``SET CONSTRAINTS ALL IMMEDIATE``.

    PostgreSQL raises on the first violation; otherwise the constraints go
    back to DEFERRED for the rest of the transaction. ``table_names`` is accepted for
    Django's signature: PostgreSQL checks every pending constraint.
    """

    def check_constraints(self, table_names: Iterable[str] | None = None) -> None:
        """Run the pending foreign key checks of the open transaction now."""
        with self.cursor() as cursor:  # type: ignore[attr-defined]  # wrapper method
            # A violation raises here and leaves the transaction failed:
            # nothing more may run in it, so there is nothing to restore.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class SQLiteConstraintChecks:
    """``PRAGMA foreign_key_check``, reported with the row's key and column."""

    ops: Any

    def check_constraints(self, table_names: Iterable[str] | None = None) -> None:
        """Raise IntegrityError on the first row whose foreign key points nowhere.

        ``table_names`` limits the check (every table when None).
        """
        quote = self.ops.quote_name
        with self.cursor() as cursor:  # type: ignore[attr-defined]  # wrapper method
            if table_names is None:
                cursor.execute("PRAGMA foreign_key_check")
                violations = list(cursor.fetchall())
            else:
                violations = []
                for table in table_names:
                    cursor.execute(f"PRAGMA foreign_key_check({quote(table)})")
                    violations.extend(cursor.fetchall())
            for table, rowid, referenced_table, key_id in violations:
                raise IntegrityError(
                    self._violation_message(
                        cursor, table, rowid, referenced_table, key_id
                    )
                )

    def _violation_message(
        self, cursor: Any, table: str, rowid: Any, referenced_table: str, key_id: int
    ) -> str:
        quote = self.ops.quote_name
        cursor.execute(f"PRAGMA foreign_key_list({quote(table)})")
        column, referenced_column = "?", "?"
        for row in cursor.fetchall():
            # id, seq, table, from, to, on_update, on_delete, match
            if row[0] == key_id:
                column, referenced_column = row[3], row[4]
                break
        pk_columns = self._pk_columns(cursor, table)
        selected = ", ".join(quote(name) for name in [*pk_columns, column])
        cursor.execute(
            f"SELECT {selected} FROM {quote(table)} WHERE rowid = %s", [rowid]
        )
        found = cursor.fetchone()
        if found is None:  # pragma: no cover - the row was just reported
            pk, value = rowid, None
        else:
            pk = found[0] if len(pk_columns) == 1 else tuple(found[:-1]) or rowid
            value = found[-1]
        return dangling_key_message(
            table, pk, column, value, referenced_table, referenced_column
        )

    def _pk_columns(self, cursor: Any, table: str) -> list[str]:
        cursor.execute(f"PRAGMA table_info({self.ops.quote_name(table)})")
        ordered = sorted((row[5], row[1]) for row in cursor.fetchall() if row[5])
        return [name for _, name in ordered]
