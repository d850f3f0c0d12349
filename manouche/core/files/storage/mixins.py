"""Settings-backed defaults for storages, forgotten when a setting changes."""

from __future__ import annotations

import os
from typing import Any

from manouche.conf import settings
from manouche.utils.functional import cached_property

__all__ = ["StorageSettingsMixin"]

# Which cached attributes depend on which setting.
_SETTING_ATTRIBUTES = {
    "MEDIA_ROOT": ("base_location", "location"),
    "MEDIA_URL": ("base_url",),
    "FILE_UPLOAD_PERMISSIONS": ("file_permissions_mode",),
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS": ("directory_permissions_mode",),
}


class StorageSettingsMixin:
    """Read defaults from settings lazily and drop them on ``setting_changed``."""

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        """Forget cached values derived from ``setting``."""
        for attribute in _SETTING_ATTRIBUTES.get(setting, ()):
            self.__dict__.pop(attribute, None)

    def _value_or_setting(self, value: Any, setting: Any) -> Any:
        return setting if value is None else value


class _MediaSettingsMixin(StorageSettingsMixin):
    """The settings-backed attributes shared by the file-system and memory storages.

    Subclasses set ``_location``, ``_base_url``, ``_file_permissions_mode`` and
    ``_directory_permissions_mode`` (``None`` means "use the setting").
    """

    _location: Any
    _base_url: str | None
    _file_permissions_mode: int | None
    _directory_permissions_mode: int | None

    @cached_property
    def base_location(self) -> Any:
        """The location as given, or MEDIA_ROOT."""
        return self._value_or_setting(self._location, settings.MEDIA_ROOT)

    @cached_property
    def location(self) -> str:
        """The absolute directory names are resolved against."""
        return str(os.path.abspath(self.base_location))

    @cached_property
    def base_url(self) -> str | None:
        """The URL prefix for stored files (ends with '/'), or MEDIA_URL."""
        if self._base_url is not None and not self._base_url.endswith("/"):
            self._base_url += "/"
        value: str | None = self._value_or_setting(self._base_url, settings.MEDIA_URL)
        return value

    @cached_property
    def file_permissions_mode(self) -> int | None:
        """Mode applied to saved files, or FILE_UPLOAD_PERMISSIONS."""
        value: int | None = self._value_or_setting(
            self._file_permissions_mode, settings.FILE_UPLOAD_PERMISSIONS
        )
        return value

    @cached_property
    def directory_permissions_mode(self) -> int | None:
        """Mode applied to created directories, or the matching setting."""
        value: int | None = self._value_or_setting(
            self._directory_permissions_mode,
            settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS,
        )
        return value
