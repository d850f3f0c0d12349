"""Lookups on relations (``author=obj``, ``author__in=[...]``, ``author__gt=3``).

A relation compares by the key it stores, so these lookups accept model
instances on the right-hand side and turn them into the target field's value
(``book.author_id > author.id``) before the plain comparison runs. They are
registered on ``ForeignObject`` and may be subclassed like any lookup.
"""

from __future__ import annotations

from typing import Any

from manouche.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    In,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

__all__ = [
    "RelatedExact",
    "RelatedGreaterThan",
    "RelatedGreaterThanOrEqual",
    "RelatedIn",
    "RelatedIsNull",
    "RelatedLessThan",
    "RelatedLessThanOrEqual",
    "RelatedLookupMixin",
    "get_normalized_value",
]


def get_normalized_value(value: Any, lhs: Any) -> Any:
    """Return ``value`` as the key a relation stores (instances become keys)."""
    from manouche.db.models.base import Model

    if not isinstance(value, Model):
        return value
    field = getattr(lhs, "_output_field_or_none", None)
    target = getattr(field, "target_field", None)
    if target is not None and target.model._meta.concrete_model in (
        type(value)._meta.concrete_model,
        *type(value)._meta.get_parent_list(),
    ):
        return getattr(value, target.attname)
    return value.pk


class RelatedLookupMixin:
    """Normalise model instances on the right-hand side to key values."""

    lhs: Any

    def get_prep_lookup(self, value: Any) -> Any:
        value = get_normalized_value(value, self.lhs)
        return super().get_prep_lookup(value)  # type: ignore[misc]


class RelatedIn(RelatedLookupMixin, In):
    """``IN`` over instances or keys."""

    def get_prep_lookup(self, value: Any) -> Any:
        if isinstance(value, (list, tuple, set, frozenset)):
            value = [get_normalized_value(item, self.lhs) for item in value]
        return In.get_prep_lookup(self, value)


class RelatedExact(RelatedLookupMixin, Exact):
    """``=`` against an instance or a key."""


class RelatedLessThan(RelatedLookupMixin, LessThan):
    """``<`` against an instance or a key."""


class RelatedGreaterThan(RelatedLookupMixin, GreaterThan):
    """``>`` against an instance or a key."""


class RelatedGreaterThanOrEqual(RelatedLookupMixin, GreaterThanOrEqual):
    """``>=`` against an instance or a key."""


class RelatedLessThanOrEqual(RelatedLookupMixin, LessThanOrEqual):
    """``<=`` against an instance or a key."""


class RelatedIsNull(RelatedLookupMixin, IsNull):
    """``IS NULL`` on the stored key."""


def _register() -> None:
    from manouche.db.models.fields.related import ForeignObject

    for lookup in (
        RelatedExact,
        RelatedGreaterThan,
        RelatedGreaterThanOrEqual,
        RelatedIn,
        RelatedIsNull,
        RelatedLessThan,
        RelatedLessThanOrEqual,
    ):
        ForeignObject.register_lookup(lookup)


_register()
