"""The field tests' app (models are declared inside ``isolate_apps``)."""

from __future__ import annotations

from manouche.apps import AppConfig


class FieldsAppConfig(AppConfig):
    """Holds the throwaway models of tests/db/models/fields."""

    name = "tests.db.models.fields.fieldsapp"
    label = "fieldsapp"
    default_auto_field = "manouche.db.models.AutoField"
