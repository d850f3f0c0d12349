"""Checks an expression makes when it is added to a query, before compiling.

Most mistakes surface when the query is compiled; a few are reported as soon
as ``annotate()`` is called, as Django does: an expression defining
``check_query_sources(query, outer)`` is handed the query it reads (and, in a
subquery, the enclosing query its ``OuterRef`` sources point to).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["check_query_sources"]


def check_query_sources(expression: Any, query: Any, outer: Any = None) -> None:
    """Run the ``check_query_sources`` hooks of ``expression`` and its parts."""
    check = getattr(expression, "check_query_sources", None)
    if check is not None:
        check(query, outer)
    inner = getattr(expression, "query", None)
    if inner is not None and hasattr(inner, "annotations") and hasattr(inner, "where"):
        for part in _query_expressions(inner):
            check_query_sources(part, inner, query)
    sources = getattr(expression, "get_source_expressions", None)
    if sources is not None:
        for source in sources():
            if source is not None:
                check_query_sources(source, query, outer)


def _query_expressions(query: Any) -> Iterator[Any]:
    """Yield a subquery's annotations and the expressions its filters compare to."""
    yield from query.annotations.values()
    for condition in query.where:
        flatten = getattr(condition, "flatten", None)
        if flatten is None:
            continue
        for child in flatten():
            if isinstance(child, tuple) and len(child) == 2:
                value = child[1]
                if hasattr(value, "get_source_expressions"):
                    yield value
