"""ORDER BY terms that a SELECT DISTINCT does not select.

PostgreSQL (and the SQL standard) refuse ``SELECT DISTINCT a ... ORDER BY b``.
As in Django, the ordering values become part of what is made distinct: the
DISTINCT select gains them as extra columns, and an outer SELECT orders by
them while returning only the columns asked for. Rows identical in the
selected columns but not in the ordering ones therefore come back once per
ordering value. This module builds that statement; it runs nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnClause, Label, UnaryExpression
from sqlalchemy.sql.visitors import replacement_traverse

__all__ = ["order_outside_distinct"]

_EXTRA_LABEL = "__orderbycol{index}"


def _ordered_value(term: Any) -> Any:
    """Return what an ORDER BY term orders by, without ASC/DESC/NULLS."""
    while isinstance(term, UnaryExpression) and term.modifier is not None:
        term = term.element
    return term


def _selected_index(value: Any, selected: list[Any]) -> int | None:
    """Return the position of ``value`` among the selected columns, if there."""
    for index, column in enumerate(selected):
        if isinstance(value, ColumnClause) and value.table is None:
            # A bare label: ORDER BY names a selected annotation.
            if isinstance(column, Label) and column.name == value.name:
                return index
            continue
        inner = column.element if isinstance(column, Label) else column
        if value is inner or value.compare(inner):
            return index
    return None


def _swap(term: Any, value: Any, replacement: Any) -> Any:
    """Return a copy of ``term`` ordering by ``replacement`` instead of ``value``."""

    def replace(element: Any, **kw: Any) -> Any:
        return replacement if element is value else None

    return replacement_traverse(term, {}, replace)


def order_outside_distinct(statement: Any, order: list[Any]) -> Any | None:
    """Return ``statement`` (DISTINCT) ordered by ``order``, or None if plain.

    None means every ordering value is selected already: the caller orders
    ``statement`` itself.
    """
    selected = list(statement.selected_columns)
    positions: list[int | None] = [
        _selected_index(_ordered_value(term), selected) for term in order
    ]
    if all(position is not None for position in positions):
        return None
    extra = [
        _ordered_value(term).label(_EXTRA_LABEL.format(index=index))
        for index, (term, position) in enumerate(zip(order, positions, strict=True))
        if position is None
    ]
    derived = statement.add_columns(*extra).subquery()
    columns = list(derived.c)
    outer_terms = []
    for index, (term, position) in enumerate(zip(order, positions, strict=True)):
        value = _ordered_value(term)
        replacement = (
            columns[position]
            if position is not None
            else derived.c[_EXTRA_LABEL.format(index=index)]
        )
        outer_terms.append(_swap(term, value, replacement))
    return (
        sa.select(*columns[: len(selected)]).select_from(derived).order_by(*outer_terms)
    )
