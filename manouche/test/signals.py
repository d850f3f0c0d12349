"""Receivers that keep cached state in step when a test changes settings."""

from __future__ import annotations

import os
import time
from typing import Any

from manouche.core.signals import setting_changed
from manouche.dispatch import receiver

__all__ = ["COMPLEX_OVERRIDE_SETTINGS", "setting_changed"]

COMPLEX_OVERRIDE_SETTINGS = {"DATABASES"}


@receiver(setting_changed)
def update_installed_apps(*, setting: str, **kwargs: Any) -> None:
    """Clear caches that depend on the installed apps."""
    if setting == "INSTALLED_APPS":
        from manouche.utils.module_loading import cached_import  # noqa: F401

        try:
            from manouche.core.management import get_commands
        except ImportError:
            return
        get_commands.cache_clear()


@receiver(setting_changed)
def update_time_zone(*, setting: str, value: Any, **kwargs: Any) -> None:
    """Apply TIME_ZONE changes to the process."""
    if setting == "TIME_ZONE" and hasattr(time, "tzset"):
        if kwargs.get("enter"):
            os.environ["TZ"] = value
        else:
            os.environ.pop("TZ", None) if value is None else os.environ.__setitem__("TZ", value)
        time.tzset()


@receiver(setting_changed)
def root_urlconf_changed(*, setting: str, **kwargs: Any) -> None:
    """Forget resolved URLconfs when ROOT_URLCONF changes."""
    if setting == "ROOT_URLCONF":
        try:
            from manouche.urls import clear_url_caches, set_urlconf
        except ImportError:
            return
        clear_url_caches()
        set_urlconf(None)
