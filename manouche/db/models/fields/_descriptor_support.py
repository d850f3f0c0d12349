"""Helpers shared by the relation descriptors and the related managers.

Kept apart so the descriptors and the manager modules can both use them
without importing each other.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Sequence
from typing import Any

from manouche.core.exceptions import SynchronousOnlyOperation
from manouche.utils.deprecation import RemovedInDjango60Warning


def _on_instances_db(queryset: Any, instances: list[Any]) -> Any:
    """Read prefetched rows from the instances' database unless told otherwise."""
    return queryset.using(queryset._db or instances[0]._state.db)


def _lazy_load_refused(model: Any, name: str) -> SynchronousOnlyOperation:
    return SynchronousOnlyOperation(
        f"Accessing '{model.__name__}.{name}' would run a database query, which "
        "cannot block the event loop. Load it ahead with "
        f"select_related('{name}') or prefetch_related('{name}'), or query it "
        "asynchronously (e.g. await Model.objects.aget(...))."
    )


def _one_queryset(querysets: Sequence[Any] | None) -> Any:
    """The single queryset get_prefetch_querysets() accepts, or None."""
    if querysets is None:
        return None
    if len(querysets) != 1:
        raise ValueError(
            "querysets argument of get_prefetch_querysets() should have a length of 1."
        )
    return querysets[0]


def _reverse_prefetch(
    queryset: Any, field: Any, instances: Any, single: bool, cache_name: str
) -> tuple[Any, ...]:
    """Prefetch the rows whose ``field`` points at ``instances`` (reverse FK/O2O)."""
    target = field.target_field.attname
    keys = [getattr(obj, target) for obj in instances]
    return (
        queryset.filter(**{f"{field.attname}__in": keys}),
        operator.attrgetter(field.attname),
        operator.attrgetter(target),
        single,
        cache_name,
        False,
    )


def _deprecated_prefetch_queryset(
    owner: Any, instances: Any, queryset: Any
) -> tuple[Any, ...]:
    warnings.warn(
        "get_prefetch_queryset() is deprecated. Use get_prefetch_querysets() instead.",
        RemovedInDjango60Warning,
        stacklevel=3,
    )
    querysets = None if queryset is None else [queryset]
    result: tuple[Any, ...] = owner.get_prefetch_querysets(instances, querysets)
    return result


def _store_prefetched(
    obj: Any, cache_name: str, to_attr: str | None, items: list[Any], manager: Any
) -> None:
    if to_attr:
        setattr(obj, to_attr, items)
        return
    queryset = manager.get_queryset()
    queryset._result_cache = items
    queryset._prefetch_done = True
    if not hasattr(obj, "_prefetched_objects_cache"):
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[cache_name] = queryset
