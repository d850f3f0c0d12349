"""Integer comparisons decided by the field's range and rounding of fractions."""

from __future__ import annotations

from typing import Any

from manouche.db.models import IntegerField
from manouche.db.models.lookups import (
    IntegerFieldExact,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
)
from tests.db.models.modelapp.models import Author


def test_integer_fields_use_the_range_aware_lookups() -> None:
    assert IntegerField.get_lookups()["exact"] is IntegerFieldExact
    assert IntegerField.get_lookups()["gte"] is IntegerGreaterThanOrEqual
    assert IntegerField.get_lookups()["lt"] is IntegerLessThan


def test_out_of_range_values_match_nothing_instead_of_overflowing(mdb: Any) -> None:
    Author.objects.create(name="a", age=5)
    huge = 2**70
    assert Author.objects.filter(age=huge).count() == 0
    assert Author.objects.filter(age__gt=huge).count() == 0
    assert Author.objects.filter(age__gte=huge).count() == 0
    assert Author.objects.filter(age__lt=-huge).count() == 0


def test_out_of_range_bounds_facing_away_match_every_non_null_row(mdb: Any) -> None:
    Author.objects.create(name="a", age=5)
    Author.objects.create(name="b", age=None)
    huge = 2**70
    assert [a.name for a in Author.objects.filter(age__lt=huge)] == ["a"]
    assert [a.name for a in Author.objects.filter(age__lte=huge)] == ["a"]
    assert [a.name for a in Author.objects.filter(age__gt=-huge)] == ["a"]
    assert [a.name for a in Author.objects.filter(age__gte=-huge)] == ["a"]


def test_fractions_round_up_for_gte_and_lt(mdb: Any) -> None:
    for age in (1, 2, 3):
        Author.objects.create(name=str(age), age=age)
    assert [a.age for a in Author.objects.filter(age__gte=1.5)] == [2, 3]
    assert [a.age for a in Author.objects.filter(age__lt=2.5)] == [1, 2]
    assert [a.age for a in Author.objects.filter(age__lt=2.0)] == [1]
