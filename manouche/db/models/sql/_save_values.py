"""Expressions as values of ``Model.save()``: what an INSERT or UPDATE allows.

An INSERT has no row to read yet, so a value may not refer to a column
(``F("count") + 1``); neither statement can aggregate, use a window, or join
another table. The errors name the field and the offending expression.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError

__all__ = ["column_references", "compile_save_values"]


def compile_save_values(
    model: Any, values: dict[str, Any], *, insert: bool
) -> dict[str, Any]:
    """Compile the expressions among ``values`` (keyed by attname) for saving."""
    if not any(hasattr(value, "as_sa") for value in values.values()):
        return values
    from manouche.db.models.sql.compiler import SQLCompiler
    from manouche.db.models.sql.query import Query

    compiler = SQLCompiler(Query(model), None, for_update_statement=True)
    compiled: dict[str, Any] = {}
    for attname, value in values.items():
        if not hasattr(value, "as_sa"):
            compiled[attname] = value
            continue
        field = _field(model, attname)
        _check_expression(model, field, value, insert)
        joins = dict(compiler.joins)
        compiled[attname] = value.as_sa(compiler)
        if compiler.joins != joins:
            raise FieldError("Joined field references are not permitted in this query")
    return compiled


def _field(model: Any, attname: str) -> Any:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    return model._meta.get_field(attname)


def _check_expression(model: Any, field: Any, value: Any, insert: bool) -> None:
    name = getattr(field, "name", field)
    if getattr(value, "contains_aggregate", False):
        raise FieldError(
            f"Aggregate functions are not allowed in this query ({name}={value!r})."
        )
    if getattr(value, "contains_over_clause", False):
        raise FieldError(
            f"Window expressions are not allowed in this query ({name}={value!r})."
        )
    if insert and _refers_to_columns(value):
        raise ValueError(
            f'Failed to insert expression "{_shown(model, value)}" on {field}. '
            "F() expressions can only be used to update, not to insert."
        )


def column_references(value: Any, lookups: bool = True) -> list[Any]:
    """Return the F() references in ``value`` (not those of a subquery).

    With ``lookups``, the (lookup, value) tuples of Q objects count too.
    """
    from manouche.db.models.expressions import F, OuterRef

    flatten = getattr(value, "flatten", None)
    if flatten is None:
        return []
    return [
        node
        for node in flatten()
        if (isinstance(node, F) and not isinstance(node, OuterRef))
        or (lookups and isinstance(node, tuple))  # ("field__gt", value)
    ]


def _refers_to_columns(value: Any) -> bool:
    return bool(column_references(value))


def _shown(model: Any, value: Any) -> Any:
    """Show ``value`` with its references as the columns they stand for."""
    from manouche.db.models.expressions import Col, F

    table = model._meta.sa_table
    replacements: dict[Any, Any] = {}
    for reference in column_references(value):
        if not isinstance(reference, F):
            continue
        try:
            field = model._meta.get_field(reference.name)
        except FieldDoesNotExist:  # a path or "pk": shown as written
            continue
        column = getattr(field, "column", None)
        if column is not None and column in table.c:
            replacements[reference] = Col(table.c[column], field)
    replace = getattr(value, "replace_expressions", None)
    if not replacements or replace is None:
        return value
    return replace(replacements)
