"""aggregate() and count() over rows that must first be computed in a subquery.

Aggregating a sliced, distinct or combined query, one that already has
aggregate annotations, or one whose aggregates read a subquery or window
annotation, cannot be done in the same SELECT: the rows are computed by an
inner query (the original one) and aggregated by an outer one.

Each aggregate's arguments and filter are moved into the inner query as
extra selected columns, compiled there with the inner query's joins,
annotations and grouping; the outer aggregate reads those columns. An
argument naming an annotation reads that annotation's column, under its
own name.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression, F, Star, Value

__all__ = [
    "DerivedColumn",
    "hoist_aggregates",
    "needs_wrapping",
    "type_pending",
    "unselected_aggregates",
]

# Inner-query column names of moved arguments and filters.
_HIDDEN = "manouche_arg_{}"


def needs_wrapping(query: Any, aggregates: dict[str, Any]) -> bool:
    """Tell whether ``aggregates`` must read the rows of a subquery."""
    if (
        query.distinct
        or query.is_sliced
        or query.combinator
        or query.has_aggregate_annotation
    ):
        return True
    refs: set[str] = set()
    for aggregate in aggregates.values():
        refs |= _refs(aggregate)
    return any(
        _reads_subquery_or_window(query.annotations[name], query.annotations)
        for name in refs
        if name in query.annotations
    )


def _refs(expression: Any) -> set[str]:
    """Return the names an aggregate refers to, in its arguments and filter."""
    from manouche.db.models.query_utils import Q

    if isinstance(expression, Q):
        return _condition_refs(expression)
    if isinstance(expression, (list, tuple)):
        refs: set[str] = set()
        for item in expression:
            refs |= _refs(item)
        return refs
    refs = set(getattr(expression, "get_refs", set)())
    condition = getattr(expression, "filter", None)
    if condition is not None:
        refs |= _condition_refs(condition)
    for source in getattr(expression, "get_source_expressions", list)():
        refs |= _refs(source)
    return refs


def _condition_refs(condition: Any) -> set[str]:
    from manouche.db.models.query_utils import LOOKUP_SEP, Q

    if not isinstance(condition, Q):
        return _refs(condition)
    refs: set[str] = set()
    for child in condition.children:
        if isinstance(child, tuple):
            refs.add(child[0].split(LOOKUP_SEP)[0])
            refs |= _refs(child[1])
        else:
            refs |= _condition_refs(child)
    return refs


def _reads_subquery_or_window(
    expression: Any, annotations: dict[str, Any], seen: frozenset[str] = frozenset()
) -> bool:
    """Tell whether ``expression`` (or an annotation it names) is not plain."""
    from manouche.db.models._expressions_subquery import Subquery

    if isinstance(expression, Subquery) or getattr(
        expression, "contains_over_clause", False
    ):
        return True
    if isinstance(expression, F):
        name = expression.name
        if name in annotations and name not in seen:
            return _reads_subquery_or_window(
                annotations[name], annotations, seen | {name}
            )
        return False
    sources = getattr(expression, "get_source_expressions", None)
    return sources is not None and any(
        _reads_subquery_or_window(source, annotations, seen) for source in sources()
    )


def _aggregates(expression: Any, annotations: dict[str, Any]) -> bool:
    """Tell whether ``expression`` aggregates, directly or through annotations."""
    if getattr(expression, "contains_aggregate", False):
        return True
    return any(
        getattr(annotations.get(name), "contains_aggregate", False)
        for name in _refs(expression)
    )


class _Moved(Expression):
    """An aggregate's argument or filter, selected by the inner query."""

    def __init__(self, expression: Any, aggregates: bool) -> None:
        super().__init__()
        self.expression = expression
        self.aggregates = aggregates

    @property
    def contains_aggregate(self) -> bool:  # type: ignore[override]
        return self.aggregates

    def get_source_expressions(self) -> list[Any]:
        return [self.expression]

    def as_sa(self, compiler: Any) -> Any:
        return compiler.compile_expression(self.expression)


class DerivedColumn(Expression):
    """A column of the inner query, read by an outer aggregate."""

    def __init__(self, name: str, output_field: Any = None) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.name!r})"

    def as_sa(self, compiler: Any) -> Any:
        column = compiler.derived.c[self.name]
        type_ = self.sa_type() if self._output_field is not None else None
        return sa.type_coerce(column, type_) if type_ is not None else column

    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self.name)


class _Hoister:
    """Move aggregates' arguments into the inner query ``inner``."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.moved: list[tuple[str, Any]] = []
        self.selected: list[str] = []

    def aggregate(self, expression: Any) -> Any:
        """Return ``expression`` reading the inner query's columns."""
        from manouche.db.models.aggregates import Aggregate

        if isinstance(expression, Aggregate):
            clone = copy.copy(expression)
            clone.set_source_expressions(
                [self._argument(source) for source in expression.source_expressions]
            )
            if expression.filter is not None:
                clone.filter = self._condition(expression.filter)
            return clone
        sources = getattr(expression, "get_source_expressions", None)
        if sources is None or not getattr(expression, "contains_aggregate", False):
            return expression
        clone = copy.copy(expression)
        clone.set_source_expressions([self.aggregate(source) for source in sources()])
        return clone

    def _argument(self, source: Any) -> Any:
        if isinstance(source, (Star, Value)):
            return source
        if isinstance(source, F) and source.name in self.inner.annotations:
            if source.name not in self.selected:
                self.selected.append(source.name)
            return _Pending(source.name, source)
        name = _HIDDEN.format(len(self.moved))
        moved = _Moved(source, _aggregates(source, self.inner.annotations))
        self.moved.append((name, moved))
        return _Pending(name, source)

    def _condition(self, condition: Any) -> Any:
        name = _HIDDEN.format(len(self.moved))
        aggregates = _aggregates(condition, self.inner.annotations)
        self.moved.append((name, _Moved(condition, aggregates)))
        return DerivedColumn(name)


class _Pending(DerivedColumn):
    """A DerivedColumn whose type is learned once the inner query compiles."""

    def __init__(self, name: str, source: Any) -> None:
        super().__init__(name)
        self.source = source


def hoist_aggregates(
    query: Any, aggregates: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """Return the inner query and the aggregates rewritten to read its columns."""
    inner = query.clone()
    inner.clear_ordering(force=not query.is_sliced)
    hoister = _Hoister(inner)
    rewritten = {
        alias: hoister.aggregate(aggregate) for alias, aggregate in aggregates.items()
    }
    names = [*hoister.selected, *(name for name, _ in hoister.moved)]
    if inner.distinct or inner.combinator:
        # The selected columns decide which rows are distinct: keep them.
        for name, expression in hoister.moved:
            inner.add_annotation(name, expression)
        for name in hoister.selected:
            if inner.annotation_select_mask is not None:
                inner.annotation_select_mask.add(name)
        if inner.values_select is not None:
            missing = [name for name in names if name not in inner.values_select]
            inner.values_select = (*inner.values_select, *missing)
            inner.values_names = (*inner.values_names, *missing)
    else:
        for name, expression in hoister.moved:
            inner.annotations[name] = expression
        if inner.has_aggregate_annotation and inner.values_select is None:
            inner.aggregate_grouping = True
        inner.values_select = tuple(names) if names else ("pk",)
        inner.values_names = inner.values_select
        inner.annotation_select_mask = set(names)
    return inner, rewritten


def type_pending(aggregates: dict[str, Any], inner_compiler: Any) -> None:
    """Give each moved argument the type it has in the inner query."""
    from manouche.db.models._expressions_types import typed_copy

    for aggregate in aggregates.values():
        for expression in _walk(aggregate):
            if isinstance(expression, _Pending) and expression._output_field is None:
                typed = typed_copy(expression.source, inner_compiler)
                field = getattr(typed, "_output_field_or_none", None)
                if field is not None:
                    expression.output_field = field


def _walk(expression: Any) -> list[Any]:
    found = [expression]
    for source in getattr(expression, "get_source_expressions", list)():
        found.extend(_walk(source))
    return found


def unselected_aggregates(query: Any) -> Any:
    """Return ``query`` without its aggregate annotations selected (for count()).

    The rows stay grouped as before; the aggregates are only computed if a
    filter needs them.
    """
    if query.values_select is not None:
        # values() rows are told apart by their selected columns.
        return query
    inner = query.clone()
    selected = set(inner.annotation_select)
    inner.annotation_select_mask = {
        name
        for name in selected
        if not getattr(inner.annotations[name], "contains_aggregate", False)
    }
    return inner
