"""An app with natural keys and fixture files, for the serializer tests."""

from __future__ import annotations

from manouche.apps import AppConfig


class FixtureAppConfig(AppConfig):
    """Models with natural keys; fixtures in fixtures/."""

    name = "tests.db.serializers.fixtureapp"
    label = "fixtureapp"
    default_auto_field = "manouche.db.models.AutoField"
