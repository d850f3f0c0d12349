"""GenericPrefetch: prefetch through a GenericForeignKey with a queryset per model.

A generic foreign key points at rows of several models, so one custom queryset
cannot describe them all; ``GenericPrefetch`` takes one queryset per target
model (``[Vegetable.objects.all(), Animal.objects.only("name")]``) and the key
fetches each content type's objects through the queryset for its model
(the model's base manager when none is given).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manouche.db.models import Prefetch
from manouche.db.models._iterables import ModelIterable

__all__ = ["GenericPrefetch", "GenericQuerysets"]


class GenericQuerysets(tuple[Any, ...]):
    """The per-model querysets handed to a GenericForeignKey's prefetcher."""

    def for_model(self, model: Any) -> Any:
        """Return the queryset targeting ``model`` (its concrete model), or None."""
        concrete = model._meta.concrete_model
        for queryset in self:
            if queryset.model._meta.concrete_model is concrete:
                return queryset
        return None

    def check_one_per_model(self, for_concrete_model: bool) -> None:
        """Raise ValueError when two querysets target the same content type."""
        seen: set[str] = set()
        for queryset in self:
            model = queryset.model
            if for_concrete_model:
                model = model._meta.concrete_model
            if model._meta.label_lower in seen:
                raise ValueError("Only one queryset is allowed for each content type.")
            seen.add(model._meta.label_lower)


class GenericPrefetch(Prefetch):
    """A prefetch_related() lookup through a GenericForeignKey."""

    def __init__(
        self, lookup: str, querysets: Iterable[Any], to_attr: str | None = None
    ) -> None:
        querysets = list(querysets)
        for queryset in querysets:
            # A RawQuerySet has no iterable class: it cannot be filtered.
            if getattr(queryset, "_iterable_class", None) is not ModelIterable:
                raise ValueError(
                    "Prefetch querysets cannot use raw(), values(), and values_list()."
                )
        super().__init__(lookup, to_attr=to_attr)
        self.querysets = querysets

    def __repr__(self) -> str:
        return f"<GenericPrefetch: {self.prefetch_through}>"

    def get_current_queryset(self, level: int) -> Any:
        """Return the per-model querysets for the last level of the lookup."""
        if len(self.prefetch_through.split("__")) - 1 == level:
            return GenericQuerysets(self.querysets)
        return None
