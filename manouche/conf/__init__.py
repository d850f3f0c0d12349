"""The lazy global ``settings`` object.

Values come from the module named by ``MANOUCHE_SETTINGS_MODULE`` (or from
``settings.configure()``) over ``manouche.conf.global_settings``. The object
is resolved on first attribute access, so importing it is free.
"""

from __future__ import annotations

import importlib
import os
import time
from typing import Any

from manouche.conf import global_settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.functional import LazyObject, empty

__all__ = [
    "DEFAULT_STORAGE_ALIAS",
    "ENVIRONMENT_VARIABLE",
    "STATICFILES_STORAGE_ALIAS",
    "LazySettings",
    "Settings",
    "UserSettingsHolder",
    "settings",
]

ENVIRONMENT_VARIABLE = "MANOUCHE_SETTINGS_MODULE"
# Keys of the STORAGES setting that the framework itself looks up.
DEFAULT_STORAGE_ALIAS = "default"
STATICFILES_STORAGE_ALIAS = "staticfiles"

_TUPLE_SETTINGS = (
    "ALLOWED_HOSTS",
    "INSTALLED_APPS",
    "TEMPLATE_DIRS",
    "LOCALE_PATHS",
    "SECRET_KEY_FALLBACKS",
)


class SettingsReference(str):
    """A string that remembers it came from a setting (for migrations)."""

    setting_name: str

    def __new__(cls, value: str, setting_name: str) -> SettingsReference:
        instance = str.__new__(cls, value)
        instance.setting_name = setting_name
        return instance


class LazySettings(LazyObject):
    """Settings resolved on first use from ``MANOUCHE_SETTINGS_MODULE``."""

    # Settings are read on every request: resolved values sit in the instance
    # dict, so plain attribute lookup (in C) finds them without a Python hook.
    __getattribute__ = object.__getattribute__

    def _setup(self, name: str | None = None) -> None:
        settings_module = os.environ.get(ENVIRONMENT_VARIABLE)
        if not settings_module:
            desc = f"setting {name}" if name else "settings"
            raise ImproperlyConfigured(
                f"Requested {desc}, but settings are not configured. You must either "
                f"define the environment variable {ENVIRONMENT_VARIABLE} or call "
                "settings.configure() before accessing settings."
            )
        self._wrapped = Settings(settings_module)

    def __repr__(self) -> str:
        if self._wrapped is empty:
            return "<LazySettings [Unevaluated]>"
        return f'<LazySettings "{self._wrapped.SETTINGS_MODULE}">'

    def __getattr__(self, name: str) -> Any:
        if (wrapped := self._wrapped) is empty:
            self._setup(name)
            wrapped = self._wrapped
        value = getattr(wrapped, name)
        if name == "SECRET_KEY" and not value:
            raise ImproperlyConfigured("The SECRET_KEY setting must not be empty.")
        if name in {"MEDIA_URL", "STATIC_URL"} and value is not None:
            value = _add_script_prefix(value)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "_wrapped":
            self.__dict__.clear()
        else:
            self.__dict__.pop(name, None)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        self.__dict__.pop(name, None)

    def configure(
        self, default_settings: Any = global_settings, **options: Any
    ) -> None:
        """Configure settings by hand instead of from a settings module."""
        if self._wrapped is not empty:
            raise RuntimeError("Settings already configured.")
        holder = UserSettingsHolder(default_settings)
        for name, value in options.items():
            if not name.isupper():
                raise TypeError(f"Setting {name!r} must be uppercase.")
            setattr(holder, name, value)
        self._wrapped = holder

    @property
    def configured(self) -> bool:
        """Tell whether settings have been loaded or configured."""
        return self._wrapped is not empty

    def is_overridden(self, setting: str) -> bool:
        """Tell whether the project set ``setting`` itself."""
        return bool(self._wrapped.is_overridden(setting))


def _add_script_prefix(value: str) -> str:
    if value.startswith(("http://", "https://", "/")):
        return value
    from manouche.urls import get_script_prefix

    return f"{get_script_prefix()}{value}"


class Settings:
    """Settings read from a module, over the global defaults."""

    def __init__(self, settings_module: str) -> None:
        for setting in dir(global_settings):
            if setting.isupper():
                setattr(self, setting, getattr(global_settings, setting))
        self.SETTINGS_MODULE = settings_module
        module = importlib.import_module(self.SETTINGS_MODULE)
        self._explicit_settings: set[str] = set()
        for setting in dir(module):
            if not setting.isupper():
                continue
            value = getattr(module, setting)
            if setting in _TUPLE_SETTINGS and not isinstance(value, list | tuple):
                raise ImproperlyConfigured(
                    f"The {setting} setting must be a list or a tuple."
                )
            setattr(self, setting, value)
            self._explicit_settings.add(setting)
        self._apply_time_zone()

    def _apply_time_zone(self) -> None:
        if hasattr(time, "tzset") and self.TIME_ZONE:  # type: ignore[attr-defined]
            zoneinfo_root = "/usr/share/zoneinfo"
            zone_info_file = os.path.join(zoneinfo_root, *self.TIME_ZONE.split("/"))  # type: ignore[attr-defined]
            if os.path.exists(zoneinfo_root) and not os.path.exists(zone_info_file):
                raise ValueError(f"Incorrect timezone setting: {self.TIME_ZONE}")  # type: ignore[attr-defined]
            os.environ["TZ"] = self.TIME_ZONE  # type: ignore[attr-defined]
            time.tzset()

    def is_overridden(self, setting: str) -> bool:
        """Tell whether the settings module set ``setting``."""
        return setting in self._explicit_settings

    def __repr__(self) -> str:
        return f'<{type(self).__name__} "{self.SETTINGS_MODULE}">'


class UserSettingsHolder:
    """Settings set by hand over defaults (``configure``, ``override_settings``)."""

    SETTINGS_MODULE = None

    def __init__(self, default_settings: Any) -> None:
        self.__dict__["_deleted"] = set()
        self.default_settings = default_settings

    def __getattr__(self, name: str) -> Any:
        if not name.isupper() or name in self._deleted:
            raise AttributeError(name)
        return getattr(self.default_settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._deleted.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._deleted.add(name)
        if hasattr(self, name):
            super().__delattr__(name)

    def __dir__(self) -> list[str]:
        return sorted(
            s
            for s in [*self.__dict__, *dir(self.default_settings)]
            if s not in self._deleted
        )

    def is_overridden(self, setting: str) -> bool:
        """Tell whether ``setting`` was set here or by the defaults' module."""
        deleted = setting in self._deleted
        set_locally = setting in self.__dict__
        set_on_default = getattr(
            self.default_settings, "is_overridden", lambda s: False
        )(setting)
        return deleted or set_locally or set_on_default

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


settings: Any = LazySettings()
