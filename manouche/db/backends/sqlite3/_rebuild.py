"""Rebuild an SQLite table with a new definition, keeping its rows.

SQLite cannot change a column's type, nullability, default or constraints
in place, so the editor builds the table anew: ``CREATE TABLE new__<name>``
with the new definition, copy the rows (renamed columns mapped, defaults
filled in), drop the old table, rename the new one and recreate the
indexes. The definition starts from the model's SQLAlchemy table, so
collected SQL (``sqlmigrate``) needs no live database. Foreign key
enforcement must be off while this runs (the editor sees to that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.sql import visitors

from manouche.db.backends.base._ddl import fk_target

__all__ = ["Rebuild", "remake_table"]


@dataclass
class Rebuild:
    """What changes between the model's table and the rebuilt one."""

    create_field: Any = None
    delete_field: Any = None
    old_field: Any = None
    new_field: Any = None
    #: Named constraints or indexes to leave out.
    drop_names: set[str] = field(default_factory=set)
    #: Column lists whose (unnamed) unique constraints to leave out.
    drop_unique_columns: list[tuple[str, ...]] = field(default_factory=list)
    #: Column lists to add unique constraints on.
    add_unique_columns: list[tuple[str, ...]] = field(default_factory=list)
    #: models constraints (``as_sa``) to add.
    add_constraints: list[Any] = field(default_factory=list)


def remake_table(editor: Any, model: Any, change: Rebuild) -> None:
    """Rebuild ``model``'s table applying ``change`` (see the module docstring)."""
    source = editor._table(model)
    name = source.name
    final, selects = _final_table(editor, model, source, change)
    if not editor.collect_sql:
        _check_columns_exist(editor, name, source, change)
    scratch = sa.MetaData()
    _add_stubs(scratch, final, skip=None)
    temporary = final.to_metadata(scratch, name=f"new__{name}")
    editor.execute(CreateTable(temporary))
    quote = editor.quote_name
    targets = ", ".join(quote(column) for column in selects)
    values = ", ".join(selects.values())
    editor.execute(
        f"INSERT INTO {quote(temporary.name)} ({targets}) "
        f"SELECT {values} FROM {quote(name)}"
    )
    editor.execute(f"DROP TABLE {quote(name)}")
    editor.execute(f"ALTER TABLE {quote(temporary.name)} RENAME TO {quote(name)}")
    for index in sorted(final.indexes, key=lambda index: str(index.name)):
        if editor._index_supported(index):
            editor.execute(CreateIndex(index))


def _check_columns_exist(
    editor: Any, name: str, source: sa.Table, change: Rebuild
) -> None:
    """Refuse to copy from columns the live table lacks.

    SQLite would read a missing double-quoted column name as a string
    literal and silently copy that text into every row.
    """
    with editor.connection.cursor() as cursor:
        described = editor.connection.introspection.get_table_description(cursor, name)
    live = {info.name for info in described}
    if not live:
        raise ValueError(f"Cannot rebuild table {name!r}: it does not exist.")
    skip = {
        field.column
        for field in (change.create_field, change.delete_field, change.new_field)
        if field is not None
    }
    if change.old_field is not None:
        skip.discard(change.old_field.column)
        if change.old_field.column not in live:
            raise ValueError(
                f"Cannot rebuild table {name!r}: it has no column "
                f"{change.old_field.column!r} to alter."
            )
    missing = sorted(
        column.name
        for column in source.columns
        if column.name not in live and column.name not in skip
    )
    if missing:
        raise ValueError(
            f"Cannot rebuild table {name!r}: the database table lacks column(s) "
            f"{', '.join(missing)} that the model has."
        )


def _final_table(
    editor: Any, model: Any, source: sa.Table, change: Rebuild
) -> tuple[sa.Table, dict[str, str]]:
    metadata = sa.MetaData()
    columns: list[sa.Column[Any]] = []
    selects: dict[str, str] = {}
    renames: dict[str, str | None] = {}
    quote = editor.quote_name
    names = {column.name for column in source.columns}
    deleted = change.delete_field.column if change.delete_field is not None else None
    altered = change.old_field.column if change.old_field is not None else None
    if altered is not None and altered not in names:
        # The model already has the new column (a post-change model).
        altered_in_source = change.new_field.column
    else:
        altered_in_source = altered
    created = change.create_field
    for column in source.columns:
        if column.name == deleted:
            renames[column.name] = None
            continue
        if created is not None and column.name == created.column:
            continue
        if column.name == altered_in_source:
            new_field = change.new_field
            columns.append(_fresh_column(new_field))
            selects[new_field.column] = _altered_select(
                editor, quote(str(altered)), change.old_field, new_field
            )
            renames[column.name] = new_field.column
            renames[str(altered)] = new_field.column
            continue
        copy = column._copy()
        for foreign_key in column.foreign_keys:
            copy.append_foreign_key(sa.ForeignKey(foreign_key.target_fullname))
        if change.new_field is not None and change.new_field.primary_key:
            copy.primary_key = False
        columns.append(copy)
        selects[column.name] = quote(column.name)
        renames[column.name] = column.name
    if created is not None:
        columns.append(_fresh_column(created))
        if not created.has_db_default():
            value = editor.effective_default(created)
            if value is not None:
                selects[created.column] = editor.quote_value(value)
    final = sa.Table(source.name, metadata, *columns, comment=source.comment)
    _add_stubs(metadata, final, skip=source.name)
    _copy_constraints(source, final, renames, change)
    _copy_indexes(source, final, renames, change)
    for item in change.add_constraints:
        built = editor._detached_sa(model, item)
        if isinstance(built, sa.Index):
            continue
        _copy_constraint(built, final, renames)
    for columns_names in change.add_unique_columns:
        final.append_constraint(
            sa.UniqueConstraint(*(final.c[name] for name in columns_names))
        )
    return final, selects


def _fresh_column(model_field: Any) -> sa.Column[Any]:
    column: sa.Column[Any] = model_field.sa_column()
    target = fk_target(model_field)
    if target is not None:
        column.append_foreign_key(sa.ForeignKey(f"{target[0]}.{target[1]}"))
    return column


def _altered_select(
    editor: Any, expression: str, old_field: Any, new_field: Any
) -> str:
    if old_field.null and not new_field.null:
        if new_field.has_db_default():
            from manouche.db.backends.base._ddl import db_default_sql

            default = db_default_sql(new_field, editor.connection.dialect)
            return f"coalesce({expression}, {default})"
        value = editor.effective_default(new_field)
        if value is not None:
            return f"coalesce({expression}, {editor.quote_value(value)})"
    return expression


def _add_stubs(metadata: sa.MetaData, table: sa.Table, skip: str | None) -> None:
    """Give ``metadata`` the referenced tables so REFERENCES clauses render."""
    wanted: dict[str, set[str]] = {}
    for column in table.columns:
        for foreign_key in column.foreign_keys:
            target_table, _, target_column = foreign_key.target_fullname.rpartition(".")
            wanted.setdefault(target_table, set()).add(target_column)
    for target_table, target_columns in wanted.items():
        if target_table == skip or target_table in metadata.tables:
            continue
        sa.Table(
            target_table,
            metadata,
            *(sa.Column(name, sa.Integer()) for name in sorted(target_columns)),
        )


def _mapped(names: Sequence[str], renames: dict[str, str | None]) -> list[str] | None:
    result = []
    for name in names:
        new_name = renames.get(name, name)
        if new_name is None:
            return None
        result.append(new_name)
    return result


def _copy_constraints(
    source: sa.Table, final: sa.Table, renames: dict[str, str | None], change: Rebuild
) -> None:
    dropped_uniques = {tuple(columns) for columns in change.drop_unique_columns}
    for constraint in source.constraints:
        if isinstance(constraint, (sa.PrimaryKeyConstraint, sa.ForeignKeyConstraint)):
            continue
        if getattr(constraint, "_column_flag", False):
            continue
        if constraint.name and constraint.name in change.drop_names:
            continue
        if isinstance(constraint, sa.UniqueConstraint):
            names = tuple(column.name for column in constraint.columns)
            if names in dropped_uniques:
                continue
        _copy_constraint(constraint, final, renames)


def _copy_constraint(
    constraint: Any, final: sa.Table, renames: dict[str, str | None]
) -> None:
    if isinstance(constraint, sa.UniqueConstraint):
        names = _mapped([column.name for column in constraint.columns], renames)
        if names:
            final.append_constraint(
                sa.UniqueConstraint(
                    *(final.c[name] for name in names), name=constraint.name
                )
            )
    elif isinstance(constraint, sa.CheckConstraint):
        sqltext = _retarget(constraint.sqltext, final, renames)
        if sqltext is not None:
            final.append_constraint(sa.CheckConstraint(sqltext, name=constraint.name))


def _copy_indexes(
    source: sa.Table, final: sa.Table, renames: dict[str, str | None], change: Rebuild
) -> None:
    for index in source.indexes:
        if index._column_flag:
            continue
        if index.name and index.name in change.drop_names:
            continue
        expressions = [_retarget(e, final, renames) for e in index.expressions]
        if any(expression is None for expression in expressions):
            continue
        kwargs: dict[str, Any] = {}
        where = index.dialect_options["sqlite"].get("where")
        if where is not None:
            kwargs["sqlite_where"] = _retarget(where, final, renames)
        copy = sa.Index(index.name, *expressions, unique=index.unique, **kwargs)
        copy.info.update(index.info)
        if copy.table is None:
            final.append_constraint(copy)


def _retarget(expression: Any, final: sa.Table, renames: dict[str, str | None]) -> Any:
    """Point an expression's columns at ``final``; None if one was dropped."""
    missing = []

    def replace(element: Any) -> Any:
        if isinstance(element, sa.Column) and element.table is not None:
            new_name = renames.get(element.name, element.name)
            if new_name is None or new_name not in final.c:
                missing.append(element.name)
                return None
            return final.c[new_name]
        return None

    result: Any = visitors.replacement_traverse(expression, {}, replace)  # type: ignore[call-overload]
    return None if missing else result
