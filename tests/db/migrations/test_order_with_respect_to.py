"""``order_with_respect_to`` in migrations: the ``_order`` column comes and goes."""

from __future__ import annotations

from typing import Any

from manouche.db import migrations, models
from manouche.db.migrations.autodetector import MigrationAutodetector
from manouche.db.migrations.questioner import MigrationQuestioner
from manouche.db.migrations.state import ModelState, ProjectState
from manouche.test.utils import isolate_apps
from tests.db.migrations._operations import APP, apply, columns, pony_state, unapply


def test_alter_order_with_respect_to_adds_and_drops_the_column(database: Any) -> None:
    before = pony_state()
    pony_model = before.apps.get_model(APP, "Pony")
    pony = pony_model.objects.create(pink=1)
    before.apps.get_model(APP, "Rider").objects.create(name="old", pony_id=pony.pk)
    operation = migrations.AlterOrderWithRespectTo("Rider", "pony")

    after = apply(operation, before)

    assert "_order" in columns("mig_rider")
    rider = after.apps.get_model(APP, "Rider")
    assert rider._meta.ordering == ["_order"]
    assert rider.objects.get(name="old")._order == 0
    new = rider.objects.create(name="new", pony_id=pony.pk)
    assert new._order == 1

    unapply(operation, before, after)

    assert "_order" not in columns("mig_rider")


def test_create_model_with_the_option_creates_the_column(database: Any) -> None:
    before = pony_state()
    operation = migrations.CreateModel(
        "Saddle",
        [
            ("id", models.AutoField(primary_key=True)),
            ("pony", models.ForeignKey(f"{APP}.Pony", on_delete=models.CASCADE)),
        ],
        options={"order_with_respect_to": "pony"},
    )

    after = apply(operation, before)

    assert set(columns("mig_saddle")) == {"id", "pony_id", "_order"}
    unapply(operation, before, after)


def _state(*models_: Any) -> ProjectState:
    state = ProjectState()
    for model in models_:
        state.add_model(ModelState.from_model(model))
    return state


def test_model_state_leaves_order_to_the_option_and_detects_changes() -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Shelf(models.Model):
            class Meta:
                app_label = "custom_label"

        class Book(models.Model):
            shelf = models.ForeignKey(Shelf, models.CASCADE)

            class Meta:
                app_label = "custom_label"
                order_with_respect_to = "shelf"

    state = ModelState.from_model(Book)
    assert "_order" not in state.fields
    assert state.options["order_with_respect_to"] == "shelf"
    assert (
        "order_with_respect_to"
        not in ModelState.from_model(Book, exclude_rels=True).options
    )

    def changes(before: ProjectState, after: ProjectState) -> list[str]:
        detector = MigrationAutodetector(before, after, MigrationQuestioner())
        found = detector._detect_changes()
        return [
            type(operation).__name__
            for migration in found.get("custom_label", [])
            for operation in migration.operations
        ]

    ordered = _state(Shelf, Book)
    loose = ProjectState()
    loose.add_model(ModelState.from_model(Shelf))
    loose_book = ModelState.from_model(Book)
    del loose_book.options["order_with_respect_to"]
    loose.add_model(loose_book)
    assert changes(ordered, _state(Shelf, Book)) == []
    assert changes(loose, ordered) == ["AlterOrderWithRespectTo"]
    assert changes(ordered, loose) == ["AlterOrderWithRespectTo"]


def test_get_order_field_when_the_option_was_removed() -> None:
    state = ModelState(
        "custom_label",
        "Record",
        {
            "id": models.AutoField(primary_key=True),
            "_order": models.PositiveSmallIntegerField(),
        },
        options={"order_with_respect_to": None},
    )
    assert isinstance(state.get_field("_order"), models.PositiveSmallIntegerField)
