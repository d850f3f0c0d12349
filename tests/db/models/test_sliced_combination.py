"""``|`` and ``^`` on sliced querysets keep each slice's rows; ``&`` refuses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.db.models.modelapp.models import Author


def _authors() -> list[Author]:
    return [
        Author.objects.create(name=name, age=age)
        for name, age in [("ann", 30), ("bob", 40), ("cy", 30), ("di", 40)]
    ]


def _sliced_in_supported(mdb: Any) -> None:
    if not mdb.connection.features.allow_sliced_subqueries_with_in:
        pytest.skip("the database refuses LIMIT in an IN subquery")


def test_or_of_two_slices_keeps_the_rows_of_each_slice(mdb: Any) -> None:
    _sliced_in_supported(mdb)
    _authors()
    thirty = Author.objects.filter(age=30).order_by("-pk")[:1]
    forty = Author.objects.filter(age=40).order_by("pk")[:1]
    assert sorted(a.name for a in thirty | forty) == ["bob", "cy"]


def test_or_of_a_slice_and_a_filter(mdb: Any) -> None:
    _sliced_in_supported(mdb)
    _authors()
    first = Author.objects.order_by("pk")[:1]
    assert sorted(a.name for a in first | Author.objects.filter(name="di")) == [
        "ann",
        "di",
    ]
    assert sorted(a.name for a in Author.objects.filter(name="di") | first) == [
        "ann",
        "di",
    ]


def test_xor_of_overlapping_slices_keeps_rows_in_exactly_one(mdb: Any) -> None:
    _sliced_in_supported(mdb)
    _authors()
    first_two = Author.objects.order_by("pk")[:2]
    middle_two = Author.objects.order_by("pk")[1:3]
    assert sorted(a.name for a in first_two ^ middle_two) == ["ann", "cy"]


def test_and_of_sliced_querysets_is_refused(mdb: Any) -> None:
    message = "Cannot combine queries once a slice has been taken."
    with pytest.raises(TypeError, match=message):
        Author.objects.all()[:1] & Author.objects.all()
