"""Checks on a filter's lookups made when filter() is called, not when it runs.

Django resolves a filter's transforms and lookup as soon as ``filter()`` is
called, so a misspelt lookup fails on the line that wrote it. The compiler
resolves them again later; here only paths that start with one of the
model's own columns are checked (relations and annotations are left to the
compiler, which knows the joins).
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.expressions import Col
from manouche.db.models.lookups import Lookup, Transform
from manouche.db.models.query_utils import LOOKUP_SEP
from manouche.db.models.sql._compiler_filters import (
    _resolve_lookup,
    annotation_prefix,
)

__all__ = ["check_lookup"]


def check_lookup(query: Any, path: str, value: Any) -> None:
    """Raise FieldError for an unknown transform or lookup in ``path``.

    Also refuses a bilateral transform (one applied to both sides) compared
    with a queryset, which cannot be transformed.
    """
    if LOOKUP_SEP not in path:
        return  # a bare field name: ``exact``, which every field has
    parts = path.split(LOOKUP_SEP)
    if query.model is None or parts[0] in query.filtered_relations:
        return
    if annotation_prefix(parts, query.annotations):
        return
    try:
        field = query.model._meta.get_field(parts[0])
    except FieldDoesNotExist:
        return
    if field.is_relation or not field.concrete or field.column is None:
        return
    if len(parts) == 2 and _is_class_lookup(field, parts[1]):
        return  # the common ``name__lookup``: no transform to check
    lhs, _lookup, _name, _field = _resolve_lookup(
        Col(None, field), field, parts[1:] or ["exact"]
    )
    if _has_bilateral(lhs) and hasattr(value, "query") and hasattr(value, "model"):
        raise NotImplementedError(
            "Bilateral transformations on nested querysets are not implemented."
        )


def _is_class_lookup(field: Any, name: str) -> bool:
    """Tell cheaply (cached class registry) whether ``name`` is a field lookup."""
    found = type(field).get_class_lookups().get(name)
    return isinstance(found, type) and issubclass(found, Lookup)


def _has_bilateral(lhs: Any) -> bool:
    while isinstance(lhs, Transform):
        if lhs.bilateral:
            return True
        lhs = lhs.lhs
    return False
