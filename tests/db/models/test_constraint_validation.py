"""Constraint validation runs the condition in the database; option checks; reprs."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import ValidationError
from manouche.db import models
from manouche.db.models.functions import Length, Lower
from tests.db.models.modelapp.models import Author, Constrained


def _check(condition: Any) -> models.CheckConstraint:
    return models.CheckConstraint(condition=condition, name="c")


def test_check_constraint_uses_database_functions(mdb: Any) -> None:
    constraint = _check(models.Q(age__gte=Length("name")))
    constraint.validate(Author, Author(name="abc", age=3))
    with pytest.raises(ValidationError, match="Constraint “c” is violated."):
        constraint.validate(Author, Author(name="abcd", age=3))


def test_check_constraint_compares_fields_and_passes_on_null(mdb: Any) -> None:
    constraint = Constrained._meta.constraints[0]
    constraint.validate(Constrained, Constrained(low=1, high=2, code="x"))
    with pytest.raises(ValidationError):
        constraint.validate(Constrained, Constrained(low=3, high=2, code="x"))
    _check(models.Q(age__gt=18)).validate(Author, Author(name="n", age=None))


def test_excluded_fields_skip_the_check(mdb: Any) -> None:
    constraint = _check(models.Q(age__gt=18))
    constraint.validate(Author, Author(name="n", age=1), exclude={"age"})


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"deferrable": "x"}, TypeError, "must be a Deferrable instance"),
        ({"include": "x"}, TypeError, "include must be a list or tuple"),
        ({"opclasses": "x"}, TypeError, "opclasses must be a list or tuple"),
        ({"nulls_distinct": "x"}, TypeError, "nulls_distinct must be a bool"),
        ({"opclasses": ["a", "b"]}, ValueError, "the same number of elements"),
        (
            {"condition": models.Q(a=1), "deferrable": models.Deferrable.DEFERRED},
            ValueError,
            "with conditions cannot be deferred",
        ),
        (
            {"include": ["b"], "deferrable": models.Deferrable.DEFERRED},
            ValueError,
            "with include fields cannot be deferred",
        ),
    ],
)
def test_unique_constraint_refuses_incompatible_options(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        models.UniqueConstraint(fields=["a"], name="u", **kwargs)


def test_unique_constraint_refuses_opclasses_with_expressions() -> None:
    with pytest.raises(ValueError, match="opclasses cannot be used with expressions"):
        models.UniqueConstraint(Lower("a"), name="u", opclasses=["x"])


def test_reprs_show_the_options() -> None:
    check = models.CheckConstraint(
        condition=models.Q(price__lt=1), name="p", violation_error_code="code"
    )
    assert repr(check) == (
        "<CheckConstraint: condition=(AND: ('price__lt', 1)) name='p' "
        "violation_error_code='code'>"
    )
    unique = models.UniqueConstraint(
        fields=["a"],
        name="u",
        condition=models.Q(a=1),
        nulls_distinct=False,
    )
    assert repr(unique) == (
        "<UniqueConstraint: fields=('a',) name='u' condition=(AND: ('a', 1)) "
        "nulls_distinct=False>"
    )
    by_expression = models.UniqueConstraint(Lower("a"), name="u", deferrable=None)
    assert (
        repr(by_expression) == "<UniqueConstraint: expressions=(Lower(F(a)),) name='u'>"
    )
    assert repr(models.Deferrable.IMMEDIATE) == "Deferrable.IMMEDIATE"
