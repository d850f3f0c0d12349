"""Reuse compiled statements for the hottest query shapes.

``Model.objects.all()``, ``Model.objects.get(pk=...)`` and
``filter(field=value)`` build the same statement over and over; here each
shape is built once with a bound parameter, so only the value changes.
SQLAlchemy then also reuses its compiled form without recomputing the
statement's cache key, and the database layer may replay the SELECT on the
DBAPI cursor (the ``manouche_direct`` execution option).

Entries live on the model's ``_meta`` (so they go away with the model) and
are keyed by everything of the query that reaches the SQL once
``_eligible`` has ruled out the shapes this module does not handle.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models._integer_lookups import column_range, int_out_of_range
from manouche.db.models.expressions import Expression
from manouche.db.models.sql._compiler_filters import _model_value

__all__ = ["fast_get_statement", "fast_statement"]

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
        or not query.deferred_loading[1]
        or query.distinct
        or query.select_for_update
        or query.combinator
        or query.group_by is not None
        or query.exists_only
        or "filtered_relations" in query.__dict__
    )


def _lookup_field(query: Any, name: str, value: Any) -> tuple[Any, Any] | None:
    """Return (field, value ready for it) for ``name=value``, or None."""
    if value is None or hasattr(value, "as_sa") or hasattr(value, "_fetch_operation"):
        return None
    if name.endswith("__exact"):
        name = name[:-7]
    if "__" in name:
        return None
    opts = query.model._meta
    try:
        field = opts.pk if name == "pk" else opts.get_field(name)
    except FieldDoesNotExist:
        return None
    if not field.concrete or field.model._meta.concrete_model is not (
        opts.concrete_model
    ):
        return None
    if hasattr(value, "_meta"):
        # The key the relation holds, following to_field chains (a primary
        # key that is itself a one-to-one included), as filter() does.
        value = _model_value(value, field)
    return field, value


def _compile(
    query: Any, connection: Any, field: Any, limit: int | None = None
) -> tuple[Any, Any] | None:
    """Compile ``query`` filtered on ``field`` = the bound parameter.

    ``field`` is None for no filter. The template keeps every attribute of
    ``query``; only the WHERE clause is swapped for the bound parameter.
    Returns (statement, compiler), or None for orderings by expressions.

    ``limit`` (get()'s fixed row limit, already set on ``query``) is written
    into the SQL as a constant rather than a bound value: one parameter
    less to adapt on every call (a measurable share of a primary-key
    lookup on PostgreSQL), and the same rows.
    """
    if not all(isinstance(item, str) for item in query.order_by):
        return None
    from manouche.db.models.query_utils import Q
    from manouche.db.models.sql.compiler import SQLCompiler

    template = query.clone()
    template.where = (
        [] if field is None else [Q((f"{field.attname}__exact", _Parameter()))]
    )
    compiler = SQLCompiler(template, connection)
    statement = compiler.as_select()
    if limit is not None and isinstance(statement, sa.Select):
        statement = statement.limit(sa.literal_column(str(int(limit))))
        if connection.vendor == "sqlite":
            # SQLite's dialect adds a bound OFFSET 0 to every LIMIT.
            statement = statement.offset(sa.literal_column("0"))
    # The database layer may replay this SELECT on the DBAPI cursor.
    statement = statement.execution_options(manouche_direct=True)
    return statement, compiler


def _remember(opts: Any, name: str, key: tuple[Any, ...], entry: Any) -> None:
    cache = opts.__dict__.setdefault(name, {})
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()
    cache[key] = entry


def _cached(query: Any, connection: Any, key: tuple[Any, ...], field: Any) -> Any:
    """Return the cached (statement, compiler, field) for ``key``, built once."""
    opts = query.model._meta
    entry = opts.__dict__.get("_fast_statements", {}).get(key)
    if entry is None:
        compiled = _compile(query, connection, field)
        if compiled is None:
            return None
        entry = (*compiled, field)
        _remember(opts, "_fast_statements", key, entry)
    return entry


def _ordering_key(query: Any) -> tuple[Any, ...]:
    return (
        query.order_by,
        query.default_ordering,
        query.standard_ordering,
        query.low_mark,
        query.high_mark,
    )


def fast_statement(query: Any, connection: Any) -> tuple[Any, Any, Any] | None:
    """Return (statement, parameters, compiler) from the cache, or None.

    Handles a query with no filter or one equality filter on a concrete
    field of the model.
    """
    if not _eligible(query):
        return None
    if not query.where:
        key = (connection.vendor, None, *_ordering_key(query))
        entry = _cached(query, connection, key, None)
        if entry is None:
            return None
        return entry[0], None, entry[1]
    lookup = _single_lookup(query)
    if lookup is None:
        return None
    found = _lookup_field(query, *lookup)
    if found is None:
        return None
    field, value = found
    if int_out_of_range(field, connection, value):
        return None  # the general path decides it without the database
    key = (connection.vendor, field.attname, *_ordering_key(query))
    entry = _cached(query, connection, key, field)
    if entry is None:
        return None
    return entry[0], {"fast_value": field.get_prep_value(value)}, entry[1]


# Filter values that are plainly not expressions, querysets or instances.
_PLAIN_VALUES = frozenset({int, str})


def _int_preparer(field: Any) -> bool:
    """Whether ``field`` prepares an ``int`` as itself (IntegerField's rule)."""
    from manouche.db.models.fields import IntegerField

    field_type = type(field)
    method = getattr(field_type, "get_prep_value", None)
    # FloatField shares the method, with float as its conversion.
    return (
        method is IntegerField.get_prep_value
        and getattr(field_type, "_convert", None) is int
    )


def fast_get_statement(
    query: Any, connection: Any, name: str, value: Any, limit: int
) -> tuple[Any, Any, Any] | None:
    """Return what ``get(name=value)`` on ``query`` executes, or None.

    The statement is the one ``QuerySet.get`` would build: ``query`` with
    the filter added, its ordering cleared and at most ``limit`` rows,
    without cloning the query or building the condition on every call.
    """
    if (
        query.where
        or query.low_mark
        or query.high_mark is not None
        or value is None
        or not _eligible(query)
    ):
        return None
    key = (connection.vendor, name, "get", query.standard_ordering, limit)
    cache = query.model._meta.__dict__.get("_fast_get_statements")
    entry = None if cache is None else cache.get(key)
    kind = type(value)
    if entry is None or kind not in _PLAIN_VALUES:
        found = _lookup_field(query, name, value)
        if found is None:
            return None
        field, value = found
        kind = type(value)
        if entry is None:
            template = query.clone()
            template.order_by = ()
            template.default_ordering = False
            template.set_limits(high=limit)
            compiled = _compile(template, connection, field, limit)
            if compiled is None:
                return None
            low, high = column_range(field, connection) or (None, None)
            entry = (*compiled, field, _int_preparer(field), low, high)
            _remember(query.model._meta, "_fast_get_statements", key, entry)
    statement, compiler, field, int_as_is, low, high = entry
    # An int needs no preparing for integer fields (the commonest get(pk=)).
    if kind is not int or not int_as_is:
        value = field.get_prep_value(value)
    # An int outside the column's range is left to the general path, which
    # decides it without the database (int_out_of_range, inlined: the
    # bounds only depend on the field and the vendor, part of the key).
    if type(value) is int and (
        (low is not None and value < low) or (high is not None and value > high)
    ):
        return None
    return statement, {"fast_value": value}, compiler
