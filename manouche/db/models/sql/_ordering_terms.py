"""Helpers for ORDER BY: related Meta.ordering expressions, duplicate terms."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa


def prefix_references(expression: Any, prefix: str) -> Any:
    """Return a copy of ``expression`` whose F() names start with ``prefix``.

    A related model's Meta.ordering is written from that model's point of
    view; ordering by the relation follows it through ``prefix``.
    """
    from manouche.db.models.expressions import F, OuterRef

    clone = copy.deepcopy(expression)
    pending = [clone]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, F) and not isinstance(node, OuterRef):
            node.name = f"{prefix}{node.name}"
            continue
        getter = getattr(node, "get_source_expressions", None)
        if getter is not None:
            pending.extend(sub for sub in getter() if sub is not None)
    return clone


def _column_key(term: Any) -> tuple[str, str] | None:
    """Return (table, column) for a plain column term, whatever its direction."""
    element = term
    while isinstance(element, sa.sql.elements.UnaryExpression):
        element = element.element
    if isinstance(element, sa.sql.elements.ColumnClause) and element.table is not None:
        return (str(getattr(element.table, "name", "")), element.name)
    return None


def drop_duplicate_terms(terms: list[Any]) -> list[Any]:
    """Keep only the first ORDER BY term of each column (later ones are moot)."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for term in terms:
        key = _column_key(term)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        kept.append(term)
    return kept
