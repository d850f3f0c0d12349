"""Facts about compiled WHERE conditions the compiler acts on.

A lookup that can decide its result without the database (an integer out of
the column's range, an empty ``__in``) compiles to a constant. When a
top-level condition of the WHERE clause is constant false, the query can
return no row, and the QuerySet skips the round trip, as Django does for
``EmptyResultSet``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import AsBoolean, False_, True_

__all__ = ["NO_ROWS", "compound_is_empty", "is_always_false", "returns_no_rows"]


def is_always_false(condition: Any) -> bool:
    """Whether ``condition`` is a constant false (as SQLAlchemy folds them)."""
    if isinstance(condition, False_):
        return True
    if isinstance(condition, AsBoolean):
        # and_()/or_() fold to a boolean wrapper around the constant.
        if condition.operator is operators.is_true:
            return isinstance(condition.element, False_)
        if condition.operator is operators.is_false:
            return isinstance(condition.element, True_)
    return False


class _NoRows:
    """Stands for the result of a statement that was not sent."""

    rows: tuple[Any, ...] = ()


NO_ROWS = _NoRows()


def returns_no_rows(compiler: Any) -> bool:
    """Whether the statement ``compiler`` just built can be skipped as empty.

    Only for plain row selections: an aggregate without GROUP BY still
    yields one row over no input, so those statements are sent anyway. A
    combined query's compiler says so itself (see ``compound_is_empty``).
    """
    query = compiler.query
    if query.combinator:
        return bool(compiler.where_always_false)
    return bool(
        compiler.where_always_false
        and not query.has_aggregate_annotation
        and query.group_by is None
    )


def compound_is_empty(combinator: str, members: list[Any]) -> bool:
    """Whether a UNION/INTERSECT/EXCEPT of the compiled ``members`` has no row."""
    empty = [member.query.is_empty or returns_no_rows(member) for member in members]
    if combinator == "union":
        return all(empty)
    if combinator == "intersection":
        return any(empty)
    return empty[0]  # difference: what the first member has, minus the rest
