"""Boolean trees of SQL conditions built by hand.

manouche's compiler works on ``Q`` trees, but code written against the
``as_sql(compiler, connection)`` protocol (custom lookups, custom expressions)
combines conditions as ``WhereNode`` trees. A node renders its children joined
by its connector and follows the two rules that keep SQL minimal:

* a child that can match nothing raises ``EmptyResultSet`` when it decides
  the whole node (always for AND, only when every child is empty for OR);
* a child that matches everything raises ``FullResultSet`` likewise, and a
  negated node swaps the two.

A ``WhereNode`` or ``NothingNode`` may also be given to ``Q()`` or ``filter()``:
both compile to SQLAlchemy conditions as well.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import EmptyResultSet, FullResultSet

__all__ = ["AND", "OR", "XOR", "NothingNode", "WhereNode"]

AND = "AND"
OR = "OR"
XOR = "XOR"


class WhereNode:
    """A connector (AND, OR, XOR) applied to child conditions, maybe negated."""

    conditional = True
    contains_aggregate = False

    def __init__(
        self,
        children: list[Any] | None = None,
        connector: str = AND,
        negated: bool = False,
    ) -> None:
        if connector not in (AND, OR, XOR):
            raise ValueError(f"Unknown connector {connector!r}; use AND, OR or XOR.")
        self.children = list(children or [])
        self.connector = connector
        self.negated = negated

    def __repr__(self) -> str:
        prefix = "NOT " if self.negated else ""
        return f"<{type(self).__name__}: {prefix}({self.connector}: {self.children!r})>"

    def __bool__(self) -> bool:
        return bool(self.children)

    def __len__(self) -> int:
        return len(self.children)

    def add(self, child: Any) -> None:
        """Append a child condition."""
        self.children.append(child)

    def negate(self) -> None:
        """Invert the condition in place."""
        self.negated = not self.negated

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        """Render ``(child <connector> child ...)`` and its parameters."""
        if self.connector == XOR:
            raise ValueError("XOR nodes are compiled by the query compiler only.")
        parts: list[str] = []
        params: list[Any] = []
        total = len(self.children)
        empty = full = 0
        for child in self.children:
            try:
                sql, child_params = compiler.compile(child)
            except EmptyResultSet:
                empty += 1
            except FullResultSet:
                full += 1
            else:
                if sql:
                    parts.append(sql)
                    params.extend(child_params)
                else:
                    full += 1
            decided = self._decided(total, empty, full)
            if decided is not None:
                raise decided
        decided = self._decided(total, empty, full, finished=True)
        if decided is not None:
            raise decided
        sql = f" {self.connector} ".join(parts)
        if self.negated:
            return f"NOT ({sql})", params
        if len(parts) > 1:
            return f"({sql})", params
        return sql, params

    def _decided(
        self, total: int, empty: int, full: int, finished: bool = False
    ) -> Exception | None:
        # Which outcome fixes the node's value whatever the other children are.
        if self.connector == AND:
            all_empty, all_full = empty > 0, finished and full == total
        else:
            all_empty, all_full = finished and empty == total, full > 0
        if all_empty:
            return FullResultSet() if self.negated else EmptyResultSet()
        if all_full:
            return EmptyResultSet() if self.negated else FullResultSet()
        return None

    def as_sa(self, compiler: Any) -> Any:
        """Compile to a SQLAlchemy condition (children through ``compiler``)."""
        parts = [compiler.compile_condition(child) for child in self.children]
        if not parts:
            condition: Any = sa.true()
        elif self.connector == OR:
            condition = sa.or_(*parts)
        elif self.connector == XOR:
            ones: Any = sum(sa.case((part, 1), else_=0) for part in parts)
            condition = (ones % 2) == 1
        else:
            condition = sa.and_(*parts)
        return sa.not_(condition) if self.negated else condition


class NothingNode:
    """A condition that matches no row."""

    conditional = True
    contains_aggregate = False

    def __repr__(self) -> str:
        return "NothingNode()"

    def as_sql(
        self, compiler: Any = None, connection: Any = None
    ) -> tuple[str, list[Any]]:
        """Refuse to render: the enclosing query can return no rows."""
        raise EmptyResultSet

    def as_sa(self, compiler: Any) -> Any:
        """Compile to an always-false condition."""
        return sa.false()
