"""Build a model's SQLAlchemy ``Table`` from its fields and Meta options.

The table lives on the MetaData of the model's app registry so foreign keys
resolve between models; tables of related models are built alongside.
"""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa

__all__ = ["build_table"]

_lock = threading.RLock()


def build_table(model: Any) -> sa.Table:
    """Return (building once) the Table of a concrete model."""
    opts = model._meta
    table: sa.Table | None = opts.__dict__.get("_sa_table")
    if table is not None:
        return table
    with _lock:
        table = opts.__dict__.get("_sa_table")
        if table is not None:
            return table
        metadata = opts.db_metadata
        existing = metadata.tables.get(opts.db_table)
        if existing is not None:
            metadata.remove(existing)
        columns = [_column(field) for field in opts.local_concrete_fields]
        table = sa.Table(
            opts.db_table,
            metadata,
            *columns,
            comment=opts.db_table_comment or None,
        )
        opts.__dict__["_sa_table"] = table
        _attach_constraints(model, table)
        _build_related(model)
        return table


def _attach_constraints(model: Any, table: sa.Table) -> None:
    opts = model._meta
    for names in opts.unique_together:
        cols = [table.c[opts.get_field(name).attname] for name in names]
        table.append_constraint(sa.UniqueConstraint(*cols))
    for constraint in opts.constraints:
        item = constraint.as_sa(model, table)
        # Index objects (partial or expression unique) attach themselves.
        if item is not None and not isinstance(item, sa.Index):
            table.append_constraint(item)
    for index in opts.indexes:
        index.as_sa(model, table)


def _build_related(model: Any) -> None:
    opts = model._meta
    for field in opts.local_concrete_fields:
        related = getattr(field, "related_model", None)
        if related is not None and not isinstance(related, str):
            target = related._meta.concrete_model
            if target is not model:
                build_table(target)
    for m2m in opts.local_many_to_many:
        through = getattr(m2m.remote_field, "through", None)
        if (
            through is not None
            and not isinstance(through, str)
            and through._meta.auto_created
        ):
            build_table(through)


def _column(field: Any) -> sa.Column[Any]:
    column: sa.Column[Any] = field.sa_column()
    target = getattr(field, "target_field", None)
    if (
        target is not None
        and getattr(field, "db_constraint", False)
        and not isinstance(field.related_model, str)
    ):
        related_table = field.related_model._meta.concrete_model._meta.db_table
        column.append_foreign_key(
            sa.ForeignKey(f"{related_table}.{target.column}", use_alter=False)
        )
    return column
