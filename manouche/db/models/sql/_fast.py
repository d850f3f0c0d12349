"""Reuse compiled statements for the hottest query shape: one equality filter.

``Model.objects.get(pk=...)`` and ``filter(field=value)`` build the same
statement over and over; here it is built once per shape with a bound
parameter, so only the value changes. SQLAlchemy then also reuses its compiled
form without recomputing the statement's cache key.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.expressions import Expression

__all__ = ["fast_statement"]

_MAX_ENTRIES = 256


class _Parameter(Expression):
    """A named bound parameter standing for the filter value."""

    def as_sa(self, compiler: Any) -> Any:
        return sa.bindparam("fast_value")


def _single_lookup(query: Any) -> tuple[str, Any] | None:
    if len(query.where) != 1:
        return None
    node = query.where[0]
    if node.negated or len(node.children) != 1:
        return None
    child = node.children[0]
    if not isinstance(child, tuple):
        return None
    return child


def _eligible(query: Any) -> bool:
    return not (
        query.is_empty
        or query.annotations
        or query.values_select is not None
        or query.select_related
        or query.deferred_loading[0]
        or query.distinct
        or query.select_for_update
        or query.combinator
        or query.group_by is not None
        or query.exists_only
    )


def fast_statement(query: Any, connection: Any) -> tuple[Any, Any, Any] | None:
    """Return (statement, parameters, compiler) from the cache, or None."""
    if not _eligible(query):
        return None
    lookup = _single_lookup(query)
    if lookup is None:
        return None
    name, value = lookup
    if value is None or hasattr(value, "as_sa") or hasattr(value, "_fetch_operation"):
        return None
    if name.endswith("__exact"):
        name = name[:-7]
    opts = query.model._meta
    if "__" in name:
        return None
    try:
        field = opts.pk if name == "pk" else opts.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.model._meta.concrete_model is not (
        opts.concrete_model
    ):
        return None
    if hasattr(value, "_meta"):
        target = getattr(field, "target_field", None)
        value = getattr(value, target.attname if target is not None else "pk")
    key = (
        connection.vendor,
        field.attname,
        query.order_by,
        query.default_ordering,
        query.standard_ordering,
        query.low_mark,
        query.high_mark,
    )
    cache = opts.__dict__.setdefault("_fast_statements", {})
    entry = cache.get(key)
    if entry is None:
        if not all(isinstance(item, str) for item in query.order_by):
            return None
        from manouche.db.models.query_utils import Q
        from manouche.db.models.sql.compiler import SQLCompiler

        template = query.clone()
        template.where = [Q((f"{field.attname}__exact", _Parameter()))]
        compiler = SQLCompiler(template, connection)
        # The database layer may replay this SELECT on the DBAPI cursor.
        statement = compiler.as_select().execution_options(manouche_direct=True)
        if len(cache) >= _MAX_ENTRIES:
            cache.clear()
        entry = cache[key] = (statement, compiler, field)
    statement, compiler, field = entry
    return statement, {"fast_value": field.get_prep_value(value)}, compiler
