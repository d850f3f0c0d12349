"""bulk_create and bulk_update as operations (shared by sync and async)."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import sqlalchemy as sa

from manouche.db.models._bulk_unnest import (
    plain_columns,
    unnest_columns,
    unnest_insert,
)
from manouche.db.models._io import Atomic, Execute, Operation
from manouche.db.models.fields import NOT_PROVIDED
from manouche.db.models.sql._save_values import compile_save_values

__all__ = ["bulk_create_operation", "bulk_update_operation"]


# The sort key of single-column RETURNING rows (C-level, unlike Row's <).
_first = itemgetter(0)


def _connection(using: str) -> Any:
    from manouche.db import connections

    return connections[using]


def _insert_for(vendor: str, table: Any) -> Any:
    if vendor == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert(table)
    if vendor == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    if vendor == "mysql":
        from sqlalchemy.dialects.mysql import insert as mysql_insert

        return mysql_insert(table)
    return sa.insert(table)


def _check_bulk_create(
    queryset: Any,
    ignore_conflicts: bool,
    update_conflicts: bool,
    update_fields: Sequence[str] | None,
    unique_fields: Sequence[str] | None,
) -> tuple[list[Any], list[Any]]:
    opts = queryset.model._meta
    if ignore_conflicts and update_conflicts:
        raise ValueError(
            "ignore_conflicts and update_conflicts are mutually exclusive."
        )
    if opts.parents:
        raise ValueError("Can't bulk create a multi-table inherited model")
    if not update_conflicts:
        return [], []
    if not update_fields:
        raise ValueError(
            "Fields that will be updated when a row insertion fails on conflicts "
            "must be provided."
        )
    updates = [opts.get_field(name) for name in update_fields]
    if any(not f.concrete or f.many_to_many for f in updates):
        raise ValueError(
            "bulk_create() can only be used with concrete fields in update_fields."
        )
    if any(f.primary_key for f in updates):
        raise ValueError(
            "bulk_create() cannot be used with primary keys in update_fields."
        )
    uniques = []
    for name in unique_fields or ():
        field = opts.pk if name == "pk" else opts.get_field(name)
        if not field.concrete or field.many_to_many:
            raise ValueError(
                "bulk_create() can only be used with concrete fields in unique_fields."
            )
        uniques.append(field)
    return updates, uniques


def bulk_create_operation(  # noqa: C901 - batches, conflicts and returned keys
    queryset: Any,
    objs: Sequence[Any],
    batch_size: int | None,
    ignore_conflicts: bool,
    update_conflicts: bool,
    update_fields: Sequence[str] | None,
    unique_fields: Sequence[str] | None,
) -> Operation:
    """Insert ``objs`` in batches; set primary keys where the backend returns them."""
    if batch_size is not None and batch_size <= 0:
        raise ValueError("Batch size must be a positive integer.")
    objs = list(objs)
    if not objs:
        return objs
    model = queryset.model
    opts = model._meta
    updates, uniques = _check_bulk_create(
        queryset, ignore_conflicts, update_conflicts, update_fields, unique_fields
    )
    queryset._for_write = True
    using = queryset.db
    connection = _connection(using)
    vendor = connection.vendor
    table = opts.sa_table
    for obj in objs:
        obj._prepare_related_fields_for_save("bulk_create")
        if obj.pk is None:  # A key with a default (UUID) is set like save() does.
            obj.pk = opts.pk.get_pk_value_on_save(obj)
    with_pk = [obj for obj in objs if obj.pk is not None]
    without_pk = [obj for obj in objs if obj.pk is None]
    groups = []
    all_fields = [f for f in opts.local_concrete_fields if not f.generated]
    if with_pk:
        groups += _by_database_defaults(with_pk, all_fields)
    if without_pk:
        fields = [f for f in all_fields if f is not opts.auto_field]
        groups += _by_database_defaults(without_pk, fields)
    can_return = (
        connection.features.can_return_rows_from_bulk_insert
        and not ignore_conflicts
        and not update_conflicts
    )

    def inserts() -> Operation:
        for group, fields in groups:
            # executemany: SQLAlchemy batches it into multi-row INSERTs
            # ("insertmanyvalues") and keeps RETURNING rows in order.
            size = batch_size or len(group)
            returning = [
                f
                for f in opts.db_returning_fields
                if f not in fields or f is opts.auto_field
            ]
            base = _insert_for(vendor, table)
            if ignore_conflicts:
                base = _ignore_conflicts(base, vendor)
            elif update_conflicts:
                base = _upsert(base, vendor, updates, uniques)
            statement = base
            return_now = bool(can_return and returning)
            # Arrays keep RETURNING in step with the objects only through the
            # sort of ascending sequence values, so only the key may come back.
            by_arrays = (
                vendor == "postgresql"
                and bool(fields)
                and (not return_now or returning == [opts.auto_field])
                and plain_columns(table, fields)
            )
            returned_columns = [table.c[f.attname] for f in returning]
            # SQLite cannot promise RETURNING order, so SQLAlchemy would send
            # one INSERT per row. When only the auto-increment key comes back,
            # multi-row INSERTs are kept and the keys sorted instead: SQLite
            # hands out rowids in VALUES order inside one transaction.
            sort_keys = (
                return_now and vendor == "sqlite" and returning == [opts.auto_field]
            )
            if return_now:
                statement = statement.returning(
                    *returned_columns,
                    sort_by_parameter_order=not sort_keys,
                )
            for start in range(0, len(group), max(size, 1)):
                batch = group[start : start + size]
                rows = _rows_values(batch, fields, connection)
                if len(rows) == 1 or _has_expressions(rows):
                    # SQL among the values: one INSERT per row, no executemany.
                    for obj, row in zip(batch, rows, strict=True):
                        yield from _insert_one(
                            using,
                            model,
                            base,
                            statement,
                            returning,
                            row,
                            obj,
                            can_return,
                        )
                else:
                    columns = unnest_columns(rows, fields) if by_arrays else None
                    if columns is not None:
                        arrays = unnest_insert(base, table, fields, columns)
                        if return_now:
                            arrays = arrays.returning(*returned_columns)
                        result = yield Execute(using, arrays)
                        if return_now:
                            result.rows = sorted(result.rows, key=_first)
                    else:
                        result = yield Execute(using, statement, rows)
                        if sort_keys:
                            result.rows = sorted(result.rows, key=_first)
                    _assign_returned(batch, returning, result, return_now, opts)
                for obj in batch:
                    obj._state.adding = False
                    obj._state.db = using
        return None

    # One transaction whenever several rows go in: SQLAlchemy may split an
    # executemany into many statements (and autocommit would sync each).
    if len(objs) > 1:
        yield Atomic(using, inserts(), savepoint=False)
    else:
        yield from inserts()
    return objs


def _assign_returned(
    batch: list[Any], returning: list[Any], result: Any, returned: bool, opts: Any
) -> None:
    if returned:
        for obj, values in zip(batch, result.rows, strict=False):
            for field, value in zip(returning, values, strict=True):
                setattr(obj, field.attname, value)
    elif (
        len(batch) == 1
        and opts.auto_field in returning
        and result.lastrowid is not None
    ):
        setattr(batch[0], opts.auto_field.attname, result.lastrowid)


def _by_database_defaults(
    objs: list[Any], fields: list[Any]
) -> list[tuple[list[Any], list[Any]]]:
    """Group ``objs`` by the ``db_default`` fields they leave to the database.

    As ``save()`` does, such a field is left out of the INSERT so that the
    database computes it (``Now()`` and other expressions included), and it
    comes back through RETURNING where the backend can.
    """
    from manouche.db.models.expressions import DatabaseDefault

    candidates = [f for f in fields if f.db_default is not NOT_PROVIDED]
    if not candidates:
        return [(objs, fields)]
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for obj in objs:
        key = tuple(
            f
            for f in candidates
            if isinstance(getattr(obj, f.attname, None), DatabaseDefault)
        )
        groups.setdefault(key, []).append(obj)
    return [
        (group, [f for f in fields if f not in key]) for key, group in groups.items()
    ]


def _rows_values(
    batch: list[Any], fields: list[Any], connection: Any
) -> list[dict[str, Any]]:
    """The column values of each object, as ``save()`` would send them."""
    # Bound methods looked up once per batch, not once per value.
    plan = [(f.attname, f.pre_save, f.get_db_prep_save) for f in fields]
    rows = []
    for obj in batch:
        row = {}
        for attname, pre_save, prepare in plan:
            value = pre_save(obj, True)
            # An expression (``Now()``) is compiled into the INSERT instead.
            row[attname] = (
                value if hasattr(value, "as_sa") else prepare(value, connection)
            )
        rows.append(row)
    return rows


def _insert_one(
    using: str,
    model: Any,
    base: Any,
    statement: Any,
    returning: list[Any],
    row: dict[str, Any],
    obj: Any,
    can_return: bool,
) -> Operation:
    """INSERT one object's row; its values may be SQL (``Now()``).

    A returning field given an expression is read back too: its value is
    only known once the database computed it.
    """
    opts = model._meta
    back = returning
    if can_return:
        back = returning + [
            field
            for field in opts.db_returning_fields
            if field not in returning and hasattr(row.get(field.attname), "as_sa")
        ]
        if back != returning:
            statement = base.returning(*(opts.sa_table.c[f.attname] for f in back))
    values = compile_save_values(model, row, insert=True)
    result = yield Execute(using, statement.values(values))
    _assign_returned([obj], back, result, bool(can_return and back), opts)


def _has_expressions(rows: list[dict[str, Any]]) -> bool:
    return any(hasattr(value, "as_sa") for row in rows for value in row.values())


def _ignore_conflicts(statement: Any, vendor: str) -> Any:
    if vendor in ("postgresql", "sqlite"):
        return statement.on_conflict_do_nothing()
    return statement.prefix_with("IGNORE")


def _upsert(statement: Any, vendor: str, updates: list[Any], uniques: list[Any]) -> Any:
    if vendor == "mysql":
        return statement.on_duplicate_key_update(
            {f.attname: statement.inserted[f.attname] for f in updates}
        )
    if not uniques:
        raise ValueError("Unique fields that can trigger the upsert must be provided.")
    return statement.on_conflict_do_update(
        index_elements=[statement.table.c[f.attname] for f in uniques],
        set_={f.column: statement.excluded[f.attname] for f in updates},
    )


def _bulk_update_fields(opts: Any, names: Sequence[str]) -> list[Any]:
    resolved = []
    for name in names:
        field = opts.get_field(name)
        if not field.concrete or field.many_to_many:
            raise ValueError("bulk_update() can only be used with concrete fields.")
        if field.primary_key:
            raise ValueError("bulk_update() cannot be used with primary key fields.")
        if field.generated:
            raise ValueError("bulk_update() cannot be used with generated fields.")
        resolved.append(field)
    return resolved


def _case_for(model: Any, field: Any, batch: list[Any], connection: Any) -> Any:
    """Return ``CASE WHEN pk = ... THEN value ... ELSE column END``."""
    from manouche.db.models.sql.compiler import SQLCompiler
    from manouche.db.models.sql.query import Query

    table = model._meta.sa_table
    pk_column = table.c[model._meta.pk.attname]
    column = table.c[field.attname]
    whens = []
    for obj in batch:
        value = getattr(obj, field.attname)
        if hasattr(value, "as_sa"):
            compiler = SQLCompiler(Query(model), connection, for_update_statement=True)
            compiled = value.as_sa(compiler)
        else:
            compiled = sa.bindparam(
                None, field.get_db_prep_save(value, connection), type_=column.type
            )
        whens.append((pk_column == obj.pk, compiled))
    return sa.case(*whens, else_=column)


def bulk_update_operation(
    queryset: Any, objs: Sequence[Any], fields: Sequence[str], batch_size: int | None
) -> Operation:
    """Update ``fields`` on ``objs`` with one CASE statement per batch."""
    if batch_size is not None and batch_size <= 0:
        raise ValueError("Batch size must be a positive integer.")
    if not fields:
        raise ValueError("Field names must be given to bulk_update().")
    objs = list(objs)
    if any(obj.pk is None for obj in objs):
        raise ValueError("All bulk_update() objects must have a primary key set.")
    opts = queryset.model._meta
    resolved = _bulk_update_fields(opts, fields)
    if not objs:
        return 0
    for obj in objs:
        obj._prepare_related_fields_for_save(
            operation_name="bulk_update", fields=resolved
        )
    queryset._for_write = True
    using = queryset.db
    connection = _connection(using)
    size = connection.ops.bulk_batch_size([opts.pk, opts.pk, *resolved], objs)
    size = min(batch_size, size) if batch_size else size
    size = max(size, 1)
    by_table: dict[Any, list[Any]] = {}
    for field in resolved:
        by_table.setdefault(field.model._meta.concrete_model, []).append(field)

    def updates() -> Operation:
        total = 0
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            for model, model_fields in by_table.items():
                table = model._meta.sa_table
                pk_column = table.c[model._meta.pk.attname]
                values = {
                    field.attname: _case_for(model, field, batch, connection)
                    for field in model_fields
                }
                statement = (
                    sa.update(table)
                    .where(pk_column.in_([obj.pk for obj in batch]))
                    .values(values)
                )
                result = yield Execute(using, statement)
                if model is opts.concrete_model:
                    total += result.rowcount
        return total

    result = yield Atomic(using, updates(), savepoint=False)
    return result
