"""Integer comparisons decided by the field's range and rounding of fractions."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.exceptions import ValidationError
from manouche.core.validators import MaxValueValidator
from manouche.db import connection
from manouche.db.models import Count, IntegerField, PositiveSmallIntegerField
from manouche.db.models.lookups import (
    IntegerFieldExact,
    IntegerGreaterThanOrEqual,
    IntegerLessThan,
)
from manouche.test.utils import CaptureQueriesContext
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


EXPECTED_RANGES = {
    # SQLite stores every integer column as 64-bit; the others size them.
    "sqlite": {
        "SmallIntegerField": (-(2**63), 2**63 - 1),
        "PositiveSmallIntegerField": (0, 2**63 - 1),
        "AutoField": (-(2**63), 2**63 - 1),
    },
    "postgresql": {
        "SmallIntegerField": (-32768, 32767),
        "PositiveSmallIntegerField": (0, 32767),
        "AutoField": (-(2**31), 2**31 - 1),
    },
    "mysql": {
        # manouche creates signed columns for the positive fields too.
        "SmallIntegerField": (-32768, 32767),
        "PositiveIntegerField": (0, 2**31 - 1),
        "BigAutoField": (-(2**63), 2**63 - 1),
    },
}


def test_backend_reports_the_range_of_each_integer_column(mdb: Any) -> None:
    ops = connection.ops
    for internal_type, expected in EXPECTED_RANGES[mdb.vendor].items():
        assert ops.integer_field_range(internal_type) == expected
    with pytest.raises(ValueError, match="'CharField' is not an integer field"):
        ops.integer_field_range("CharField")


def test_validation_uses_the_backend_range(mdb: Any) -> None:
    field = Author._meta.get_field("age")
    low, high = connection.ops.integer_field_range("IntegerField")
    field.clean(high, None)
    with pytest.raises(ValidationError, match=f"less than or equal to {high}"):
        field.clean(high + 1, None)
    with pytest.raises(ValidationError, match=f"greater than or equal to {low}"):
        field.clean(low - 1, None)


def test_stricter_validators_replace_the_backend_ones() -> None:
    high = connection.ops.integer_field_range("IntegerField")[1]
    strict = IntegerField(validators=[MaxValueValidator(lambda: 10)])
    with pytest.raises(ValidationError) as caught:
        strict.run_validators(high + 1)
    assert caught.value.messages == ["Ensure this value is less than or equal to 10."]
    loose = IntegerField(validators=[MaxValueValidator(high + 5)])
    with pytest.raises(ValidationError) as caught:
        loose.run_validators(high + 1)
    assert f"less than or equal to {high}." in caught.value.messages[-1]


def test_subclass_takes_the_range_of_its_stock_field(mdb: Any) -> None:
    class Counter(PositiveSmallIntegerField):
        pass

    expected = connection.ops.integer_field_range("PositiveSmallIntegerField")
    assert Counter().backend_range() == expected


def test_out_of_range_lookups_send_no_query(mdb: Any) -> None:
    low, high = connection.ops.integer_field_range("IntegerField")
    author = Author.objects.create(name="a", age=high)
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(Author.DoesNotExist):
            Author.objects.get(age=high + 1)
        assert list(Author.objects.filter(age__gt=high + 1)) == []
        assert Author.objects.filter(age__lt=low - 1).count() == 0
        assert not Author.objects.filter(name="a", age__gte=high + 1).exists()
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert Author.objects.get(age__lte=high + 1) == author
        assert Author.objects.exclude(age=high + 1).get() == author
    assert len(queries) == 2


def test_aggregates_over_a_decided_empty_filter_still_run(mdb: Any) -> None:
    high = connection.ops.integer_field_range("IntegerField")[1]
    Author.objects.create(name="a", age=1)
    empty = Author.objects.filter(age=high + 1)
    assert empty.aggregate(total=Count("id")) == {"total": 0}
    assert list(empty.values("name").annotate(n=Count("id"))) == []
