"""Which columns defer() and only() leave in a SELECT, model by model.

``Query.deferred_loading`` holds dotted-free paths such as ``"name"`` or
``"related__first"``; each path belongs to the model reached by following
its leading parts, so the root model and every select_related model get
their own column set.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError


def _local_field(opts: Any, name: str) -> Any:
    """Return the field ``name`` names on ``opts`` (``pk`` included)."""
    if name == "pk":
        return opts.pk
    return opts.get_field(name)


def validate_deferred_names(query: Any) -> None:
    """Raise for a defer()/only() path that names no field.

    A missing field raises FieldDoesNotExist naming the model it was looked
    up on; following a non-relation raises FieldError.
    """
    names, _defer = query.deferred_loading
    for name in names:
        opts = query.model._meta
        parts = name.split("__")
        for position, part in enumerate(parts):
            try:
                field = _local_field(opts, part)
            except FieldDoesNotExist:
                if part in query.filtered_relations and position == 0:
                    break
                raise FieldDoesNotExist(
                    f"{opts.object_name} has no field named '{part}'"
                ) from None
            if position == len(parts) - 1:
                break
            related = getattr(field, "related_model", None)
            if not getattr(field, "is_relation", False) or related is None:
                rest = "__".join(parts[position + 1 :])
                raise FieldError(
                    f"Cannot resolve '{name}' for defer()/only(): "
                    f"{opts.object_name}.{field.name} is not a relation, so "
                    f"'{rest}' cannot be followed."
                )
            opts = related._meta


def _names_for(query: Any, path: tuple[str, ...]) -> tuple[set[str], bool]:
    """Return the first parts of the paths below ``path``, and the mode."""
    names, defer = query.deferred_loading
    depth = len(path)
    local: set[str] = set()
    for name in names:
        parts = name.split("__")
        if len(parts) <= depth or tuple(parts[:depth]) != path:
            continue
        rest = parts[depth:]
        if defer and len(rest) > 1:
            continue  # deferring a field further along, not here
        local.add(rest[0])
    return local, defer


def loaded_attnames(query: Any, opts: Any, path: tuple[str, ...]) -> set[str] | None:
    """Return the attnames to select for the model at ``path``; None for all.

    The model's own primary key is always loaded.  In only() mode a model
    no path mentions loads every column, and naming ``rel__x`` loads the
    local ``rel`` key so the relation can still be followed.
    """
    local, defer = _names_for(query, path)
    if not local:
        return None
    fields = set()
    for name in local:
        try:
            field = _local_field(opts, name)
        except FieldDoesNotExist:
            continue
        if getattr(field, "concrete", False) and getattr(field, "column", None):
            fields.add(field.attname)
    pk = opts.pk.attname
    if defer:
        return {
            f.attname
            for f in opts.concrete_fields
            if f.attname not in fields or f.attname == pk
        }
    return fields | {pk}


def check_not_deferred(
    query: Any, opts: Any, field: Any, path: tuple[str, ...]
) -> None:
    """Raise FieldError when select_related names a deferred relation."""
    loaded = loaded_attnames(query, opts, path)
    if loaded is not None and field.attname not in loaded:
        raise FieldError(
            f"Field {field.model._meta.object_name}.{field.name} cannot be both "
            "deferred and traversed using select_related at the same time."
        )
