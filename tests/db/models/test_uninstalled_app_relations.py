"""Models of apps that are not installed add no reverse relations (as in Django)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.test.utils import isolate_apps


def test_a_model_outside_the_installed_apps_adds_no_reverse_relation(
    database: Any,
) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Target(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "custom_label"

        class Installed(models.Model):
            target = models.ForeignKey(Target, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        class Stray(models.Model):
            # Imported, but its app is not installed: no table is expected.
            target = models.ForeignKey(Target, models.CASCADE, related_name="strays")

            class Meta:
                app_label = "not_installed"

        names = {relation.name for relation in Target._meta.related_objects}
        assert names == {"installed"}
        with pytest.raises(FieldError):
            Target.objects.filter(strays__id=1).count()
        database.create_models(Target, Installed)
        target = Target.objects.create(name="t")
        Installed.objects.create(target=target)
        # The cascade reaches the installed model only: Stray has no table.
        deleted, per_model = target.delete()
        assert deleted == 2
        assert "not_installed.Stray" not in per_model
        assert Stray._meta.get_field("target").remote_field.model is Target
