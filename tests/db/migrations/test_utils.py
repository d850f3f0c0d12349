"""migrations.utils: relation resolution and reference lookups."""

from __future__ import annotations

import re

import pytest

from manouche.db import models
from manouche.db.migrations.state import ModelState, ProjectState
from manouche.db.migrations.utils import (
    COMPILED_REGEX_TYPE,
    FieldReference,
    ModelTuple,
    RegexObject,
    field_is_referenced,
    field_references,
    get_migration_name_timestamp,
    get_references,
    resolve_relation,
)


def test_resolve_relation_forms() -> None:
    assert resolve_relation("zoo.Animal") == ("zoo", "animal")
    assert resolve_relation("Animal", "zoo") == ("zoo", "animal")
    assert resolve_relation("self", "zoo", "Animal") == ("zoo", "animal")
    assert ModelTuple.from_model("Zoo.Cage") == ModelTuple("Zoo", "cage")


def test_resolve_relation_needs_scope_for_short_names() -> None:
    with pytest.raises(TypeError, match="app_label must be provided"):
        resolve_relation("Animal")
    with pytest.raises(TypeError, match="recursive relationships"):
        resolve_relation("self", "zoo")


def test_regex_object_compares_pattern_and_flags() -> None:
    first = RegexObject(re.compile("a+", re.I))

    assert isinstance(re.compile("x"), COMPILED_REGEX_TYPE)
    assert first == RegexObject(re.compile("a+", re.I))
    assert first != RegexObject(re.compile("a+"))
    assert hash(first) == hash(RegexObject(re.compile("a+", re.I)))
    assert re.fullmatch(r"\d{8}_\d{4}", get_migration_name_timestamp())


def _state() -> ProjectState:
    state = ProjectState()
    state.add_model(
        ModelState(
            "zoo",
            "Tag",
            [
                ("id", models.AutoField(primary_key=True)),
                ("code", models.CharField(max_length=5, unique=True)),
            ],
        )
    )
    state.add_model(
        ModelState(
            "zoo",
            "Label",
            [
                ("id", models.AutoField(primary_key=True)),
                ("tag", models.ForeignKey("Tag", models.CASCADE, to_field="code")),
                (
                    "other",
                    models.ForeignKey("zoo.Tag", models.CASCADE, related_name="+"),
                ),
                ("tags", models.ManyToManyField("zoo.Tag", through="zoo.Tagging")),
            ],
        )
    )
    return state


def test_field_references_by_model_and_field() -> None:
    state = _state()
    label = state.models["zoo", "label"]

    by_to_field = field_references(
        ("zoo", "label"), label.fields["tag"], ("zoo", "tag")
    )
    assert isinstance(by_to_field, FieldReference)
    assert by_to_field.to is not None
    assert field_references(
        ("zoo", "label"), label.fields["tag"], ("zoo", "tag"), "code"
    )
    assert not field_references(
        ("zoo", "label"), label.fields["tag"], ("zoo", "tag"), "id"
    )
    pk = state.models["zoo", "tag"].fields["id"]
    assert field_references(
        ("zoo", "label"), label.fields["other"], ("zoo", "tag"), "id", pk
    )
    through = field_references(
        ("zoo", "label"), label.fields["tags"], ("zoo", "tagging")
    )
    assert isinstance(through, FieldReference)
    assert through.to is None
    assert through.through is not None
    assert not field_references(("zoo", "label"), label.fields["id"], ("zoo", "tag"))


def test_get_references_and_field_is_referenced() -> None:
    state = _state()
    code = state.models["zoo", "tag"].fields["code"]

    found = [name for _, name, _, _ in get_references(state, ("zoo", "tag"))]

    assert found == ["tag", "other", "tags"]
    assert field_is_referenced(state, ("zoo", "tag"), ("code", code))
    assert not field_is_referenced(state, ("zoo", "label"), ("id", code))
