"""The library app's configuration."""

from __future__ import annotations

from manouche.apps import AppConfig

__all__ = ["LibraryConfig"]


class LibraryConfig(AppConfig):
    """Books, their authors and tags: the demo's database-backed pages."""

    name = __package__ or "demo.library"
    label = "library"
    verbose_name = "Library"
    default_auto_field = "manouche.db.models.BigAutoField"
