"""The storage static files are collected into: STATIC_ROOT served at STATIC_URL."""

from __future__ import annotations

import os
from typing import Any

from manouche.conf import STATICFILES_STORAGE_ALIAS, settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.files.storage import FileSystemStorage, storages
from manouche.utils.functional import LazyObject, cached_property

__all__ = ["StaticFilesStorage", "staticfiles_storage"]


class StaticFilesStorage(FileSystemStorage):
    """FileSystemStorage whose defaults are STATIC_ROOT and STATIC_URL."""

    @cached_property
    def base_location(self) -> Any:
        """The location as given, or STATIC_ROOT."""
        return self._value_or_setting(self._location, settings.STATIC_ROOT)

    @cached_property
    def location(self) -> str:
        """STATIC_ROOT made absolute; "" while it is unset (nothing to store)."""
        base = self.base_location
        return os.path.abspath(base) if base else ""

    @cached_property
    def base_url(self) -> str | None:
        """The URL prefix of static files (ends with '/'), or STATIC_URL."""
        if self._base_url is not None and not self._base_url.endswith("/"):
            self._base_url += "/"
        value: str | None = self._value_or_setting(self._base_url, settings.STATIC_URL)
        return value

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "STATIC_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        elif setting == "STATIC_URL":
            self.__dict__.pop("base_url", None)

    def path(self, name: str) -> str:
        """The file's path under STATIC_ROOT; an error while STATIC_ROOT is unset."""
        if not self.location:
            raise ImproperlyConfigured(
                "You're using the staticfiles app without having set the "
                "STATIC_ROOT setting to a filesystem path."
            )
        return super().path(name)


class ConfiguredStorage(LazyObject):
    """The storage configured under STORAGES["staticfiles"], created on first use."""

    def _setup(self) -> None:
        self._wrapped = storages[STATICFILES_STORAGE_ALIAS]


staticfiles_storage = ConfiguredStorage()
