"""Database chores around loading fixtures: FK checks and sequences.

Fixtures may name rows before the rows they point at; foreign-key checks are
relaxed for the load (deferred on SQLite and for PostgreSQL's deferrable
keys, switched off on MariaDB) and every loaded table is checked for dangling
keys before the transaction commits. PostgreSQL's other keys are checked as
rows arrive, so loaddata writes the rows that are pointed at first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from manouche.db import IntegrityError

__all__ = ["check_constraints", "relaxed_constraints", "reset_sequences"]


@contextlib.contextmanager
def relaxed_constraints(connection: Any) -> Iterator[None]:
    """Let rows refer to rows written later in the same (open) transaction."""
    vendor = connection.vendor
    if vendor == "sqlite":
        with connection.cursor() as cursor:
            # Applies to the current transaction only; resets at its end.
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        yield
        return
    if vendor == "mysql":
        with connection.constraint_checks_disabled():
            yield
        return
    if vendor == "postgresql":
        # Only keys declared DEFERRABLE wait; the others are checked per row.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield


def _foreign_keys(model: Any) -> Iterator[tuple[Any, Any]]:
    """(field, target field) for the model's enforced single-column keys."""
    for field in model._meta.local_concrete_fields:
        if not getattr(field, "db_constraint", False):
            continue
        target = getattr(field, "target_field", None)
        if target is None or field.remote_field is None:
            continue
        yield field, target


def check_constraints(connection: Any, models: Iterable[Any]) -> None:
    """Raise IntegrityError naming the first row whose key points nowhere."""
    for model in models:
        if model._meta.proxy:
            continue
        table = model._meta.sa_table
        for field, target in _foreign_keys(model):
            target_table = target.model._meta.sa_table
            parent = target_table.alias("referenced")
            column = table.c[field.column]
            statement = (
                sa.select(table.c[model._meta.pk.column], column)
                .select_from(table.outerjoin(parent, column == parent.c[target.column]))
                .where(column.is_not(None), parent.c[target.column].is_(None))
                .limit(1)
            )
            rows = connection.execute(statement).rows
            if rows:
                pk, value = rows[0]
                raise IntegrityError(
                    f"The row in table '{table.name}' with primary key '{pk}' "
                    f"has an invalid foreign key: {table.name}.{field.column} "
                    f"contains a value '{value}' that does not have a "
                    f"corresponding value in {target_table.name}.{target.column}."
                )


def reset_sequences(connection: Any, models: Iterable[Any]) -> None:
    """Move the key sequences past the rows loaded with explicit pks.

    Only PostgreSQL needs statements (``ops.sequence_reset_sql``); other
    databases' counters follow the largest key on their own.
    """
    statements = connection.ops.sequence_reset_sql(None, list(models))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
