"""App config for manouche.contrib.staticfiles."""

from __future__ import annotations

from manouche.apps import AppConfig

__all__ = ["StaticFilesConfig"]


class StaticFilesConfig(AppConfig):
    """Static files: finders, the staticfiles storage and the dev-server handler."""

    name = "manouche.contrib.staticfiles"
    verbose_name = "Static Files"
    ignore_patterns = ["CVS", ".*", "*~"]
