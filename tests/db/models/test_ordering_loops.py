"""Meta.orderings that follow relations in a cycle are refused, not recursed."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.test.utils import isolate_apps


def test_a_cycle_of_related_orderings_is_an_error(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Egg(models.Model):
            hen = models.ForeignKey("Hen", models.CASCADE, null=True)

            class Meta:
                app_label = "custom_label"
                ordering = ["hen"]

        class Hen(models.Model):
            egg = models.ForeignKey(Egg, models.CASCADE, null=True)

            class Meta:
                app_label = "custom_label"
                ordering = ["egg"]

        class Chain(models.Model):
            previous = models.ForeignKey("self", models.CASCADE, null=True)

            class Meta:
                app_label = "custom_label"
                ordering = ["previous"]

        database.create_models(Egg, Hen, Chain)
        for model in (Egg, Hen, Chain):
            with pytest.raises(FieldError, match="Infinite loop caused by ordering."):
                list(model.objects.all())
        # An explicit path through the same relations is fine.
        assert list(Egg.objects.order_by("hen__egg__hen__id")) == []
        assert list(Chain.objects.order_by("previous__id")) == []
