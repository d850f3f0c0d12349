"""Index and constraint deconstruct()/equality, as migrations compare them."""

from __future__ import annotations

from manouche.db import models
from manouche.db.models.constraints import Deferrable


def test_check_constraint_deconstructs_and_compares() -> None:
    check = models.CheckConstraint(
        condition=models.Q(age__gte=18),
        name="adult",
        violation_error_message="Too young",
    )

    assert check.deconstruct() == (
        "manouche.db.models.CheckConstraint",
        (),
        {
            "name": "adult",
            "violation_error_message": "Too young",
            "condition": models.Q(age__gte=18),
        },
    )
    _path, args, kwargs = check.deconstruct()
    assert models.CheckConstraint(*args, **kwargs) == check
    assert check != models.CheckConstraint(
        condition=models.Q(age__gte=21), name="adult"
    )
    assert check.clone() == check


def test_unique_constraint_deconstructs_and_compares() -> None:
    unique = models.UniqueConstraint(
        fields=["a", "b"],
        name="ab_uniq",
        deferrable=Deferrable.DEFERRED,
        nulls_distinct=False,
        violation_error_code="dup",
    )

    path, args, kwargs = unique.deconstruct()

    assert path == "manouche.db.models.UniqueConstraint"
    assert args == ()
    assert kwargs == {
        "name": "ab_uniq",
        "violation_error_code": "dup",
        "fields": ("a", "b"),
        "deferrable": Deferrable.DEFERRED,
        "nulls_distinct": False,
    }
    assert models.UniqueConstraint(*args, **kwargs) == unique
    assert unique != models.UniqueConstraint(fields=["a"], name="ab_uniq")
    assert unique != models.CheckConstraint(condition=models.Q(a=1), name="ab_uniq")


def test_index_deconstruct_keeps_every_option() -> None:
    index = models.Index(
        fields=["a"], name="a_idx", db_tablespace="fast", include=("b",)
    )

    _path, args, kwargs = index.deconstruct()

    assert kwargs == {
        "name": "a_idx",
        "fields": ["a"],
        "db_tablespace": "fast",
        "include": ("b",),
    }
    assert models.Index(*args, **kwargs) == index
