"""Join demotion: LEFT OUTER joins the WHERE clause makes INNER.

The compiler joins every relation that may be missing (a nullable foreign
key, a reverse relation, a many-to-many) with LEFT OUTER JOIN, so that a
condition like ``isnull=True`` or one side of an OR still sees the rows
without a related row. When a condition ANDed at the top of the WHERE clause
rejects a row whose joined side is missing (``author__name="x"`` is NULL,
hence false, for such a row), those NULL-extended rows can never be
returned: the join may be INNER without changing the result, and databases
plan INNER joins better. Joins it hangs from by a key equality are then
required too (the related row's key is not NULL, so its parent row exists).

This module decides which joins to demote; it does not build SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList, ColumnClause

__all__ = [
    "NULL_REJECTING_LOOKUPS",
    "NullRejection",
    "inner_join_keys",
    "rejects_null",
]

#: Lookups whose condition is NULL (so the row is dropped) when the column
#: is NULL, whatever the value compared with.
NULL_REJECTING_LOOKUPS = frozenset(
    {
        "exact",
        "iexact",
        "gt",
        "gte",
        "lt",
        "lte",
        "in",
        "range",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "iregex",
    }
)


def rejects_null(lookups: list[str], value: Any) -> bool:
    """Whether ``column__<lookups>=value`` is never true for a NULL column.

    Only plain lookups count: a transform in between (``__lower``,
    ``__year``, a JSON key) might turn NULL into a value.
    """
    if len(lookups) > 1:
        return False
    name = lookups[0] if lookups else "exact"
    if name == "isnull":
        return value is False
    return name in NULL_REJECTING_LOOKUPS and value is not None


def _equality_tables(onclause: Any) -> list[Any] | None:
    """Tables of a ``a.x = b.y [AND ...]`` join condition, or None if not one."""
    if isinstance(onclause, BooleanClauseList):
        if onclause.operator is not operators.and_:
            return None
        tables: list[Any] = []
        for clause in onclause.clauses:
            found = _equality_tables(clause)
            if found is None:
                return None
            tables.extend(found)
        return tables
    if (
        isinstance(onclause, BinaryExpression)
        and onclause.operator is operators.eq
        and isinstance(onclause.left, ColumnClause)
        and isinstance(onclause.right, ColumnClause)
    ):
        return [onclause.left.table, onclause.right.table]
    return None


def inner_join_keys(joins: Mapping[Any, Any], required: Iterable[Any]) -> set[Any]:
    """Keys of the LEFT OUTER ``joins`` that may be INNER.

    ``joins`` maps join keys to objects with ``alias``, ``onclause`` and
    ``outer``; ``required`` holds the aliases (tables) that a top-level
    WHERE condition rejects NULL-extended rows of.
    """
    by_alias = {id(join.alias): key for key, join in joins.items()}
    demoted: set[Any] = set()
    pending = [by_alias[id(alias)] for alias in required if id(alias) in by_alias]
    while pending:
        key = pending.pop()
        if key in demoted:
            continue
        demoted.add(key)
        join = joins[key]
        tables = _equality_tables(join.onclause)
        for table in tables or ():
            parent = by_alias.get(id(table))
            if parent is not None and table is not join.alias:
                pending.append(parent)
    return {key for key in demoted if joins[key].outer}


class NullRejection:
    """Collect, while WHERE compiles, the aliases it rejects NULL rows of.

    ``active`` is True while compiling a condition whose falsity drops the
    row: the WHERE clause's top-level AND, and, through an OR, what every
    branch of the OR rejects. ``negated`` tracks an odd number of NOTs
    (De Morgan turns OR into AND beneath a NOT); below a NOT only
    ``isnull=True`` still rejects NULL (manouche keeps NULL rows for every
    other negated lookup).
    """

    def __init__(self) -> None:
        self.active = False
        self.negated = False
        self.required: list[Any] = []

    def leaf(self, lookups: list[str], value: Any, table: Any) -> None:
        """Note a ``table.column__<lookups>=value`` condition."""
        if not self.active:
            return
        if self.negated:
            rejected = lookups == ["isnull"] and value is True
        else:
            rejected = rejects_null(lookups, value)
        if rejected:
            self.required.append(table)

    def compile_children(
        self, q: Any, compile_child: Callable[[Any], Any]
    ) -> list[Any]:
        """Compile ``q``'s children with ``compile_child``, tracking rejections."""
        active, negated, outer = self.active, self.negated, self.required
        self.negated = negated != bool(q.negated)
        connector = q.connector
        if connector not in ("AND", "OR") or not active:
            self.active = False
            try:
                return [compile_child(child) for child in q.children]
            finally:
                self.active, self.negated = active, negated
        # Beneath an odd number of NOTs, AND and OR swap roles.
        alternatives = len(q.children) > 1 and (connector == "OR") != self.negated
        parts: list[Any] = []
        common: set[int] | None = None
        by_id: dict[int, Any] = {}
        try:
            for child in q.children:
                if alternatives:
                    self.required = []
                parts.append(compile_child(child))
                if alternatives:
                    found = {id(table) for table in self.required}
                    by_id.update((id(table), table) for table in self.required)
                    common = found if common is None else common & found
        finally:
            self.active, self.negated, self.required = active, negated, outer
        if common:
            outer.extend(by_id[key] for key in common)
        return parts
