"""Relation field checks: target model, clashes, on_delete, to_field."""

from __future__ import annotations

import pytest

from manouche.core import checks
from manouche.db import models
from manouche.test.utils import override_settings
from tests.db.models.checks.conftest import MakeModel, ids


def test_relation_to_a_missing_model(make_model: MakeModel) -> None:
    model = make_model("Orphan", parent=models.ForeignKey("Missing", models.CASCADE))
    field = model._meta.get_field("parent")
    assert field.check() == [
        checks.Error(
            "Field defines a relation with model 'Missing', which is "
            "either not installed, or is abstract.",
            obj=field,
            id="fields.E300",
        )
    ]


def test_relation_to_a_swapped_model(make_model: MakeModel) -> None:
    make_model("Replacement")
    swapped = make_model("Swapped", meta={"swappable": "TEST_SWAPPED_MODEL"})
    model = make_model("Holder", target=models.ForeignKey(swapped, models.CASCADE))
    field = model._meta.get_field("target")
    with override_settings(TEST_SWAPPED_MODEL="modelapp.Replacement"):
        assert field.check() == [
            checks.Error(
                "Field defines a relation with the model 'modelapp.Swapped', "
                "which has been swapped out.",
                hint="Update the relation to point at 'settings.TEST_SWAPPED_MODEL'.",
                obj=field,
                id="fields.E301",
            )
        ]


def test_relation_to_an_abstract_model(make_model: MakeModel) -> None:
    base = make_model("Base", meta={"abstract": True})
    model = make_model("Child", base_link=models.ForeignKey(base, models.CASCADE))
    assert ids(model._meta.get_field("base_link").check()) == ["fields.E300"]


def test_reverse_accessor_clashes_with_a_field(make_model: MakeModel) -> None:
    target = make_model("Target", source_set=models.IntegerField())
    source = make_model("Source", target=models.ForeignKey(target, models.CASCADE))
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.E302"]
    assert messages[0].msg == (
        "Reverse accessor 'Target.source_set' for 'modelapp.Source.target' clashes "
        "with field name 'modelapp.Target.source_set'."
    )


def test_reverse_query_name_clashes_with_a_field(make_model: MakeModel) -> None:
    target = make_model("Target", source=models.IntegerField())
    source = make_model("Source", target=models.ForeignKey(target, models.CASCADE))
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.E303"]
    assert "clashes with field name 'modelapp.Target.source'" in messages[0].msg


def test_reverse_accessors_of_two_fields_clash(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model(
        "Source",
        first=models.ForeignKey(target, models.CASCADE),
        second=models.ForeignKey(target, models.CASCADE),
    )
    messages = source._meta.get_field("first").check()
    assert ids(messages) == ["fields.E304"]
    assert messages[0].hint == (
        "Add or change a related_name argument to the definition for "
        "'modelapp.Source.first' or 'modelapp.Source.second'."
    )


def test_reverse_query_name_clashes_with_another_accessor(
    make_model: MakeModel,
) -> None:
    target = make_model("Target")
    source = make_model(
        "Source",
        first=models.ForeignKey(target, models.CASCADE),
        second=models.ForeignKey(target, models.CASCADE, related_name="source"),
    )
    messages = source._meta.get_field("first").check()
    assert ids(messages) == ["fields.E305"]
    assert messages[0].msg == (
        "Reverse query name for 'modelapp.Source.first' clashes with reverse query "
        "name for 'modelapp.Source.second'."
    )


def test_related_names_fix_the_clash(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model(
        "Source",
        first=models.ForeignKey(target, models.CASCADE, related_name="firsts"),
        second=models.ForeignKey(target, models.CASCADE, related_name="+"),
    )
    assert source.check() == []


def test_related_name_must_be_an_identifier(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model(
        "Source", target=models.ForeignKey(target, models.CASCADE, related_name="a b")
    )
    messages = source._meta.get_field("target").check()
    assert "fields.E306" in ids(messages)


@pytest.mark.parametrize(
    ("query_name", "check_id"),
    [("sources_", "fields.E308"), ("so__urces", "fields.E309")],
)
def test_related_query_name_is_checked(
    make_model: MakeModel, query_name: str, check_id: str
) -> None:
    target = make_model("Target")
    field = models.ForeignKey(target, models.CASCADE, related_query_name=query_name)
    source = make_model("Source", target=field)
    assert ids(source._meta.get_field("target").check()) == [check_id]


def test_set_null_needs_a_nullable_field(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model("Source", target=models.ForeignKey(target, models.SET_NULL))
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.E320"]
    assert messages[0].hint == (
        "Set null=True argument on the field, or change the on_delete rule."
    )


def test_set_default_needs_a_default(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model("Source", target=models.ForeignKey(target, models.SET_DEFAULT))
    assert ids(source._meta.get_field("target").check()) == ["fields.E321"]


def test_to_field_must_exist(make_model: MakeModel) -> None:
    target = make_model("Target")
    field = models.ForeignKey(target, models.CASCADE, to_field="code")
    source = make_model("Source", target=field)
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.E312"]
    assert messages[0].msg == (
        "The to_field 'code' doesn't exist on the related model 'modelapp.Target'."
    )


def test_to_field_must_be_unique(make_model: MakeModel) -> None:
    target = make_model("Target", code=models.CharField(max_length=5))
    field = models.ForeignKey(target, models.CASCADE, to_field="code")
    source = make_model("Source", target=field)
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.E311"]
    assert messages[0].msg == (
        "'Target.code' must be unique because it is referenced by a foreign key."
    )


def test_a_unique_constraint_makes_to_field_unique(make_model: MakeModel) -> None:
    constraint = models.UniqueConstraint(fields=["code"], name="unique_code")
    target = make_model(
        "Target",
        code=models.CharField(max_length=5),
        meta={"constraints": [constraint]},
    )
    field = models.ForeignKey(target, models.CASCADE, to_field="code")
    source = make_model("Source", target=field)
    assert source._meta.get_field("target").check() == []


def test_unique_foreign_key_suggests_one_to_one(make_model: MakeModel) -> None:
    target = make_model("Target")
    source = make_model(
        "Source", target=models.ForeignKey(target, models.CASCADE, unique=True)
    )
    messages = source._meta.get_field("target").check()
    assert ids(messages) == ["fields.W342"]
    assert messages[0].level == checks.WARNING
