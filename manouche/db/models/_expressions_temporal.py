"""SQL for arithmetic on dates, datetimes, times and durations, per backend.

A duration is an INTERVAL on PostgreSQL and a count of microseconds on
SQLite and MariaDB, so ``+`` and ``-`` between a moment and a duration, or
between two moments, cannot be written alike everywhere:

* PostgreSQL does the arithmetic natively; only ``date - date`` (a number
  of days there) is turned into an interval.
* MariaDB shifts with ``DATE_ADD(.., INTERVAL n MICROSECOND)`` and
  subtracts with ``TIMESTAMPDIFF(MICROSECOND, ..)``; a time is shifted as a
  moment of a fixed day so that it wraps around midnight as elsewhere.
* SQLite stores moments as text: ``manouche_shift`` and
  ``manouche_timediff`` (registered on every connection) do the work.

Durations added to or subtracted from durations, and durations multiplied
or divided by numbers, need nothing special: integers and intervals both
support those operators.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import Null
from sqlalchemy.sql.functions import FunctionElement

from manouche.db.utils import DatabaseError

__all__ = ["MOMENTS", "temporal_sql"]

#: The kinds (see ``_expressions_types.field_kind``) that are points in time.
MOMENTS = frozenset({"date", "datetime", "time"})


def temporal_sql(
    connector: str,
    lhs: Any,
    rhs: Any,
    kinds: tuple[str | None, str | None],
    vendor: str,
) -> Any:
    """Return the SQL of ``lhs <connector> rhs`` or None if operators do.

    ``kinds`` are the operands' kinds. Raises DatabaseError for operators
    that have no meaning on a moment (``start * 2``), on every backend.
    """
    lhs_kind, rhs_kind = kinds
    if connector not in ("+", "-"):
        if lhs_kind in MOMENTS or rhs_kind in MOMENTS:
            raise DatabaseError(f"Invalid arguments for operator {connector}.")
        return None
    shifted = lhs_kind in MOMENTS and rhs_kind == "duration"
    added = connector == "+" and lhs_kind == "duration" and rhs_kind in MOMENTS
    subtracted = connector == "-" and lhs_kind in MOMENTS and rhs_kind in MOMENTS
    if not (shifted or added or subtracted):
        return None
    if isinstance(lhs, Null) or isinstance(rhs, Null):
        # The result is NULL; no backend must guess a bare NULL's type.
        return sa.null()
    if shifted:
        return _shift(lhs, rhs, lhs_kind, connector, vendor)  # type: ignore[arg-type]
    if added:
        return _shift(rhs, lhs, rhs_kind, connector, vendor)  # type: ignore[arg-type]
    return _difference(lhs, rhs, kinds, vendor)


def _shift(moment: Any, delta: Any, kind: str, connector: str, vendor: str) -> Any:
    """Return ``moment + delta`` (or ``-``): a datetime, or a time for a time."""
    if vendor == "postgresql":
        return moment.op(connector)(delta)
    if connector == "-":
        delta = sa.literal(0, sa.BigInteger()).op("-")(delta)
    if vendor == "sqlite":
        output = "time" if kind == "time" else "datetime"
        return sa.func.manouche_shift(moment, delta, output)
    if kind == "time":
        return sa.func.time(_DateAddMicroseconds(_on_a_day(moment), delta))
    return _DateAddMicroseconds(moment, delta)


def _difference(
    lhs: Any, rhs: Any, kinds: tuple[str | None, str | None], vendor: str
) -> Any:
    """Return ``lhs - rhs`` of two moments as a duration."""
    if vendor == "postgresql":
        difference = lhs.op("-")(rhs)
        if kinds == ("date", "date"):
            # date - date is a number of days on PostgreSQL.
            return difference.op("*")(sa.literal_column("INTERVAL '1 day'"))
        return difference
    if vendor == "sqlite":
        return sa.func.manouche_timediff(lhs, rhs)
    if kinds == ("time", "time"):
        # TIMESTAMPDIFF reads a bound time as a (bad) datetime: give both a day.
        lhs, rhs = _on_a_day(lhs), _on_a_day(rhs)
    return sa.func.timestampdiff(sa.literal_column("MICROSECOND"), rhs, lhs)


def _on_a_day(time: Any) -> Any:
    """MariaDB: a time as a datetime of a fixed day."""
    return sa.func.timestamp(sa.literal("2000-01-01"), time)


class _DateAddMicroseconds(FunctionElement[Any]):
    """MariaDB ``DATE_ADD(moment, INTERVAL microseconds MICROSECOND)``."""

    name = "manouche_date_add_microseconds"
    inherit_cache = True


@compiles(_DateAddMicroseconds)
def _compile_date_add(
    element: _DateAddMicroseconds, compiler: SQLCompiler, **kw: Any
) -> str:
    moment, delta = list(element.clauses)
    return (
        f"DATE_ADD({compiler.process(moment, **kw)}, "
        f"INTERVAL ({compiler.process(delta, **kw)}) MICROSECOND)"
    )
