"""prefetch_related: fetch related objects of many instances in one query each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from manouche.db.models._io import Operation, arun, run
from manouche.db.models._iterables import ModelIterable
from manouche.db.models.query_utils import check_identifier

__all__ = ["Prefetch", "aprefetch_related_objects", "prefetch_related_objects"]


class Prefetch:
    """A prefetch_related lookup with an optional queryset and to_attr."""

    def __init__(self, lookup: str, queryset: Any = None, to_attr: str | None = None):
        self.prefetch_through = lookup
        self.prefetch_to = lookup
        if queryset is not None and (
            getattr(queryset, "_iterable_class", ModelIterable) is not ModelIterable
        ):
            raise ValueError(
                "Prefetch querysets cannot use raw(), values(), and values_list()."
            )
        if to_attr:
            check_identifier(to_attr, "to_attr")
            self.prefetch_to = "__".join([*lookup.split("__")[:-1], to_attr])
        self.queryset = queryset
        self.to_attr = to_attr

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Prefetch):
            return NotImplemented
        return self.prefetch_to == other.prefetch_to

    def __hash__(self) -> int:
        return hash((self.__class__, self.prefetch_to))

    def __repr__(self) -> str:
        return f"<Prefetch: {self.prefetch_through}>"

    def get_current_queryset(self, level: int) -> Any:
        """Return the custom queryset for the last level only."""
        if len(self.prefetch_through.split("__")) - 1 == level:
            return self.queryset
        return None


def _normalize_prefetch_lookups(lookups: Sequence[Any]) -> list[Prefetch]:
    return [
        lookup if isinstance(lookup, Prefetch) else Prefetch(lookup)
        for lookup in lookups
    ]


def prefetch_related_objects(
    model_instances: Sequence[Any], *related_lookups: Any
) -> None:
    """Populate prefetched relations on already fetched instances."""
    run(_prefetch_operation(list(model_instances), related_lookups))


async def aprefetch_related_objects(
    model_instances: Sequence[Any], *related_lookups: Any
) -> None:
    """Populate prefetched relations (async)."""
    await arun(_prefetch_operation(list(model_instances), related_lookups))


def _prefetch_operation(instances: list[Any], lookups: Sequence[Any]) -> Operation:
    if not instances:
        return None
    done: set[str] = set()
    for lookup in _normalize_prefetch_lookups(lookups):
        if lookup.prefetch_to in done:
            continue
        parts = lookup.prefetch_through.split("__")
        objects = instances
        for level, part in enumerate(parts):
            objects = [obj for obj in objects if obj is not None]
            if not objects:
                break
            last = level == len(parts) - 1
            queryset = lookup.get_current_queryset(level)
            to_attr = lookup.to_attr if last else None
            prefix = "__".join(parts[: level + 1])
            if prefix in done and not last:
                objects = _flatten_cached(objects, part)
                continue
            new_objects = yield from _prefetch_one_level(
                objects, part, queryset, to_attr
            )
            done.add(prefix)
            objects = new_objects
        done.add(lookup.prefetch_to)
    return None


def _flatten_cached(objects: list[Any], attr: str) -> list[Any]:
    flat: list[Any] = []
    for obj in objects:
        value = getattr(obj, attr)
        if hasattr(value, "all") and not hasattr(value, "_meta"):
            cache = getattr(obj, "_prefetched_objects_cache", {})
            found = cache.get(attr)
            flat.extend(found._result_cache if found is not None else [])
        elif isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def _prefetch_one_level(
    instances: list[Any], attr: str, queryset: Any, to_attr: str | None
) -> Operation:
    first = instances[0]
    descriptor = getattr(type(first), attr, None)
    prefetcher = getattr(descriptor, "get_prefetch_operation", None)
    if prefetcher is None:
        raise AttributeError(
            f"Cannot find '{attr}' on {type(first).__name__} object, '{attr}' is an "
            "invalid parameter to prefetch_related()"
        )
    result: list[Any] = yield from prefetcher(instances, queryset, to_attr)
    return result
