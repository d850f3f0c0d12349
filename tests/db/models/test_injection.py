"""Identifiers from users are validated; values are always bound."""

from __future__ import annotations

import pytest

from manouche.core.exceptions import FieldError
from manouche.db.models import Count, F, Value
from tests.db.models.modelapp.models import Author, Everything

HOSTILE_NAMES = [
    "name; DROP TABLE modelapp_author; --",
    "name--",
    'name" OR "1"="1',
    "name) OR (1=1",
    "name/*",
    "1name",
    "na me",
    "",
]


@pytest.mark.parametrize("_models_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_order_by_refuses_non_identifiers(mdb, hostile):
    with pytest.raises(FieldError, match="Invalid order_by arguments"):
        Author.objects.order_by(hostile)


@pytest.mark.parametrize("_models_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_annotation_aliases_refuse_non_identifiers(mdb, hostile):
    with pytest.raises(ValueError, match="Column aliases cannot contain whitespace"):
        Author.objects.annotate(**{hostile: Count("id")})
    with pytest.raises(ValueError, match="Column aliases cannot contain whitespace"):
        Author.objects.values(**{hostile: F("name")})
    with pytest.raises(ValueError, match="Column aliases cannot contain whitespace"):
        Author.objects.aggregate(**{hostile: Count("id")})


@pytest.mark.parametrize("_models_database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_field_paths_refuse_non_identifiers(mdb, hostile):
    with pytest.raises(FieldError):
        Author.objects.filter(**{hostile: 1})
    with pytest.raises(FieldError):
        Author.objects.values(hostile)
    with pytest.raises(FieldError):
        list(Author.objects.annotate(x=F(hostile)))


def test_unknown_identifiers_never_reach_the_database(mdb):
    with pytest.raises(FieldError, match="Cannot resolve keyword 'password'"):
        Author.objects.order_by("password").count()
    with pytest.raises(FieldError, match="Cannot resolve keyword 'password'"):
        list(Author.objects.order_by("-password"))


def test_values_are_bound_parameters(mdb):
    hostile = "x'); DROP TABLE modelapp_author; --"
    Author.objects.create(name=hostile)
    assert Author.objects.get(name=hostile).name == hostile
    assert Author.objects.filter(name__contains="'); DROP").count() == 1
    assert Author.objects.annotate(v=Value(hostile)).first().v == hostile
    assert Author.objects.count() == 1


def test_json_keys_are_bound(mdb):
    hostile_key = "a') OR 1=1 --"
    Everything.objects.create(data={hostile_key: 1, "b": 2})
    Everything.objects.create(data={"b": 3})
    assert Everything.objects.filter(data__has_key=hostile_key).count() == 1
    assert Everything.objects.filter(data__b=3).count() == 1
