"""Field.check(): the fields.E0xx-E2xx ids of non-relation fields."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from manouche.core import checks
from manouche.db import models
from manouche.db.models.fields.files import FileField, ImageField
from manouche.test.utils import override_settings
from tests.db.models.checks.conftest import MakeModel, ids


def _not_callable() -> list[Any]:
    return ["not a validator"]


CASES: list[tuple[str, str, Callable[[], Any], str]] = [
    ("fields.E001", "name_", models.IntegerField, "must not end with an underscore"),
    ("fields.E002", "a__b", models.IntegerField, 'must not contain "__"'),
    ("fields.E003", "pk", models.IntegerField, "'pk' is a reserved word"),
    ("fields.E004", "x", lambda: models.IntegerField(choices=5), "must be a mapping"),
    (
        "fields.E005",
        "x",
        lambda: models.IntegerField(choices=[(1, 2, 3)]),
        "mapping of actual values",
    ),
    ("fields.E006", "x", lambda: models.IntegerField(db_index="yes"), "'db_index'"),
    (
        "fields.E007",
        "x",
        lambda: models.IntegerField(primary_key=True, null=True),
        "Primary keys must not have null=True.",
    ),
    (
        "fields.E008",
        "x",
        lambda: models.IntegerField(validators=_not_callable()),
        "All 'validators' must be callable.",
    ),
    (
        "fields.E009",
        "x",
        lambda: models.CharField(max_length=2, choices=[("abc", "A")]),
        "(3 characters)",
    ),
    (
        "fields.E010",
        "x",
        lambda: models.JSONField(default={}),
        "should be a callable instead of an instance",
    ),
    (
        "fields.E012",
        "x",
        lambda: models.IntegerField(db_default=models.F("y")),
        "F(y) cannot be used in db_default.",
    ),
    (
        "fields.W122",
        "x",
        lambda: models.IntegerField(max_length=5),
        "'max_length' is ignored when used with IntegerField.",
    ),
    ("fields.E120", "x", lambda: models.CharField(), "must define a 'max_length'"),
    (
        "fields.E121",
        "x",
        lambda: models.CharField(max_length=-1),
        "'max_length' must be a positive integer.",
    ),
    (
        "fields.E130",
        "x",
        lambda: models.DecimalField(max_digits=4),
        "must define a 'decimal_places'",
    ),
    (
        "fields.E131",
        "x",
        lambda: models.DecimalField(max_digits=4, decimal_places=-1),
        "non-negative integer",
    ),
    (
        "fields.E132",
        "x",
        lambda: models.DecimalField(decimal_places=2),
        "must define a 'max_digits'",
    ),
    (
        "fields.E133",
        "x",
        lambda: models.DecimalField(max_digits="x", decimal_places=2),
        "'max_digits' must be a positive integer.",
    ),
    (
        "fields.E134",
        "x",
        lambda: models.DecimalField(max_digits=2, decimal_places=3),
        "greater or equal to 'decimal_places'",
    ),
    (
        "fields.E140",
        "x",
        lambda: models.FilePathField(allow_files=False, allow_folders=False),
        "'allow_files' or 'allow_folders'",
    ),
    (
        "fields.E150",
        "x",
        lambda: models.GenericIPAddressField(blank=True),
        "cannot have blank=True if null=False",
    ),
    (
        "fields.E160",
        "x",
        lambda: models.DateField(auto_now=True, default=datetime.date(2000, 1, 1)),
        "mutually exclusive",
    ),
    (
        "fields.W161",
        "x",
        lambda: models.DateField(default=datetime.date.today()),
        "Fixed default value provided.",
    ),
    (
        "fields.E170",
        "x",
        lambda: models.BinaryField(default="text"),
        "default cannot be a string",
    ),
    (
        "fields.E202",
        "x",
        lambda: FileField(upload_to="/absolute"),
        "must be a relative path",
    ),
]


@pytest.mark.parametrize(
    ("check_id", "name", "factory", "fragment"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_field_check_reports(
    make_model: MakeModel,
    check_id: str,
    name: str,
    factory: Callable[[], Any],
    fragment: str,
) -> None:
    model = make_model("Broken", **{name: factory()})
    messages = model._meta.get_field(name).check()
    assert ids(messages) == [check_id]
    assert fragment in messages[0].msg
    assert messages[0].obj is model._meta.get_field(name)


def test_valid_fields_report_nothing(make_model: MakeModel) -> None:
    model = make_model(
        "Fine",
        title=models.CharField(max_length=3, choices=[("abc", "A"), ("b", "B")]),
        grouped=models.IntegerField(choices={"Group": {1: "one"}, 2: "two"}),
        price=models.DecimalField(max_digits=5, decimal_places=2),
        created=models.DateTimeField(auto_now_add=True),
        day=models.DateField(default=datetime.date(2000, 1, 1)),
        data=models.JSONField(default=dict),
        address=models.GenericIPAddressField(blank=True, null=True),
        upload=FileField(upload_to="files/"),
    )
    assert model.check() == []


def test_auto_field_must_be_the_primary_key(make_model: MakeModel) -> None:
    model = make_model(
        "Counter",
        number=models.AutoField(),
        code=models.IntegerField(primary_key=True),
    )
    messages = model._meta.get_field("number").check()
    assert messages == [
        checks.Error(
            "AutoFields must set primary_key=True.",
            obj=model._meta.get_field("number"),
            id="fields.E100",
        )
    ]


def test_image_field_needs_pillow(
    make_model: MakeModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = make_model("Photo", image=ImageField())
    field = model._meta.get_field("image")
    assert field.check() == []
    monkeypatch.setitem(__import__("sys").modules, "PIL.Image", None)
    assert ids(field.check()) == ["fields.E210"]


def test_file_field_primary_key_is_reported(make_model: MakeModel) -> None:
    model = make_model("Upload", upload=FileField())
    field = model._meta.get_field("upload")
    field.primary_key = True  # the constructor refuses it; the check still must
    assert "fields.E201" in ids(field.check())


def test_unlimited_charfield_is_allowed_when_required(make_model: MakeModel) -> None:
    meta = {"required_db_features": ["supports_unlimited_charfield"]}
    model = make_model("Free", meta=meta, text=models.CharField())
    assert model._meta.get_field("text").check() == []


SERVERS = {
    "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"},
    "maria": {
        "ENGINE": "manouche.db.backends.mysql",
        "NAME": "unused",
        "HOST": "127.0.0.1",
        "USER": "root",
    },
}


@pytest.mark.parametrize(
    ("check_id", "factory"),
    [
        ("fields.W163", lambda: models.IntegerField(db_comment="why")),
        ("fields.E180", lambda: models.JSONField(null=True)),
        ("fields.E190", lambda: models.CharField(max_length=5, db_collation="C")),
    ],
)
def test_database_specific_field_checks(
    make_model: MakeModel, check_id: str, factory: Callable[[], Any]
) -> None:
    model = make_model("Backend", x=factory())
    field = model._meta.get_field("x")
    with override_settings(DATABASES=SERVERS):
        assert field.check() == []
        from manouche.db import connections

        features = connections["default"].features
        flag = {
            "fields.W163": "supports_comments",
            "fields.E180": "supports_json_field",
            "fields.E190": "supports_collation_on_charfield",
        }
        original = getattr(features, flag[check_id])
        setattr(features, flag[check_id], False)
        try:
            messages = field.check(databases=["default"])
        finally:
            setattr(features, flag[check_id], original)
    assert ids(messages) == [check_id]
    assert "SQLite does not support" in messages[0].msg


def test_deprecated_and_removed_fields(make_model: MakeModel) -> None:
    class OldField(models.IntegerField):
        system_check_deprecated_details = {"msg": "Old.", "id": "fields.W999"}

    class GoneField(models.IntegerField):
        system_check_removed_details = {"hint": "Use another.", "id": "fields.E999"}

    model = make_model("Legacy", old=OldField(), gone=GoneField())
    old = model._meta.get_field("old").check()
    gone = model._meta.get_field("gone").check()
    assert old == [
        checks.Warning("Old.", obj=model._meta.get_field("old"), id="fields.W999")
    ]
    assert ids(gone) == ["fields.E999"]
    assert gone[0].msg == (
        "GoneField has been removed except for support in historical migrations."
    )
