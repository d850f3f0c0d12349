"""manouche: a batteries-included, async-native web framework with Django's API."""

from __future__ import annotations

__all__ = ["VERSION", "__version__", "get_version", "setup"]

VERSION = (0, 1, 0, "alpha", 0)
__version__ = "0.1.0a0"


def get_version() -> str:
    """Return the version string, PEP 440 style."""
    return __version__


def setup(set_prefix: bool = True) -> None:
    """Configure settings, logging and the app registry, as ``django.setup()`` does."""
    from manouche.apps import apps
    from manouche.conf import settings
    from manouche.utils.log import configure_logging

    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    if set_prefix:
        from manouche.urls import set_script_prefix

        script_name = settings.FORCE_SCRIPT_NAME
        set_script_prefix("/" if script_name is None else script_name)
    apps.populate(settings.INSTALLED_APPS)
