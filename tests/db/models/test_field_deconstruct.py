"""Field.deconstruct() and Field.clone(): what migrations rebuild fields from."""

from __future__ import annotations

import json
from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.db import models
from manouche.db.migrations.state import AppConfigStub


@pytest.mark.parametrize(
    ("field", "path", "kwargs"),
    [
        (
            models.CharField(max_length=5),
            "manouche.db.models.CharField",
            {"max_length": 5},
        ),
        (
            models.CharField(max_length=5, db_collation="C", null=True, blank=True),
            "manouche.db.models.CharField",
            {"max_length": 5, "db_collation": "C", "null": True, "blank": True},
        ),
        (models.EmailField(), "manouche.db.models.EmailField", {}),
        (
            models.EmailField(max_length=100),
            "manouche.db.models.EmailField",
            {"max_length": 100},
        ),
        (
            models.SlugField(db_index=False),
            "manouche.db.models.SlugField",
            {"db_index": False},
        ),
        (
            models.DecimalField(max_digits=5, decimal_places=2),
            "manouche.db.models.DecimalField",
            {"max_digits": 5, "decimal_places": 2},
        ),
        (
            models.DateTimeField(auto_now_add=True),
            "manouche.db.models.DateTimeField",
            {"auto_now_add": True},
        ),
        (models.UUIDField(), "manouche.db.models.UUIDField", {}),
        (
            models.GenericIPAddressField(protocol="ipv4"),
            "manouche.db.models.GenericIPAddressField",
            {"protocol": "ipv4"},
        ),
        (models.BinaryField(), "manouche.db.models.BinaryField", {}),
        (
            models.JSONField(encoder=json.JSONEncoder),
            "manouche.db.models.JSONField",
            {"encoder": json.JSONEncoder},
        ),
        (
            models.IntegerField(unique_for_date="d", db_tablespace="t", db_comment="c"),
            "manouche.db.models.IntegerField",
            {"unique_for_date": "d", "db_tablespace": "t", "db_comment": "c"},
        ),
        (
            models.ForeignKey("zoo.Animal", models.CASCADE, db_index=False),
            "manouche.db.models.ForeignKey",
            {"to": "zoo.animal", "on_delete": models.CASCADE, "db_index": False},
        ),
        (
            models.OneToOneField(
                "Animal", models.CASCADE, related_name="+", to_field="code"
            ),
            "manouche.db.models.OneToOneField",
            {
                "to": "animal",
                "on_delete": models.CASCADE,
                "related_name": "+",
                "to_field": "code",
            },
        ),
        (
            models.ManyToManyField("self"),
            "manouche.db.models.ManyToManyField",
            {"to": "self"},
        ),
        (
            models.ManyToManyField(
                "zoo.Tag", through="zoo.Tagging", db_constraint=False
            ),
            "manouche.db.models.ManyToManyField",
            {"to": "zoo.tag", "through": "zoo.tagging", "db_constraint": False},
        ),
    ],
)
def test_deconstruct_gives_the_path_and_changed_keywords(
    field: Any, path: str, kwargs: dict[str, Any]
) -> None:
    name, found_path, args, found_kwargs = field.deconstruct()

    assert (name, found_path, args, found_kwargs) == ("", path, [], kwargs)
    clone = field.clone()
    assert type(clone) is type(field)
    assert clone.deconstruct() == field.deconstruct()
    assert clone is not field
    if field.remote_field is not None:
        assert clone.remote_field is not field.remote_field


def test_bound_fields_deconstruct_what_was_declared() -> None:
    apps = Apps([AppConfigStub("zoo")])

    class Animal(models.Model):
        name = models.CharField(max_length=5, validators=[str.isalpha])
        friends = models.ManyToManyField("self", related_name="%(class)s_friends")
        Meta = type("Meta", (), {"app_label": "zoo", "apps": apps})

    class Keeper(models.Model):
        animal = models.ForeignKey(Animal, models.CASCADE, related_name="keepers")
        Meta = type("Meta", (), {"app_label": "zoo", "apps": apps})

    name_kwargs = Animal._meta.get_field("name").deconstruct()[3]
    assert name_kwargs == {"max_length": 5, "validators": [str.isalpha]}
    friends = Animal._meta.get_field("friends").deconstruct()
    assert friends[3] == {
        "to": "zoo.animal",
        "related_name": "%(class)s_friends",
        "symmetrical": True,
    }
    animal = Keeper._meta.get_field("animal")
    assert animal.deconstruct()[0] == "animal"
    assert animal.deconstruct()[3]["to"] == "zoo.animal"
    clone = animal.clone()
    assert clone.model is None
    assert clone.remote_field.model == "zoo.animal"
    assert Keeper._meta.get_field("id").deconstruct()[3] == {
        "verbose_name": "ID",
        "primary_key": True,
        "serialize": False,
        "auto_created": True,
    }
