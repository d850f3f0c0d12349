"""The model layer's test app."""

from __future__ import annotations

from manouche.apps import AppConfig


class ModelAppConfig(AppConfig):
    """Models used by tests/db/models."""

    name = "tests.db.models.modelapp"
    label = "modelapp"
    default_auto_field = "manouche.db.models.AutoField"
