"""The pieces of a plain ``ForeignObject``: a relation with no column of its own.

A ``ForeignObject(to, on_delete, from_fields=[...], to_fields=[...])`` reuses
a concrete field of its model (``from_fields``) as the key matching a field of
the target (``to_fields``). It adds no column; reading the attribute fetches
the target row whose ``to_field`` equals the instance's ``from_field``, and
queries through it join on that pair of columns. manouche supports one
``from_fields``/``to_fields`` pair (the common case); composite keys are refused
with a clear error.
"""

from __future__ import annotations

from typing import Any

from manouche.db.models._io import in_async_context, run
from manouche.db.models.fields._descriptor_support import _lazy_load_refused
from manouche.db.models.fields.related_descriptors import ForwardManyToOneDescriptor

__all__ = ["ForeignObjectDescriptor", "check_field_pairs", "resolve_field"]


def check_field_pairs(from_fields: Any, to_fields: Any) -> tuple[list[Any], list[Any]]:
    """Validate the declared field pairs; return them as lists."""
    if isinstance(from_fields, str) or isinstance(to_fields, str):
        raise TypeError("from_fields and to_fields must be lists of field names.")
    sources, targets = list(from_fields), list(to_fields)
    if len(sources) != len(targets):
        raise ValueError(
            "Foreign Object from and to fields must be the same non-zero length"
        )
    if len(sources) != 1:
        raise ValueError(
            "ForeignObject supports exactly one from_fields/to_fields pair; "
            f"got {len(sources)}."
        )
    return sources, targets


def resolve_field(opts: Any, name: Any) -> Any:
    """Return the field ``name`` of ``opts`` (``"self"``/None: its primary key)."""
    if name in (None, "self"):
        return opts.pk
    return opts.get_field(name)


class ForeignObjectDescriptor(ForwardManyToOneDescriptor):
    """``obj.relation``: the target row whose to_field equals obj's from_field."""

    def _key(self, instance: Any) -> Any:
        return getattr(instance, self.field.local_related_fields[0].attname)

    def get_object_operation(self, instance: Any) -> Any:
        target = self.field.foreign_related_fields[0]
        queryset = self.get_queryset(instance=instance)
        if instance._state.db:
            queryset = queryset.using(instance._state.db)
        return (
            yield from queryset._get_operation(**{target.attname: self._key(instance)})
        )

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        cache = instance._state.fields_cache
        name = self.field.name
        if name in cache:
            return cache[name]
        related = None
        if self._key(instance) is not None:
            if in_async_context():
                raise _lazy_load_refused(type(instance), name)
            try:
                related = run(self.get_object_operation(instance))
            except self.field.remote_field.model.DoesNotExist:
                related = None
        cache[name] = related
        if related is None and not self.field.null:
            raise self.RelatedObjectDoesNotExist(
                f"{self.field.model.__name__} has no {name}."
            )
        return related

    def __set__(self, instance: Any, value: Any) -> None:
        self._check_assignable(instance, value)
        source = self.field.local_related_fields[0]
        target = self.field.foreign_related_fields[0]
        key = None if value is None else getattr(value, target.attname)
        setattr(instance, source.attname, key)
        instance._state.fields_cache[self.field.name] = value
