"""File storages: the Storage API, its backends and the configured instances."""

from __future__ import annotations

from manouche.conf import DEFAULT_STORAGE_ALIAS
from manouche.core.files.storage.base import Storage
from manouche.core.files.storage.filesystem import FileSystemStorage
from manouche.core.files.storage.handler import InvalidStorageError, StorageHandler
from manouche.core.files.storage.memory import InMemoryStorage
from manouche.utils.functional import LazyObject

__all__ = [
    "DefaultStorage",
    "FileSystemStorage",
    "InMemoryStorage",
    "InvalidStorageError",
    "Storage",
    "StorageHandler",
    "default_storage",
    "storages",
]


class DefaultStorage(LazyObject):
    """The storage configured under STORAGES["default"], created on first use."""

    def _setup(self) -> None:
        self._wrapped = storages[DEFAULT_STORAGE_ALIAS]


storages = StorageHandler()
default_storage = DefaultStorage()
