"""Unique constraints over expressions validate in the database; BaseConstraint API."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from manouche.core.exceptions import ValidationError
from manouche.db import models
from manouche.db.models import Case, F, When
from manouche.db.models.constraints import BaseConstraint
from manouche.db.models.functions import Abs, Lower
from manouche.utils.deprecation import RemovedInDjango60Warning
from tests.db.models.modelapp.models import Author, Defaults

VIOLATED = "Constraint “u” is violated."


def test_expression_unique_compares_computed_values(mdb: Any) -> None:
    existing = Author.objects.create(name="Ann")
    constraint = models.UniqueConstraint(Lower("name"), name="u")
    with pytest.raises(ValidationError, match=VIOLATED):
        constraint.validate(Author, Author(name="ANN"))
    constraint.validate(Author, Author(name="Bob"))
    constraint.validate(Author, existing)
    constraint.validate(Author, Author(name="ANN"), exclude={"name"})


def test_ordered_and_string_expressions(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    with pytest.raises(ValidationError, match=VIOLATED):
        models.UniqueConstraint(Lower("name").desc(), name="u").validate(
            Author, Author(name="aNN")
        )
    with pytest.raises(ValidationError, match=VIOLATED):
        models.UniqueConstraint("name", name="u").validate(Author, Author(name="Ann"))


def test_case_expression_null_result_passes(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    constraint = models.UniqueConstraint(
        Case(When(age__isnull=True, then=F("name"))), name="u"
    )
    with pytest.raises(ValidationError, match=VIOLATED):
        constraint.validate(Author, Author(name="Ann"))
    constraint.validate(Author, Author(name="Ann", age=3))


def test_expression_with_condition(mdb: Any) -> None:
    Author.objects.create(name="Ann")
    constraint = models.UniqueConstraint(
        Lower("name"), name="u", condition=models.Q(age__isnull=True)
    )
    with pytest.raises(ValidationError, match=VIOLATED):
        constraint.validate(Author, Author(name="ANN"))
    constraint.validate(Author, Author(name="ANN", age=5))
    constraint.validate(Author, Author(name="ANN"), exclude={"age"})


def test_nulls_not_distinct(mdb: Any) -> None:
    Author.objects.create(name="a", age=42)
    by_expression = models.UniqueConstraint(Abs("age"), nulls_distinct=False, name="u")
    by_field = models.UniqueConstraint(fields=["age"], nulls_distinct=False, name="u")
    by_expression.validate(Author, Author(name="b", age=None))
    by_field.validate(Author, Author(name="b", age=None))
    Author.objects.create(name="c", age=None)
    with pytest.raises(ValidationError, match=VIOLATED):
        by_expression.validate(Author, Author(name="d", age=None))
    with pytest.raises(ValidationError, match="Author with this Age already exists"):
        by_field.validate(Author, Author(name="d", age=None))


def test_database_defaults_stand_for_their_value(mdb: Any) -> None:
    check = models.CheckConstraint(condition=models.Q(label="unnamed"), name="u")
    check.validate(Defaults, Defaults())
    with pytest.raises(ValidationError):
        check.validate(Defaults, Defaults(label="other"))
    unique = models.UniqueConstraint(Lower("label"), name="u")
    unique.validate(Defaults, Defaults())
    Defaults.objects.create()
    with pytest.raises(ValidationError, match=VIOLATED):
        unique.validate(Defaults, Defaults())
    with pytest.raises(ValidationError):
        models.UniqueConstraint(fields=["label"], name="u").validate(
            Defaults, Defaults()
        )


def test_string_expressions_equal_f_expressions() -> None:
    first = models.UniqueConstraint(Lower("name"), F("email"), name="u")
    second = models.UniqueConstraint(Lower("name"), "email", name="u")
    assert first == second
    assert first.contains_expressions is True
    assert models.UniqueConstraint(fields=["a"], name="u").contains_expressions is False


def test_base_constraint_api() -> None:
    base = BaseConstraint(name="n")
    assert base.contains_expressions is False
    message = "This method must be implemented by a subclass."
    for call in (
        lambda: base.constraint_sql(None, None),
        lambda: base.create_sql(None, None),
        lambda: base.remove_sql(None, None),
        lambda: base.validate(None, None),
    ):
        with pytest.raises(NotImplementedError, match=message):
            call()
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument"):
        BaseConstraint()
    with pytest.warns(RemovedInDjango60Warning, match="positional arguments"):
        positional = BaseConstraint("n", "custom %(name)s")
    assert positional.get_violation_error_message() == "custom n"


def test_check_is_a_deprecated_alias_of_condition() -> None:
    condition = models.Q(age__gt=1)
    with pytest.warns(RemovedInDjango60Warning, match="in favor of `.condition`"):
        constraint = models.CheckConstraint(name="c", check=condition)
    with pytest.warns(RemovedInDjango60Warning):
        assert constraint.check is condition
    other = models.Q(age__lt=9)
    with pytest.warns(RemovedInDjango60Warning):
        constraint.check = other
    assert constraint.condition is other
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        models.CheckConstraint(name="c", condition=condition)
