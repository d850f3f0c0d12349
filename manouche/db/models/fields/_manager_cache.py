"""One related manager per instance and accessor, built on first access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["cached_related_manager"]


def cached_related_manager(
    instance: Any, key: str, make_manager_class: Callable[[], type]
) -> Any:
    """Return ``instance``'s manager for ``key``, creating and caching it once.

    The class is only built on a cache miss, so repeated ``obj.related_set``
    lookups cost one dict access.
    """
    managers = instance._state.related_managers_cache
    manager = managers.get(key)
    if manager is None:
        manager = managers[key] = make_manager_class()(instance)
    return manager
