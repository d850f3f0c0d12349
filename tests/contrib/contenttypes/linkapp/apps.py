"""App config of the shortcut view test models."""

from __future__ import annotations

from manouche.apps import AppConfig


class LinkAppConfig(AppConfig):
    """Pages with URLs; installed only by the view tests."""

    name = "tests.contrib.contenttypes.linkapp"
    label = "linkapp"
    default_auto_field = "manouche.db.models.AutoField"
