"""App config of the contenttypes test models."""

from __future__ import annotations

from manouche.apps import AppConfig


class GenericAppConfig(AppConfig):
    """Models with GenericForeignKey / GenericRelation."""

    name = "tests.contrib.contenttypes.genericapp"
    label = "genericapp"
    default_auto_field = "manouche.db.models.AutoField"
