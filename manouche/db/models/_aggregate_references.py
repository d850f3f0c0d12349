"""aggregate() arguments naming another aggregate of the same call.

``aggregate(total=Count("book"), safe=Coalesce("total", 0))``: each alias
becomes usable by the aggregates after it, as an annotation would. A
function over an earlier aggregate reads that aggregate (it is inlined);
an aggregate of an aggregate cannot be computed in one SELECT and raises
FieldError.
"""

from __future__ import annotations

import copy
from typing import Any

from manouche.core.exceptions import FieldError

__all__ = [
    "check_aggregate_sources",
    "inline_aggregate_references",
    "refers_to_aggregate",
]


def inline_aggregate_references(
    aggregates: dict[str, Any], shadowed: Any
) -> dict[str, Any]:
    """Return ``aggregates`` with references to earlier aliases inlined.

    An alias for which ``shadowed(alias)`` is true (a field or annotation
    of the same name) keeps naming that field.
    """
    done: dict[str, Any] = {}
    usable: dict[str, Any] = {}
    for alias, expression in aggregates.items():
        done[alias] = _inline(expression, usable, None) if usable else expression
        if not shadowed(alias):
            usable[alias] = done[alias]
    return done


def _inline(expression: Any, earlier: dict[str, Any], aggregate: Any) -> Any:
    from manouche.db.models.aggregates import Aggregate
    from manouche.db.models.expressions import F, OuterRef

    if isinstance(expression, F) and not isinstance(expression, OuterRef):
        if expression.name not in earlier:
            return expression
        if aggregate is not None:
            raise FieldError(
                f"Cannot compute {aggregate.name}('{expression.name}'): "
                f"'{expression.name}' is an aggregate"
            )
        return earlier[expression.name]
    sources = getattr(expression, "get_source_expressions", None)
    if sources is None or not hasattr(expression, "set_source_expressions"):
        return expression
    current = sources()
    if not current:
        return expression
    inner = expression if isinstance(expression, Aggregate) else aggregate
    replaced = [_inline(source, earlier, inner) for source in current]
    return with_sources(expression, current, replaced)


def with_sources(expression: Any, current: list[Any], replaced: list[Any]) -> Any:
    """``expression`` itself if no source changed, else a copy using ``replaced``."""
    if all(new is old for new, old in zip(replaced, current, strict=True)):
        return expression
    clone = copy.copy(expression)
    clone.set_source_expressions(replaced)
    return clone


def check_aggregate_sources(expression: Any, annotations: dict[str, Any]) -> None:
    """Raise FieldError for an aggregate in ``expression`` over an aggregate.

    ``annotate(Max("id")).annotate(Sum("id__max"))`` would need two levels of
    grouping in one SELECT; aggregate() (which wraps a subquery) allows it.
    """
    from manouche.db.models.aggregates import Aggregate

    sources = getattr(expression, "get_source_expressions", None)
    if sources is None:
        return
    for source in sources():
        if isinstance(expression, Aggregate) and refers_to_aggregate(
            source, annotations
        ):
            name = getattr(source, "name", None)
            shown = name if isinstance(name, str) else repr(source)
            raise FieldError(
                f"Cannot compute {expression.name}('{shown}'): '{shown}' is an "
                "aggregate"
            )
        check_aggregate_sources(source, annotations)


def refers_to_aggregate(
    expression: Any, annotations: dict[str, Any], seen: frozenset[str] = frozenset()
) -> bool:
    """Tell whether ``expression`` aggregates, itself or through annotations.

    ``F("total") + 1`` over ``total=Max(...)`` is computed per group: it is
    never a GROUP BY term.
    """
    from manouche.db.models.expressions import F, OuterRef

    if getattr(expression, "contains_aggregate", False):
        return True
    if isinstance(expression, F) and not isinstance(expression, OuterRef):
        name = expression.name
        if not isinstance(name, str) or name in seen or name not in annotations:
            return False
        return refers_to_aggregate(annotations[name], annotations, seen | {name})
    sources = getattr(expression, "get_source_expressions", None)
    if sources is None:
        return False
    return any(
        refers_to_aggregate(source, annotations, seen)
        for source in sources()
        if source is not None
    )
