"""A multi-table child reached by a nullable key: its parent join stays outer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.db import models
from manouche.db.models import Q
from manouche.test.utils import isolate_apps


@pytest.fixture
def kinds(database: Any) -> Iterator[dict[str, Any]]:
    with isolate_apps("tests.apps.custom_label"):

        class Kind(models.Model):
            code = models.CharField(max_length=10, default="")

            class Meta:
                app_label = "custom_label"

        class NamedKind(Kind):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "custom_label"

        class Thing(models.Model):
            label = models.CharField(max_length=10)
            kind = models.ForeignKey(NamedKind, models.SET_NULL, null=True)

            class Meta:
                app_label = "custom_label"
                ordering = ["label"]

        database.create_models(Kind, NamedKind, Thing)
        named = NamedKind.objects.create(name="named", code="c1")
        Thing.objects.create(label="a", kind=named)
        Thing.objects.create(label="b")
        yield {"Thing": Thing, "named": named}


def test_select_related_keeps_rows_without_the_child(kinds: dict[str, Any]) -> None:
    things = list(kinds["Thing"].objects.select_related("kind"))
    assert [thing.label for thing in things] == ["a", "b"]
    assert things[0].kind.code == "c1"
    assert things[1].kind is None


def test_or_on_a_parent_column_keeps_rows_without_the_child(
    kinds: dict[str, Any],
) -> None:
    thing = kinds["Thing"]
    queryset = thing.objects.filter(Q(kind__code="c1") | Q(label="b"))
    assert [row.label for row in queryset] == ["a", "b"]
    assert [row.label for row in thing.objects.filter(kind__code="c1")] == ["a"]
