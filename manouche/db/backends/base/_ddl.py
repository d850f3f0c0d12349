"""Render column definitions and literal values for ALTER statements.

DDL cannot take bind parameters, so defaults written into ``ADD COLUMN``
and every statement collected for ``sqlmigrate`` carry their values as
literals; :func:`quote_value` is the one place that turns a Python value
into safe SQL text. No I/O happens here.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import AddConstraint, CreateTable

__all__ = [
    "column_signature",
    "column_spec",
    "compile_type",
    "db_default_sql",
    "deferred_foreign_keys",
    "fk_target",
    "is_auto_field",
    "quote_value",
    "sa_column",
]

_AUTO_TYPES = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})


def quote_value(value: Any, vendor: str) -> str:
    """Return ``value`` as an SQL literal for ``vendor`` (sqlite/postgresql/mysql)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        if vendor == "postgresql":
            return "true" if value else "false"
        return "1" if value else "0"
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        hexed = bytes(value).hex()
        if vendor == "postgresql":
            return f"'\\x{hexed}'::bytea"
        return f"X'{hexed}'"
    if isinstance(value, uuid.UUID):
        value = str(value) if vendor == "postgresql" else value.hex
    elif isinstance(value, datetime.datetime):
        value = value.isoformat(" ")
    elif isinstance(value, (datetime.date, datetime.time)):
        value = value.isoformat()
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("Cannot quote a string that contains a NUL byte.")
        text = value.replace("'", "''")
        if vendor == "mysql":
            text = text.replace("\\", "\\\\")
        return f"'{text}'"
    raise ValueError(
        f"Cannot quote parameter value {value!r} of type {type(value).__name__}."
    )


def sa_column(field: Any) -> sa.Column[Any]:
    """Return a fresh column for ``field`` (never the model table's own)."""
    return field.sa_column()  # type: ignore[no-any-return]


def compile_type(field: Any, dialect: sa.Dialect) -> str:
    """Return the column type of ``field`` as ``dialect`` writes it."""
    return str(field.sa_type().compile(dialect=dialect))


def is_auto_field(field: Any) -> bool:
    """Tell whether ``field`` is an auto-incrementing key."""
    return field.get_internal_type() in _AUTO_TYPES


def db_default_sql(field: Any, dialect: sa.Dialect) -> str | None:
    """Return the rendered ``DEFAULT`` expression of ``field.db_default``."""
    if not field.has_db_default():
        return None
    default = sa_column(field).server_default
    if default is None:  # pragma: no cover - sa_column always sets it
        return None
    arg: Any = getattr(default, "arg", default)
    if isinstance(arg, str):
        return quote_value(arg, _vendor(dialect))
    compiled = arg.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return str(compiled)


def fk_target(field: Any) -> tuple[str, str] | None:
    """Return ``(table, column)`` the field's foreign key constraint points at."""
    if not getattr(field, "db_constraint", False) or field.many_to_many:
        return None
    target = getattr(field, "target_field", None)
    related = getattr(field, "related_model", None)
    if target is None or related is None or isinstance(related, str):
        return None
    return related._meta.concrete_model._meta.db_table, target.column


def column_signature(field: Any, dialect: sa.Dialect) -> tuple[Any, ...]:
    """Return what the database sees of ``field``, to compare two versions."""
    return (
        field.column,
        compile_type(field, dialect),
        bool(field.null),
        bool(field.primary_key),
        bool(field.unique and not field.primary_key),
        bool(field.db_index and not field.unique),
        db_default_sql(field, dialect),
        fk_target(field),
        field.db_comment or None,
        is_auto_field(field),
        getattr(field, "db_collation", None),
    )


def column_spec(
    field: Any,
    table_name: str,
    dialect: sa.Dialect,
    default_sql: str | None = None,
    *,
    with_comment: bool = True,
) -> str:
    """Return ``"TYPE [DEFAULT ..] [NOT NULL] ..."`` for ``field`` (no name).

    Primary key, unique and foreign key clauses are left out: they are
    separate constraints. ``default_sql`` (a literal) replaces the
    db_default where given.
    """
    column = sa_column(field)
    column.unique = False
    column.index = False
    if default_sql is not None:
        column.server_default = sa.DefaultClause(sa.text(default_sql))
    if not with_comment:
        column.comment = None
    sa.Table(table_name, sa.MetaData(), column)
    compiler = dialect.ddl_compiler(dialect, None)  # type: ignore[arg-type]
    spec = str(compiler.get_column_specification(column))
    name = str(dialect.identifier_preparer.format_column(column))
    return spec[len(name) :].strip() if spec.startswith(name) else spec


def _foreign_keys_of(element: Any) -> list[sa.ForeignKeyConstraint]:
    """The foreign key constraints a DDL element renders."""
    if isinstance(element, CreateTable):
        included = element.include_foreign_key_constraints
        table = element.element
        return list(table.foreign_key_constraints if included is None else included)
    if isinstance(element, AddConstraint) and isinstance(
        element.element, sa.ForeignKeyConstraint
    ):
        return [element.element]
    return []


@contextlib.contextmanager
def deferred_foreign_keys(element: Any, enabled: bool) -> Iterator[None]:
    """Render the element's foreign keys DEFERRABLE INITIALLY DEFERRED.

    The constraints belong to the model's shared table, which must not
    carry the flags for good (MariaDB rejects them, and one process may
    speak to several databases), so they are set only while the element
    compiles and executes. Constraints that say otherwise are left alone.
    """
    changed = []
    if enabled:
        for constraint in _foreign_keys_of(element):
            if constraint.deferrable is None and constraint.initially is None:
                constraint.deferrable, constraint.initially = True, "DEFERRED"
                changed.append(constraint)
    try:
        yield
    finally:
        for constraint in changed:
            constraint.deferrable = constraint.initially = None


def _vendor(dialect: sa.Dialect) -> str:
    name = dialect.name
    return "mysql" if name in ("mysql", "mariadb") else name
