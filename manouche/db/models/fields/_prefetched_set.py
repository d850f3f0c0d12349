"""The cached queryset behind a prefetched reverse foreign key set.

``prefetch_related("children")`` stores, for every parent, a queryset whose
results are already known. Building each one the ordinary way (manager
queryset, ``filter(parent=...)``, clone) cost more than the query that
fetched the children. The filtered Query is only needed if the set is later
refined (``.filter()``, ``.count()`` after a clear, ``.query``), so it is
built then, through ``QuerySet._query_factory``; iterating, ``len()``,
``exists()`` and ``all()`` use the cache as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.db.models.manager import BaseManager

__all__ = ["prefetched_reverse_set"]

# Stands in for the Query until the factory builds it: any code reading
# ``_query`` directly instead of ``query`` fails loudly, never silently.
_PENDING: Any = object()


def prefetched_reverse_set(
    manager: Any, base_get_queryset: Callable[[], Any], items: list[Any]
) -> Any:
    """Return ``manager``'s queryset holding ``items`` as its results.

    ``base_get_queryset`` is the model manager's own ``get_queryset`` (the
    one the related manager filters). When it is the stock one, the
    queryset it would return is fully known without calling it; a custom
    one may add state outside the Query, so it is called as before.
    """
    instance = manager.instance
    field = manager.field
    value = getattr(instance, field.target_field.attname)
    stock = getattr(base_get_queryset, "__func__", None) is BaseManager.get_queryset
    if not stock or value is None or instance.pk is None:
        queryset = manager.get_queryset()
    else:
        queryset = manager._queryset_class(
            model=manager.model,
            query=_PENDING,
            using=manager._db or instance._state.db,
            hints={"instance": instance},
        )
        queryset._query_factory = lambda: (
            manager._apply_rel_filters(base_get_queryset()).query
        )
        if field.concrete:
            queryset._known_related_objects = {field: {value: instance}}
    queryset._result_cache = items
    queryset._prefetch_done = True
    return queryset
