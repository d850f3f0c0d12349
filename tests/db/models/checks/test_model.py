"""Model.check(): names, primary keys, inheritance clashes, swappable, W042."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.core import checks
from manouche.db import models
from manouche.test.utils import override_settings
from tests.db.models.checks.conftest import MakeModel, ids


def test_plain_model_reports_nothing(make_model: MakeModel) -> None:
    model = make_model("Plain", name=models.CharField(max_length=5))
    assert model.check() == []


def test_field_problems_are_collected(make_model: MakeModel) -> None:
    model = make_model("Holder", name_=models.IntegerField())
    assert ids(model.check()) == ["fields.E001"]


def test_swappable_setting_must_name_a_model(make_model: MakeModel) -> None:
    model = make_model("Account", meta={"swappable": "TEST_ACCOUNT_MODEL"})
    with override_settings(TEST_ACCOUNT_MODEL="not-a-label"):
        assert model.check() == [
            checks.Error(
                "'TEST_ACCOUNT_MODEL' is not of the form 'app_label.app_name'.",
                id="models.E001",
            )
        ]
    with override_settings(TEST_ACCOUNT_MODEL="modelapp.Nobody"):
        assert ids(model.check()) == ["models.E002"]
    with override_settings(TEST_ACCOUNT_MODEL="modelapp.Account"):
        assert model.check() == []


def test_two_identical_relations_through_one_model(make_model: MakeModel) -> None:
    person = make_model("Person")
    group = make_model(
        "Group",
        members=models.ManyToManyField(
            person, through="Membership", related_name="groups"
        ),
        others=models.ManyToManyField(
            person, through="Membership", related_name="other_groups"
        ),
    )
    make_model(
        "Membership",
        person=models.ForeignKey(person, models.CASCADE),
        group=models.ForeignKey(group, models.CASCADE),
    )
    assert "models.E003" in ids(group.check())


def test_id_must_be_the_primary_key(make_model: MakeModel) -> None:
    model = make_model("Badid", id=models.IntegerField())
    assert model.check() == [
        checks.Error(
            "'id' can only be used as a field name if the field also sets "
            "'primary_key=True'.",
            obj=model,
            id="models.E004",
        )
    ]


def test_two_parents_with_one_field_name(make_model: MakeModel) -> None:
    mother = make_model("Mother", name=models.CharField(max_length=5))
    father = make_model("Father", name=models.CharField(max_length=5))
    meta = {"app_label": "modelapp", "apps": mother._meta.apps}
    child = type(
        "Child",
        (mother, father),
        {"__module__": __name__, "Meta": type("Meta", (), meta)},
    )
    messages = [m for m in child.check() if m.id == "models.E005"]
    assert [m.msg for m in messages] == [
        "The field 'id' from parent model 'modelapp.mother' clashes with the "
        "field 'id' from parent model 'modelapp.father'.",
        "The field 'name' from parent model 'modelapp.mother' clashes with the "
        "field 'name' from parent model 'modelapp.father'.",
    ]


def test_field_clashes_with_a_parent_accessor(make_model: MakeModel) -> None:
    place = make_model("Place")
    restaurant = make_model(
        "Restaurant", base=place, place_ptr_id=models.IntegerField()
    )
    assert "models.E006" in ids(restaurant.check())


def test_diamond_parent_link_clash(make_model: MakeModel) -> None:
    grandparent = make_model("Grandparent")
    parent = make_model("Parent", base=grandparent)
    child = make_model("Child", base=parent)
    meta = {"app_label": "modelapp", "apps": grandparent._meta.apps}
    diamond = type(
        "Diamond",
        (child, grandparent),
        {"__module__": __name__, "Meta": type("Meta", (), meta)},
    )
    assert diamond.check() == [
        checks.Error(
            "The field 'grandparent_ptr' clashes with the field 'grandparent_ptr' "
            "from model 'modelapp.parent'.",
            obj=diamond,
            id="models.E006",
        )
    ]


def test_two_fields_with_one_column(make_model: MakeModel) -> None:
    model = make_model(
        "Columns",
        first=models.IntegerField(db_column="shared"),
        second=models.IntegerField(db_column="shared"),
    )
    assert model.check() == [
        checks.Error(
            "Field 'second' has column name 'shared' that is used by another field.",
            hint="Specify a 'db_column' for the field.",
            obj=model,
            id="models.E007",
        )
    ]


def test_proxy_model_cannot_add_fields(make_model: MakeModel) -> None:
    concrete = make_model("Concrete")
    proxy = make_model(
        "Proxied", base=concrete, meta={"proxy": True}, extra=models.IntegerField()
    )
    assert "models.E017" in ids(proxy.check())


@pytest.mark.parametrize(
    ("name", "check_id"),
    [
        ("_Hidden", "models.E023"),
        ("Trailing_", "models.E023"),
        ("Two__Parts", "models.E024"),
    ],
)
def test_model_name_must_not_look_like_a_lookup(
    make_model: MakeModel, name: str, check_id: str
) -> None:
    assert ids(make_model(name).check()) == [check_id]


def test_property_clashing_with_a_relation_accessor(make_model: MakeModel) -> None:
    target = make_model("Target")
    model = make_model(
        "Holder",
        target=models.ForeignKey(target, models.CASCADE),
        target_id=property(lambda self: 1),
    )
    messages = [m for m in model.check() if m.id == "models.E025"]
    assert [m.msg for m in messages] == [
        "The property 'target_id' clashes with a related field accessor."
    ]


def test_a_single_primary_key(make_model: MakeModel) -> None:
    model = make_model(
        "Keys",
        first=models.IntegerField(primary_key=True),
        second=models.IntegerField(primary_key=True),
    )
    assert ids(model.check()) == ["models.E026"]


def test_long_autogenerated_column_names(make_model: MakeModel) -> None:
    name = "x" * 70
    model = make_model("Wide", **{name: models.IntegerField()})
    databases = {
        "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"},
        "maria": {"ENGINE": "manouche.db.backends.mysql", "NAME": "unused"},
    }
    with override_settings(DATABASES=databases):
        assert model.check(databases=["default"]) == []
        messages = model.check(databases=["default", "maria"])
    assert ids(messages) == ["models.E018"]
    assert messages[0].msg == (
        f'Autogenerated column name too long for field "{name}". Maximum length '
        'is "64" for database "maria".'
    )


def test_long_autogenerated_m2m_column_names(make_model: MakeModel) -> None:
    target = make_model("T" + "x" * 70)
    model = make_model("Linked", targets=models.ManyToManyField(target))
    databases = {
        "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"},
        "maria": {"ENGINE": "manouche.db.backends.mysql", "NAME": "unused"},
    }
    with override_settings(DATABASES=databases):
        messages = model.check(databases=["maria"])
    assert ids(messages) == ["models.E019"]
    assert messages[0].hint == (
        "Use 'through' to create a separate model for M2M and then set "
        "column_name using 'db_column'."
    )


def _humanize_model(registry: Apps, **attrs: Any) -> Any:
    meta = type("Meta", (), {"app_label": "humanize", "apps": registry})
    return type(
        "Note", (models.Model,), {"__module__": __name__, "Meta": meta, **attrs}
    )


def test_default_auto_field_not_configured() -> None:
    model = _humanize_model(Apps(["manouche.contrib.humanize"]))
    messages = model.check()
    assert ids(messages) == ["models.W042"]
    assert messages[0].hint == (
        "Configure the DEFAULT_AUTO_FIELD setting or the "
        "HumanizeConfig.default_auto_field attribute to point to a subclass of "
        "AutoField, e.g. 'manouche.db.models.BigAutoField'."
    )
    with override_settings(DEFAULT_AUTO_FIELD="manouche.db.models.AutoField"):
        assert model.check() == []


def test_explicit_primary_key_needs_no_default() -> None:
    model = _humanize_model(
        Apps(["manouche.contrib.humanize"]),
        code=models.IntegerField(primary_key=True),
    )
    assert model.check() == []
