"""GROUP BY terms for a subquery annotation: the outer columns it reads.

Grouping by a correlated subquery repeats it in the GROUP BY; the columns
of the enclosing query's own table it reads determine its value just as
well. Raw SQL inside the subquery may read columns nobody can see, and a
joined table's columns may vary within one row, so then the subquery itself
is grouped by (the compiler decides, see ``_group_terms``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import ColumnClause, TextClause

__all__ = ["outer_columns"]


def outer_columns(element: Any, tables: Iterable[Any]) -> list[Any] | None:
    """Return the columns of ``tables`` that ``element`` reads.

    None when ``element`` holds SQL text (its references are unknown).
    """
    from manouche.db.models._as_sql import SQLFragment

    own = {id(table) for table in tables}
    found: list[Any] = []
    seen: set[int] = set()
    for node in visitors.iterate(element):
        if isinstance(node, (TextClause, SQLFragment)):
            return None
        if (
            isinstance(node, ColumnClause)
            and id(node.table) in own
            and id(node) not in seen
        ):
            seen.add(id(node))
            found.append(node)
    return found
