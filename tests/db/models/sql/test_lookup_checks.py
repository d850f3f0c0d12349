"""A filter's transforms and lookup are checked when filter() is called."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import models
from manouche.db.models.functions import Upper
from manouche.test.utils import register_lookup
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author


class BothUpper(Upper):
    """UPPER() on the column and on the compared value."""

    bilateral = True
    lookup_name = "both_upper"


def test_unknown_lookup_fails_at_filter_time() -> None:
    message = (
        "Unsupported lookup 'junk' for CharField or join on the field not permitted."
    )
    with pytest.raises(FieldError, match=message):
        Author.objects.filter(name__junk="x")


def test_unknown_transform_names_the_rest_of_the_path() -> None:
    message = (
        "Unsupported lookup 'junk__more' for CharField or join on the field "
        "not permitted."
    )
    with (
        register_lookup(models.CharField, BothUpper),
        pytest.raises(FieldError, match=message),
    ):
        Author.objects.filter(name__both_upper__junk__more="x")


def test_bilateral_transform_refuses_a_queryset_value() -> None:
    message = "Bilateral transformations on nested querysets are not implemented."
    with (
        register_lookup(models.CharField, BothUpper),
        pytest.raises(NotImplementedError, match=message),
    ):
        Author.objects.filter(name__both_upper__in=Author.objects.values_list("name"))


def test_valid_transforms_still_filter(database: DatabaseFixture) -> None:
    database.create_models(Author)
    Author.objects.create(name="Ada")
    Author.objects.create(name="Bob")
    with register_lookup(models.CharField, BothUpper):
        names = Author.objects.filter(name__both_upper__in=["ada", "x"])
        assert [author.name for author in names] == ["Ada"]
        assert Author.objects.filter(name__both_upper__startswith="b").count() == 1
