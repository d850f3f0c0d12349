"""Settings-backed defaults for storages, forgotten when a setting changes."""

from __future__ import annotations

from typing import Any

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
