"""System checks of generic relations and model names (contenttypes.E001-E005)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps import apps
from manouche.contrib.contenttypes.checks import (
    check_generic_foreign_keys,
    check_model_name_lengths,
)
from manouche.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from manouche.contrib.contenttypes.models import ContentType
from manouche.db import models
from tests.contrib.contenttypes.genericapp.models import TaggedItem


@pytest.fixture
def isolated() -> Any:
    """Register throwaway models without touching the real app registry."""
    from manouche.apps.registry import Apps

    return Apps(["manouche.contrib.contenttypes"])


def _model(isolated: Any, name: str, attrs: dict[str, Any]) -> Any:
    meta = type("Meta", (), {"app_label": "genericapp", "apps": isolated})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **attrs})


def test_installed_models_pass() -> None:
    assert check_generic_foreign_keys() == []
    assert check_generic_foreign_keys([apps.get_app_config("genericapp")]) == []
    assert TaggedItem._meta.get_field("content_object").check() == []


def test_missing_fields_are_reported(isolated: Any) -> None:
    model = _model(isolated, "Broken", {"target_": GenericForeignKey()})
    errors = model._meta.get_field("target_").check()
    assert [e.id for e in errors] == [
        "fields.E001",
        "contenttypes.E001",
        "contenttypes.E002",
    ]
    assert errors[1].msg == (
        "The GenericForeignKey object ID references the nonexistent field 'object_id'."
    )
    assert errors[2].msg == (
        "The GenericForeignKey content type references the nonexistent field "
        "'Broken.content_type'."
    )


def test_content_type_must_be_a_foreign_key_to_content_type(isolated: Any) -> None:
    plain = _model(
        isolated,
        "Plain",
        {
            "content_type": models.IntegerField(),
            "object_id": models.IntegerField(),
            "target": GenericForeignKey(),
        },
    )
    (error,) = plain._meta.get_field("target").check()
    assert (error.id, error.msg) == (
        "contenttypes.E003",
        "'Plain.content_type' is not a ForeignKey.",
    )
    elsewhere = _model(
        isolated,
        "Elsewhere",
        {
            "content_type": models.ForeignKey(TaggedItem, on_delete=models.CASCADE),
            "object_id": models.IntegerField(),
            "target": GenericForeignKey(),
        },
    )
    (error,) = elsewhere._meta.get_field("target").check()
    assert error.id == "contenttypes.E004"
    assert error.msg == (
        "'Elsewhere.content_type' is not a ForeignKey to 'contenttypes.ContentType'."
    )


@pytest.fixture
def isolated_app() -> Any:
    """An isolated registry where genericapp is installed (but empty)."""
    from manouche.apps.registry import Apps

    return Apps(
        ["manouche.contrib.contenttypes", "tests.contrib.contenttypes.genericapp"]
    )


def _tag_fields(**names: str) -> dict[str, Any]:
    ct = names.get("ct", "content_type")
    fk = names.get("fk", "object_id")
    return {
        ct: models.ForeignKey(ContentType, on_delete=models.CASCADE),
        fk: models.PositiveIntegerField(),
        "target": GenericForeignKey(ct, fk),
    }


def test_generic_relation_to_a_generic_key_passes(isolated_app: Any) -> None:
    _model(isolated_app, "Tag", _tag_fields())
    _model(isolated_app, "CustomTag", _tag_fields(ct="kind", fk="key"))
    holder = _model(
        isolated_app,
        "Holder",
        {
            "tags": GenericRelation("Tag"),
            "custom": GenericRelation(
                "CustomTag", content_type_field="kind", object_id_field="key"
            ),
        },
    )
    # The object id is not unique, and need not be (no fields.E311).
    assert holder._meta.get_field("tags").check() == []
    assert holder._meta.get_field("custom").check() == []


def test_generic_relation_needs_a_matching_generic_key(isolated_app: Any) -> None:
    _model(
        isolated_app,
        "Untagged",
        {
            "content_type": models.ForeignKey(ContentType, on_delete=models.CASCADE),
            "object_id": models.PositiveIntegerField(),
        },
    )
    _model(isolated_app, "OtherNames", _tag_fields(ct="kind", fk="key"))
    holder = _model(
        isolated_app,
        "Holder",
        {
            "untagged": GenericRelation("Untagged"),
            "mismatch": GenericRelation("OtherNames"),
        },
    )
    for name, label in [("untagged", "Untagged"), ("mismatch", "OtherNames")]:
        (error,) = holder._meta.get_field(name).check()
        assert error.id == "contenttypes.E004"
        assert error.msg == (
            "The GenericRelation defines a relation with the model "
            f"'genericapp.{label}', but that model does not have a "
            "GenericForeignKey."
        )


def test_generic_relation_to_a_missing_model_reports_only_that(
    isolated_app: Any,
) -> None:
    holder = _model(isolated_app, "Holder", {"rel": GenericRelation("Missing")})
    (error,) = holder._meta.get_field("rel").check()
    assert error.id == "fields.E300"


def test_model_names_longer_than_the_column_are_reported(isolated_app: Any) -> None:
    _model(isolated_app, "A" * 100, {})
    too_long = _model(isolated_app, "B" * 101, {})
    (error,) = check_model_name_lengths(isolated_app.get_app_configs())
    assert (error.id, error.obj) == ("contenttypes.E005", too_long)
    assert error.msg == "Model names must be at most 100 characters (got 101)."
    assert check_model_name_lengths() == []
