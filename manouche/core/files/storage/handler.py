"""StorageHandler: the ``storages`` registry built from settings.STORAGES."""

from __future__ import annotations

from typing import Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

__all__ = ["InvalidStorageError", "StorageHandler"]


class InvalidStorageError(ImproperlyConfigured):
    """The STORAGES setting has no such alias, or its backend cannot load."""


class StorageHandler:
    """Create each configured storage once, on first use of its alias."""

    def __init__(self, backends: dict[str, dict[str, Any]] | None = None) -> None:
        self._backends = backends
        self._storages: dict[str, Any] = {}

    @cached_property
    def backends(self) -> dict[str, dict[str, Any]]:
        """The configuration: the given dict, or a copy of settings.STORAGES."""
        if self._backends is None:
            self._backends = dict(settings.STORAGES)
        return self._backends

    def __getitem__(self, alias: str) -> Any:
        try:
            return self._storages[alias]
        except KeyError:
            pass
        try:
            params = self.backends[alias]
        except KeyError:
            raise InvalidStorageError(
                f"Could not find config for '{alias}' in settings.STORAGES."
            ) from None
        storage = self.create_storage(params)
        self._storages[alias] = storage
        return storage

    def create_storage(self, params: dict[str, Any]) -> Any:
        """Instantiate BACKEND with OPTIONS as keyword arguments."""
        params = dict(params)
        backend = params.pop("BACKEND")
        options = params.pop("OPTIONS", {})
        try:
            storage_cls = import_string(backend)
        except ImportError as exc:
            raise InvalidStorageError(
                f"Could not find backend {backend!r}: {exc}"
            ) from exc
        return storage_cls(**options)
