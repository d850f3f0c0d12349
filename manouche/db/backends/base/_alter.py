"""Add, remove and alter columns in place, for databases with a full ALTER TABLE.

What this owns: the order of the steps of an ``alter_field`` (drop the
foreign keys and indexes that stand in the way, rename, retype, fill NULLs,
change null/default/comment, swap primary keys, then recreate what was
dropped). Dialect details come from the editor's hooks (``_alter_column_sqls``,
``_drop_fk_sql``, ...). SQLite does not use this module: it rebuilds tables.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa

from manouche.db.backends.base._ddl import (
    column_signature,
    db_default_sql,
    fk_target,
    is_auto_field,
)

__all__ = [
    "IncomingForeignKey",
    "add_field",
    "alter_field",
    "column_changes",
    "incoming_foreign_keys",
    "remove_field",
    "standard_alter_column_sqls",
]


class IncomingForeignKey(NamedTuple):
    """A foreign key of another table that points at an altered column."""

    table: str
    column: str
    name: str


def column_changes(editor: Any, old_field: Any, new_field: Any) -> set[str]:
    """Name what differs between two versions of a column.

    One of ``type``, ``null``, ``default``, ``comment``, ``auto``,
    ``collation``, ``column``, ``primary_key``, ``unique``, ``index``, ``fk``.
    """
    names = (
        "column",
        "type",
        "null",
        "primary_key",
        "unique",
        "index",
        "default",
        "fk",
        "comment",
        "auto",
        "collation",
    )
    dialect = editor.connection.dialect
    old = column_signature(old_field, dialect)
    new = column_signature(new_field, dialect)
    return {name for name, a, b in zip(names, old, new, strict=True) if a != b}


def add_field(editor: Any, model: Any, field: Any) -> None:
    """Add ``field``'s column, then its constraints and index."""
    table = model._meta.db_table
    quote = editor.quote_name
    definition, _ = editor.column_sql(model, field, include_default=True)
    if definition is None:
        return
    editor.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {definition}")
    if (
        not field.has_db_default()
        and not field.primary_key
        and editor.effective_default(field) is not None
    ):
        editor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(field.column)} "
            "DROP DEFAULT"
        )
    if field.db_comment and editor.separate_column_comments:
        editor.execute(
            editor._column_comment_sql(table, field.column, field.db_comment)
        )
    if field.primary_key:
        editor.execute(editor._add_pk_sql(table, field.column))
    _add_column_extras(editor, model, field, unique=True, index=True, fk=True)


def _add_column_extras(
    editor: Any, model: Any, field: Any, *, unique: bool, index: bool, fk: bool
) -> None:
    table = model._meta.db_table
    dialect = editor.connection.dialect
    signature = column_signature(field, dialect)
    if unique and signature[4]:
        name = editor._create_index_name(table, [field.column], "_uniq")
        editor.execute(editor._add_unique_sql(table, name, [field.column]))
    if index and signature[5]:
        name = editor._create_index_name(table, [field.column], "_idx")
        editor.execute(editor._create_index_sql(table, name, [field.column]))
    target = fk_target(field)
    if fk and target is not None and editor.connection.features.supports_foreign_keys:
        editor.execute(editor._add_fk_sql(table, field.column, *target))


def remove_field(editor: Any, model: Any, field: Any) -> None:
    """Drop ``field``'s foreign keys, then its column."""
    table = model._meta.db_table
    if fk_target(field) is not None:
        for name in editor._constraint_names(model, [field.column], foreign_key=True):
            editor.execute(editor._drop_fk_sql(table, name))
    editor.execute(editor._drop_column_sql(table, field.column))


def incoming_foreign_keys(
    editor: Any, table: str, column: str
) -> list[IncomingForeignKey]:
    """Return the foreign keys of every table that reference ``table.column``."""
    try:
        inspector = sa.inspect(editor.connection._sa_connection())
        with editor.connection.wrap_database_errors:
            found = inspector.get_multi_foreign_keys()
    except Exception:
        if editor.collect_sql:
            return []
        raise
    result = []
    for (_schema, other), fks in sorted(found.items(), key=lambda item: item[0][1]):
        for fk in fks:
            if (
                fk["referred_table"] == table
                and fk["referred_columns"] == [column]
                and fk.get("name")
            ):
                result.append(
                    IncomingForeignKey(other, fk["constrained_columns"][0], fk["name"])
                )
    return result


def alter_field(
    editor: Any, model: Any, old_field: Any, new_field: Any, strict: bool
) -> None:
    """Change one column in place (see the module docstring for the order)."""
    table = model._meta.db_table
    changes = column_changes(editor, old_field, new_field)
    if strict and not editor._column_exists(table, old_field.column):
        raise ValueError(
            f"Found no column {old_field.column!r} in table {table!r} to alter."
        )
    # Outgoing foreign keys go first: any change may invalidate them.
    fks_dropped = False
    if fk_target(old_field) is not None:
        for name in editor._constraint_names(
            model, [old_field.column], foreign_key=True
        ):
            editor.execute(editor._drop_fk_sql(table, name))
            fks_dropped = True
    incoming: list[IncomingForeignKey] = []
    if "type" in changes or ("primary_key" in changes and old_field.primary_key):
        incoming = incoming_foreign_keys(editor, table, old_field.column)
        for fk in incoming:
            editor.execute(editor._drop_fk_sql(fk.table, fk.name))
    _drop_unique_and_index(editor, model, old_field, changes)
    if "column" in changes:
        editor.execute(
            editor._rename_column_sql(table, old_field.column, new_field.column)
        )
    if "null" in changes and not new_field.null:
        _fill_nulls(editor, table, new_field)
    for sql in editor._alter_column_sqls(model, old_field, new_field, changes):
        editor.execute(sql)
    _swap_primary_key(editor, model, old_field, new_field, changes)
    _add_column_extras(
        editor,
        model,
        new_field,
        unique="unique" in changes,
        index="index" in changes,
        fk=fks_dropped or fk_target(old_field) is None,
    )
    if new_field.primary_key or new_field.unique:
        _retarget_incoming(editor, table, new_field, incoming)


def _drop_unique_and_index(
    editor: Any, model: Any, old_field: Any, changes: set[str]
) -> None:
    dialect = editor.connection.dialect
    old = column_signature(old_field, dialect)
    if "unique" in changes and old[4]:
        for name in editor._constraint_names(
            model, [old_field.column], unique=True, primary_key=False
        ):
            if not editor._constraint_info(model, name).get("foreign_key"):
                editor.execute(editor._drop_unique_sql(model, name))
    if "index" in changes and old[5]:
        for name in editor._constraint_names(
            model,
            [old_field.column],
            index=True,
            unique=False,
            primary_key=False,
            foreign_key=False,
        ):
            editor.execute(editor._drop_index_sql(model._meta.db_table, name))


def _fill_nulls(editor: Any, table: str, field: Any) -> None:
    quote = editor.quote_name
    target = f"UPDATE {quote(table)} SET {quote(field.column)} = "
    where = f" WHERE {quote(field.column)} IS NULL"
    if field.has_db_default():
        default = db_default_sql(field, editor.connection.dialect)
        editor.execute(f"{target}{default}{where}")
        return
    value = editor.effective_default(field)
    if value is not None:
        editor.execute(f"{target}%s{where}", [value])


def _swap_primary_key(
    editor: Any, model: Any, old_field: Any, new_field: Any, changes: set[str]
) -> None:
    if "primary_key" not in changes:
        return
    table = model._meta.db_table
    for name in editor._constraint_names(model, primary_key=True):
        editor.execute(editor._drop_pk_sql(table, name))
    if new_field.primary_key:
        editor.execute(editor._add_pk_sql(table, new_field.column))


def _retarget_incoming(
    editor: Any, table: str, new_field: Any, incoming: list[IncomingForeignKey]
) -> None:
    dialect = editor.connection.dialect
    rel_type = str(new_field.rel_sa_type().compile(dialect=dialect))
    for fk in incoming:
        editor.execute(
            editor._alter_referencing_column_sql(fk.table, fk.column, rel_type)
        )
        editor.execute(editor._add_fk_sql(fk.table, fk.column, table, new_field.column))


def standard_alter_column_sqls(
    editor: Any, model: Any, old_field: Any, new_field: Any, changes: set[str]
) -> list[str]:
    """Return SQL-standard ``ALTER COLUMN`` statements for type/null/default/comment."""
    quote = editor.quote_name
    table = model._meta.db_table
    prefix = f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(new_field.column)}"
    dialect = editor.connection.dialect
    statements = []
    if changes & {"type", "collation"}:
        if old_field.has_db_default():
            # The old default may not cast to the new type: set it again after.
            statements.append(f"{prefix} DROP DEFAULT")
            changes = changes | {"default"}
        statements.append(editor._alter_column_type_sql(table, new_field))
    if "null" in changes:
        statements.append(f"{prefix} {'DROP' if new_field.null else 'SET'} NOT NULL")
    if "default" in changes and not is_auto_field(new_field):
        default = db_default_sql(new_field, dialect)
        if default is None:
            statements.append(f"{prefix} DROP DEFAULT")
        else:
            statements.append(f"{prefix} SET DEFAULT {default}")
    if "comment" in changes:
        statements.append(
            editor._column_comment_sql(table, new_field.column, new_field.db_comment)
        )
    return statements
