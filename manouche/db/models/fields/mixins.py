"""FieldCacheMixin: per-instance caching of a related object by a cache name.

Relations keep the object they loaded in ``instance._state.fields_cache``
under a name; third-party descriptors subclass this mixin to share it.
"""

from __future__ import annotations

import warnings
from typing import Any

from manouche.utils.deprecation import RemovedInDjango60Warning
from manouche.utils.functional import cached_property

__all__ = ["FieldCacheMixin"]

_MISSING = object()


class FieldCacheMixin:
    """Read, write and drop a value cached on a model instance."""

    def get_cache_name(self) -> str:
        """Return the cache key (deprecated: override ``cache_name``)."""
        raise NotImplementedError

    @cached_property
    def cache_name(self) -> str:
        """Return the key under which the value is cached."""
        if type(self).get_cache_name is not FieldCacheMixin.get_cache_name:
            warnings.warn(
                f"Override {type(self).__qualname__}.cache_name instead of "
                "get_cache_name().",
                RemovedInDjango60Warning,
                stacklevel=3,
            )
            return self.get_cache_name()
        raise NotImplementedError

    def get_cached_value(self, instance: Any, default: Any = _MISSING) -> Any:
        """Return the cached value; KeyError without one unless ``default``."""
        try:
            return instance._state.fields_cache[self.cache_name]
        except KeyError:
            if default is _MISSING:
                raise
            return default

    def is_cached(self, instance: Any) -> bool:
        """Tell whether ``instance`` holds a cached value."""
        return self.cache_name in instance._state.fields_cache

    def set_cached_value(self, instance: Any, value: Any) -> None:
        """Cache ``value`` on ``instance``."""
        instance._state.fields_cache[self.cache_name] = value

    def delete_cached_value(self, instance: Any) -> None:
        """Drop the cached value of ``instance``."""
        del instance._state.fields_cache[self.cache_name]
