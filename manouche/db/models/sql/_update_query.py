"""What an UPDATE keeps of a queryset's annotations, and what it refuses.

An UPDATE writes one plain value per row: it can neither write an aggregate
nor be ordered by one. An aggregate annotation that a filter uses still
decides which rows are updated (the compiler filters on the primary keys of
a grouped subquery); the aggregates nothing filters on are dropped, so they
add no join. Nothing here runs a query.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db.models.query_utils import LOOKUP_SEP, Q
from manouche.db.models.sql._save_values import column_references

__all__ = ["update_query"]


def update_query(query: Any, values: list[tuple[Any, Any]]) -> Any:
    """Return a copy of ``query`` ready to compile as ``UPDATE ... SET values``.

    Raises FieldError for a value or an ordering that uses an aggregate.
    """
    aggregates = {
        name: annotation
        for name, annotation in query.annotations.items()
        if getattr(annotation, "contains_aggregate", False)
    }
    model = query.model
    for field, value in values:
        for name in _referenced_names(value) & set(aggregates):
            aggregate = aggregates[name]
            if _joins(model, aggregate):
                raise FieldError(
                    "Joined field references are not permitted in this query"
                )
            raise FieldError(
                "Aggregate functions are not allowed in this query "
                f"({field.name}={_resolved(model, aggregate)!r})."
            )
    for item in query.order_by:
        name = item.lstrip("-+") if isinstance(item, str) else ""
        if name in aggregates:
            raise FieldError(
                "Cannot update when ordering by an aggregate: "
                f"{_resolved(model, aggregates[name])!r}"
            )
    filtered = _filter_names(query)
    clone = query.clone()
    clone.annotations = {
        name: annotation
        for name, annotation in query.annotations.items()
        if name not in aggregates or name in filtered
    }
    clone.clear_ordering(force=True)
    return clone


def _referenced_names(value: Any) -> set[str]:
    return {
        node.name.split(LOOKUP_SEP, 1)[0]
        for node in column_references(value, lookups=False)
    }


def _filter_names(query: Any) -> set[str]:
    """Return the first names of every path and reference the filters use."""
    names: set[str] = set()
    pending = list(query.where)
    while pending:
        node = pending.pop()
        if isinstance(node, Q):
            pending.extend(node.children)
        elif isinstance(node, tuple):
            parts = str(node[0]).split(LOOKUP_SEP)
            # An annotation may be named with "__": keep every prefix.
            names.update(
                LOOKUP_SEP.join(parts[:count]) for count in range(1, len(parts) + 1)
            )
            names |= _referenced_names(node[1])
        else:
            names |= _referenced_names(node)
    return names


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.pk if name == "pk" else model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _joins(model: Any, expression: Any) -> bool:
    """Whether ``expression`` reads a column of another table."""
    for node in column_references(expression, lookups=False):
        field = _field(model, node.name.split(LOOKUP_SEP, 1)[0])
        if field is not None and field.is_relation and LOOKUP_SEP in node.name:
            return True
    return False


def _resolved(model: Any, expression: Any) -> Any:
    """Show ``expression`` with its references as the columns they read."""
    from manouche.db.models.expressions import Col

    replacements: dict[Any, Any] = {}
    for node in column_references(expression, lookups=False):
        field = _field(model, node.name)
        if field is None:
            continue
        if field.many_to_many and hasattr(field, "m2m_reverse_field_name"):
            through = field.remote_field.through
            key = through._meta.get_field(field.m2m_reverse_field_name())
            table = through._meta.sa_table
            replacements[node] = Col(table.c[key.column], key)
        elif getattr(field, "column", None) is not None:
            table = model._meta.sa_table
            if field.column in table.c:
                replacements[node] = Col(table.c[field.column], field)
    replace = getattr(expression, "replace_expressions", None)
    if not replacements or replace is None:
        return expression
    return replace(replacements)
