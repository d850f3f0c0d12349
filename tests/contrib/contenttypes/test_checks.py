"""System checks of GenericForeignKey (contenttypes.E001-E004)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps import apps
from manouche.contrib.contenttypes.checks import check_generic_foreign_keys
from manouche.contrib.contenttypes.fields import GenericForeignKey
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
