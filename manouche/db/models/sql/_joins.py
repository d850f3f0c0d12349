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
    "AnyOf",
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


def _join_key(required: Any, by_alias: Mapping[int, Any]) -> Any:
    """The join key of a required alias, or the key itself (a tuple)."""
    if isinstance(required, tuple):
        return required
    return by_alias.get(id(required))


class AnyOf:
    """What an OR requires: whatever each of its branches requires.

    Kept as the branches' own lists: a join one branch requires directly
    and another through a join hanging from it (``a__b=1 | a=2``) is
    required by both, which only the joins' conditions tell.
    """

    __slots__ = ("branches",)

    def __init__(self, branches: list[list[Any]]) -> None:
        self.branches = branches


def inner_join_keys(joins: Mapping[Any, Any], required: Iterable[Any]) -> set[Any]:
    """Keys of the LEFT OUTER ``joins`` that may be INNER.

    ``joins`` maps join keys to objects with ``alias``, ``onclause`` and
    ``outer``; ``required`` holds the aliases (tables) that a top-level
    WHERE condition rejects NULL-extended rows of, the keys of joins along
    a foreign key the condition requires not NULL, and ``AnyOf`` entries.
    """
    by_alias = {id(join.alias): key for key, join in joins.items()}
    demoted = _required_keys(joins, by_alias, required)
    return {key for key in demoted if joins[key].outer}


def _required_keys(
    joins: Mapping[Any, Any], by_alias: Mapping[int, Any], required: Iterable[Any]
) -> set[Any]:
    """The keys of the joins ``required`` needs, with those they hang from."""
    pending: list[Any] = []
    for entry in required:
        if isinstance(entry, AnyOf):
            branches = [_required_keys(joins, by_alias, b) for b in entry.branches]
            pending.extend(set.intersection(*branches) if branches else ())
        elif (key := _join_key(entry, by_alias)) in joins:
            pending.append(key)
    demoted: set[Any] = set()
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
    return demoted


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
        """Note a ``table.column__<lookups>=value`` condition.

        ``table`` may also be the key of the join a foreign key column leads
        to (see ``inner_join_keys``).
        """
        if not self.active:
            return
        if value is None and lookups in ([], ["exact"]):
            lookups, value = ["isnull"], True  # ``x=None`` means ``x__isnull=True``
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
        branches: list[list[Any]] = []
        try:
            for child in q.children:
                if alternatives:
                    self.required = []
                    branches.append(self.required)
                parts.append(compile_child(child))
        finally:
            self.active, self.negated, self.required = active, negated, outer
        if branches and all(branches):
            outer.append(AnyOf(branches))
        return parts
