"""Meta option checks: unique_together, ordering, indexes, constraints."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core import checks
from manouche.db import models
from manouche.db.models.expressions import RawSQL
from manouche.db.models.functions import Lower
from manouche.test.utils import override_settings
from tests.db.models.checks.conftest import MakeModel, ids

MARIADB = {
    "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"},
    "maria": {"ENGINE": "manouche.db.backends.mysql", "NAME": "unused"},
}


def test_unique_together_must_be_a_list(make_model: MakeModel) -> None:
    model = make_model("Pair", a=models.IntegerField())
    model._meta.unique_together = "a"
    assert ids(model.check()) == ["models.E010"]
    model._meta.unique_together = (("a",), "a")
    assert ids(model.check()) == ["models.E011"]


@pytest.mark.parametrize(
    ("option", "check_id", "message"),
    [
        (
            {"unique_together": [("a", "missing")]},
            "models.E012",
            "'unique_together' refers to the nonexistent field 'missing'.",
        ),
        (
            {"unique_together": [("a", "tags")]},
            "models.E013",
            "'unique_together' refers to a ManyToManyField 'tags', but "
            "ManyToManyFields are not permitted in 'unique_together'.",
        ),
        (
            {"indexes": [models.Index(fields=["missing"], name="idx")]},
            "models.E012",
            "'indexes' refers to the nonexistent field 'missing'.",
        ),
        (
            {
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(missing__gt=1), name="positive"
                    )
                ]
            },
            "models.E012",
            "'constraints' refers to the nonexistent field 'missing'.",
        ),
    ],
)
def test_options_must_name_local_fields(
    make_model: MakeModel, option: dict[str, Any], check_id: str, message: str
) -> None:
    tag = make_model("Tag")
    model = make_model(
        "Item", meta=option, a=models.IntegerField(), tags=models.ManyToManyField(tag)
    )
    messages = model.check()
    assert messages == [checks.Error(message, obj=model, id=check_id)]


def test_options_cannot_name_parent_fields(make_model: MakeModel) -> None:
    parent = make_model("Parent", a=models.IntegerField())
    child = make_model(
        "Kid",
        base=parent,
        b=models.IntegerField(),
        meta={"unique_together": [("a", "b")]},
    )
    messages = child.check()
    assert ids(messages) == ["models.E016"]
    assert messages[0].hint == "This issue may be caused by multi-table inheritance."


def test_ordering_must_be_a_list(make_model: MakeModel) -> None:
    model = make_model("Sorted", a=models.IntegerField(), meta={"ordering": "a"})
    assert ids(model.check()) == ["models.E014"]


def test_ordering_names_existing_fields(make_model: MakeModel) -> None:
    target = make_model("Target", name=models.CharField(max_length=5))
    ordering = [
        "-name", "?", "pk", "target__name", "target__name__exact", "target_id",
        "target__pk", "nope", "target__nope", "-target__name__nope",
    ]  # fmt: skip
    model = make_model(
        "Sorted",
        meta={"ordering": ordering},
        name=models.CharField(max_length=5),
        target=models.ForeignKey(target, models.CASCADE),
    )
    messages = model.check()
    assert ids(messages) == ["models.E015"] * 3
    assert [m.msg.split("'")[-2] for m in messages] == [
        "target__nope",
        "target__name__nope",
        "nope",
    ]


def test_ordering_can_follow_reverse_relations(make_model: MakeModel) -> None:
    target = make_model("Target", meta={"ordering": ["source__size", "source"]})
    make_model(
        "Source",
        size=models.IntegerField(),
        target=models.ForeignKey(target, models.CASCADE),
    )
    assert target.check() == []


def test_ordering_and_order_with_respect_to(make_model: MakeModel) -> None:
    model = make_model(
        "Both",
        a=models.IntegerField(),
        meta={"ordering": ["a"], "order_with_respect_to": "a"},
    )
    assert ids(model.check()) == ["models.E021"]


@pytest.mark.parametrize(
    ("name", "check_id"),
    [("_private", "models.E033"), ("1st", "models.E033"), ("i" * 31, "models.E034")],
)
def test_index_names(make_model: MakeModel, name: str, check_id: str) -> None:
    index = models.Index(fields=["a"], name=name)
    model = make_model("Indexed", a=models.IntegerField(), meta={"indexes": [index]})
    assert ids(model.check()) == [check_id]


def test_index_expressions_name_local_fields(make_model: MakeModel) -> None:
    index = models.Index(Lower("missing"), name="lower_missing")
    model = make_model(
        "Indexed", a=models.CharField(max_length=5), meta={"indexes": [index]}
    )
    assert ids(model.check()) == ["models.E012"]


def test_constraint_cannot_join(make_model: MakeModel) -> None:
    target = make_model("Target", size=models.IntegerField())
    constraint = models.CheckConstraint(
        condition=models.Q(target__size__gt=1, target__gt=0), name="joined"
    )
    model = make_model(
        "Holder",
        target=models.ForeignKey(target, models.CASCADE),
        meta={"constraints": [constraint]},
    )
    messages = model.check()
    assert messages == [
        checks.Error(
            "'constraints' refers to the joined field 'target__size__gt'.",
            obj=model,
            id="models.E041",
        )
    ]


DATABASE_CASES = [
    ("models.W036", {"constraints": [
        models.UniqueConstraint(fields=["a"], condition=models.Q(a__gt=1), name="u1")
    ]}),
    ("models.W037", {"indexes": [
        models.Index(fields=["a"], condition=models.Q(a__gt=1), name="i1")
    ]}),
    ("models.W038", {"constraints": [
        models.UniqueConstraint(
            fields=["a"], deferrable=models.Deferrable.DEFERRED, name="u2"
        )
    ]}),
    ("models.W039", {"constraints": [
        models.UniqueConstraint(fields=["a"], include=["b"], name="u3")
    ]}),
    ("models.W040", {"indexes": [
        models.Index(fields=["a"], include=["b"], name="i2")
    ]}),
    ("models.W043", {"indexes": [models.Index(Lower("c"), name="i3")]}),
    ("models.W044", {"constraints": [
        models.UniqueConstraint(Lower("c"), name="u4")
    ]}),
    ("models.W046", {"db_table_comment": "Why this table exists."}),
    ("models.W047", {"constraints": [
        models.UniqueConstraint(fields=["a"], nulls_distinct=False, name="u5")
    ]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("check_id", "meta"), DATABASE_CASES, ids=[case[0] for case in DATABASE_CASES]
)
def test_features_mariadb_lacks(
    make_model: MakeModel, check_id: str, meta: dict[str, Any]
) -> None:
    model = make_model(
        "Featured",
        meta=meta,
        a=models.IntegerField(),
        b=models.IntegerField(),
        c=models.CharField(max_length=5),
    )
    with override_settings(DATABASES=MARIADB):
        assert model.check() == []
        messages = model.check(databases=["maria"])
        from manouche.db import connections

        connections["maria"].features.supports_comments = False
        try:
            comment = model.check(databases=["maria"])
        finally:
            del connections["maria"].features.supports_comments
    found = messages if check_id != "models.W046" else comment
    assert ids(found) == [check_id]
    assert found[0].msg.startswith("MariaDB does not support ")


def test_required_feature_silences_the_warning(make_model: MakeModel) -> None:
    index = models.Index(fields=["a"], condition=models.Q(a__gt=1), name="partial")
    meta = {"indexes": [index], "required_db_features": ["supports_partial_indexes"]}
    model = make_model("Featured", meta=meta, a=models.IntegerField())
    with override_settings(DATABASES=MARIADB):
        assert model.check(databases=["maria"]) == []


def test_check_constraints_unsupported(make_model: MakeModel) -> None:
    constraint = models.CheckConstraint(condition=models.Q(a__gt=1), name="c1")
    model = make_model(
        "Checked", meta={"constraints": [constraint]}, a=models.IntegerField()
    )
    with override_settings(DATABASES=MARIADB):
        from manouche.db import connections

        features = connections["maria"].features
        features.supports_table_check_constraints = False
        try:
            messages = model.check(databases=["maria"])
        finally:
            del features.supports_table_check_constraints
    assert ids(messages) == ["models.W027"]


def test_raw_sql_check_constraint_is_not_validated(make_model: MakeModel) -> None:
    raw = RawSQL("a > 0", params=(), output_field=models.BooleanField())
    constraint = models.CheckConstraint(condition=raw, name="raw_check")
    model = make_model(
        "Raw", meta={"constraints": [constraint]}, a=models.IntegerField()
    )
    with override_settings(DATABASES=MARIADB):
        messages = model.check(databases=["default"])
    assert messages == [
        checks.Warning(
            "Check constraint 'raw_check' contains RawSQL() expression and won't be "
            "validated during the model full_clean().",
            hint="Silence this warning if you don't care about it.",
            obj=model,
            id="models.W045",
        )
    ]
