"""Receivers that keep cached state in step when a test changes settings."""

from __future__ import annotations

import os
import time
from typing import Any

from manouche.core.signals import setting_changed
from manouche.dispatch import Signal, receiver

__all__ = ["COMPLEX_OVERRIDE_SETTINGS", "setting_changed", "template_rendered"]

COMPLEX_OVERRIDE_SETTINGS = {"DATABASES"}

# Sent by template engines when a test environment is active; the test client
# collects ``template`` and ``context`` from it for ``response.templates``.
template_rendered = Signal()


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
            os.environ.pop("TZ", None) if value is None else os.environ.__setitem__(
                "TZ", value
            )
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


@receiver(setting_changed)
def reset_default_timezone(*, setting: str, **kwargs: Any) -> None:
    """Forget the cached default time zone when TIME_ZONE changes."""
    if setting == "TIME_ZONE":
        from manouche.utils.timezone import get_default_timezone

        get_default_timezone.cache_clear()


@receiver(setting_changed)
def request_limits_changed(*, setting: str, **kwargs: Any) -> None:
    """Forget the request limits the ASGI handler read from settings."""
    from manouche.core.handlers._scope import LIMIT_SETTINGS, clear_limits

    if setting in LIMIT_SETTINGS:
        clear_limits()


@receiver(setting_changed)
def databases_changed(*, setting: str, **kwargs: Any) -> None:
    """Rebuild connections when DATABASES changes; forget routers on ROUTERS."""
    if setting == "DATABASES":
        import sys

        if "manouche.db" not in sys.modules:
            return
        from manouche.db import connections

        connections.reset()
    elif setting == "DATABASE_ROUTERS":
        import sys

        if "manouche.db" not in sys.modules:
            return
        from manouche.db import router

        router.__dict__.pop("routers", None)


@receiver(setting_changed)
def reset_template_engines(*, setting: str, **kwargs: Any) -> None:
    """Rebuild template engines when TEMPLATES, DEBUG or INSTALLED_APPS change."""
    if setting not in {"TEMPLATES", "DEBUG", "INSTALLED_APPS"}:
        return
    import sys

    if "manouche.template" not in sys.modules:
        return
    from manouche.template import engines
    from manouche.template.engine import Engine
    from manouche.template.utils import get_app_template_dirs

    engines.__dict__.pop("templates", None)
    engines._templates = None
    engines._engines = {}
    Engine.get_default.cache_clear()
    get_app_template_dirs.cache_clear()


@receiver(setting_changed)
def storages_changed(*, setting: str, **kwargs: Any) -> None:
    """Forget configured storages when STORAGES (or static settings) change."""
    if setting not in {"STORAGES", "STATIC_ROOT", "STATIC_URL"}:
        return
    import sys

    from manouche.utils.functional import empty

    if "manouche.contrib.staticfiles.storage" in sys.modules:
        staticfiles = sys.modules["manouche.contrib.staticfiles.storage"]
        staticfiles.staticfiles_storage._wrapped = empty
    if setting == "STORAGES" and "manouche.core.files.storage" in sys.modules:
        from manouche.core.files.storage import default_storage, storages

        storages._backends = None
        storages.__dict__.pop("backends", None)
        storages._storages = {}
        default_storage._wrapped = empty


@receiver(setting_changed)
def static_finders_changed(*, setting: str, **kwargs: Any) -> None:
    """Forget the cached static file finders when what they read changes."""
    if setting not in {"STATICFILES_DIRS", "STATICFILES_FINDERS", "INSTALLED_APPS"}:
        return
    import sys

    finders = sys.modules.get("manouche.contrib.staticfiles.finders")
    if finders is not None:
        finders.get_finder.cache_clear()
