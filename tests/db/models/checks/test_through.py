"""ManyToManyField checks: ignored options and the intermediate model."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core import checks
from manouche.db import models
from manouche.test.utils import override_settings
from tests.db.models.checks.conftest import MakeModel, ids


class Router:
    """A router that expresses no opinion (its presence is what matters)."""


def _m2m_check(model: Any, name: str = "members") -> list[Any]:
    return list(model._meta.get_field(name).check())


@pytest.mark.parametrize(
    ("kwargs", "check_id"),
    [
        ({"unique": True}, "fields.E330"),
        ({"null": True}, "fields.W340"),
        ({"validators": [lambda value: None]}, "fields.W341"),
        ({"db_comment": "Who belongs."}, "fields.W346"),
    ],
)
def test_options_many_to_many_refuses_or_ignores(
    make_model: MakeModel, kwargs: dict[str, Any], check_id: str
) -> None:
    person = make_model("Person")
    group = make_model("Group", members=models.ManyToManyField(person, **kwargs))
    assert ids(_m2m_check(group)) == [check_id]


def test_limit_choices_to_is_ignored_with_a_through_model(
    make_model: MakeModel,
) -> None:
    person = make_model("Person")
    field = models.ManyToManyField(
        person, through="Membership", limit_choices_to={"pk": 1}
    )
    group = make_model("Group", members=field)
    make_model(
        "Membership",
        person=models.ForeignKey(person, models.CASCADE),
        group=models.ForeignKey(group, models.CASCADE),
    )
    assert ids(_m2m_check(group)) == ["fields.W343"]


def test_related_name_is_ignored_when_symmetrical(make_model: MakeModel) -> None:
    person = make_model(
        "Person", friends=models.ManyToManyField("self", related_name="befriended")
    )
    assert ids(_m2m_check(person, "friends")) == ["fields.W345"]


def test_through_model_must_be_installed(make_model: MakeModel) -> None:
    person = make_model("Person")
    group = make_model(
        "Group", members=models.ManyToManyField(person, through="Missing")
    )
    messages = _m2m_check(group)
    assert messages == [
        checks.Error(
            "Field specifies a many-to-many relation through model "
            "'Missing', which has not been installed.",
            obj=group._meta.get_field("members"),
            id="fields.E331",
        )
    ]


def test_self_through_with_three_keys_is_ambiguous(make_model: MakeModel) -> None:
    person = make_model(
        "Person", friends=models.ManyToManyField("self", through="Friendship")
    )
    make_model(
        "Friendship",
        first=models.ForeignKey(person, models.CASCADE, related_name="+"),
        second=models.ForeignKey(person, models.CASCADE, related_name="+"),
        third=models.ForeignKey(person, models.CASCADE, related_name="+"),
    )
    assert ids(_m2m_check(person, "friends")) == ["fields.E333"]


def _membership(make_model: MakeModel, **keys: Any) -> Any:
    person = make_model("Person")
    group = make_model(
        "Group", members=models.ManyToManyField(person, through="Membership")
    )
    targets = {"person": person, "group": group}
    attrs = {
        name: models.ForeignKey(targets[kind], models.CASCADE, related_name="+")
        for name, kind in keys.items()
    }
    make_model("Membership", **attrs)
    return group


@pytest.mark.parametrize(
    ("keys", "check_ids"),
    [
        ({"a": "group", "b": "group", "p": "person"}, ["fields.E334"]),
        ({"g": "group", "a": "person", "b": "person"}, ["fields.E335"]),
        ({"g": "group"}, ["fields.E336"]),
    ],
)
def test_ambiguous_or_missing_keys(
    make_model: MakeModel, keys: dict[str, str], check_ids: list[str]
) -> None:
    group = _membership(make_model, **keys)
    assert ids(_m2m_check(group)) == check_ids


def _with_through_fields(make_model: MakeModel, through_fields: Any) -> Any:
    person = make_model("Person")
    field = models.ManyToManyField(
        person, through="Membership", through_fields=through_fields
    )
    group = make_model("Group", members=field)
    make_model(
        "Membership",
        group=models.ForeignKey(group, models.CASCADE),
        person=models.ForeignKey(person, models.CASCADE),
        inviter=models.ForeignKey(person, models.CASCADE, related_name="+"),
    )
    return group


@pytest.mark.parametrize(
    ("through_fields", "check_ids"),
    [
        (("group",), ["fields.E337"]),
        (("group", "nobody"), ["fields.E338"]),
        (("person", "inviter"), ["fields.E339"]),
        (("group", "inviter"), []),
    ],
)
def test_through_fields_are_checked(
    make_model: MakeModel, through_fields: Any, check_ids: list[str]
) -> None:
    group = _with_through_fields(make_model, through_fields)
    assert ids(_m2m_check(group)) == check_ids


def test_through_fields_hint_lists_the_keys(make_model: MakeModel) -> None:
    group = _with_through_fields(make_model, ("group", "nobody"))
    assert _m2m_check(group)[0].hint == (
        "Did you mean one of the following foreign keys to 'Person': person, inviter?"
    )


def test_join_table_name_clash(make_model: MakeModel) -> None:
    person = make_model("Person")
    group = make_model(
        "Group", members=models.ManyToManyField(person, db_table="modelapp_person")
    )
    messages = _m2m_check(group)
    assert messages == [
        checks.Error(
            "The field's intermediary table 'modelapp_person' clashes with the "
            "table name of 'modelapp.Person'.",
            obj=group._meta.get_field("members"),
            id="fields.E340",
        )
    ]
    with override_settings(
        DATABASE_ROUTERS=["tests.db.models.checks.test_through.Router"]
    ):
        assert ids(_m2m_check(group)) == ["fields.W344"]
