"""PostgreSQL bulk inserts as ``INSERT ... SELECT FROM unnest(arrays)``.

A multi-row ``VALUES`` list binds one placeholder per value, and psycopg
parses every placeholder of such a statement in Python (the statement is
too long for its cache): for 10,000 rows of four columns that parsing cost
more than the server's work. Binding one array per column instead keeps the
statement a few hundred bytes long whatever the number of rows, and the
arrays are dumped by the driver's C adapters.

The path is taken only when it cannot change what is stored: every column
has a plain SQLAlchemy type (no bind processing on our side) and each
column's values are plain scalars of a single Python type, which the driver
dumps as one array. Anything else (expressions, JSON, arrays, custom types,
mixed types) goes through the ordinary multi-row insert.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

__all__ = ["plain_columns", "unnest_columns", "unnest_insert"]

# SQLAlchemy types whose values the driver adapts itself (exact classes:
# a subclass may add bind processing).
_PLAIN_TYPES = frozenset(
    {
        sa.String,
        sa.Text,
        sa.Integer,
        sa.BigInteger,
        sa.SmallInteger,
        sa.Boolean,
        sa.Float,
        sa.Double,
        sa.Numeric,
        sa.Date,
        sa.DateTime,
        sa.Time,
        sa.Uuid,
    }
)
_SCALARS = frozenset(
    {
        str,
        int,
        float,
        bool,
        decimal.Decimal,
        datetime.datetime,
        datetime.date,
        datetime.time,
        uuid.UUID,
    }
)
_NONE = type(None)


def plain_columns(table: Any, fields: list[Any]) -> bool:
    """Whether every column of ``fields`` can be bound as a typed array."""
    return all(type(table.c[f.attname].type) in _PLAIN_TYPES for f in fields)


def unnest_columns(
    rows: list[dict[str, Any]], fields: list[Any]
) -> list[list[Any]] | None:
    """Return one list of values per field, or None when one is not uniform."""
    columns = []
    for field in fields:
        attname = field.attname
        values = [row[attname] for row in rows]
        kinds = set(map(type, values))
        kinds.discard(_NONE)
        if len(kinds) > 1 or not kinds <= _SCALARS:
            return None
        if datetime.datetime in kinds or datetime.time in kinds:
            # One array holds either aware or naive values, never both.
            aware = {v.tzinfo is None for v in values if v is not None}
            if len(aware) > 1:
                return None
        columns.append(values)
    return columns


def unnest_insert(
    statement: Any, table: Any, fields: list[Any], columns: list[list[Any]]
) -> Any:
    """``statement`` (an ``insert(table)``) fed from one array per column."""
    targets = [table.c[f.attname] for f in fields]
    arrays = [
        sa.bindparam(f"unnest_{i}", values, type_=postgresql.ARRAY(column.type))
        for i, (column, values) in enumerate(zip(targets, columns, strict=True))
    ]
    source = (
        sa.func.unnest(*arrays)
        .table_valued(*(f"c{i}" for i in range(len(targets))))
        .render_derived(name="unnested")
    )
    return statement.from_select(targets, sa.select(*source.c))
