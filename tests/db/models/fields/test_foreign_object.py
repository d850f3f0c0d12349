"""ForeignObject: a relation keyed by an existing field, with no column of its own."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import connection, models
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.conftest import DatabaseFixture

with isolate_apps("tests.db.models.fields.fieldsapp"):

    class Country(models.Model):
        code = models.CharField(max_length=2, unique=True)
        name = models.CharField(max_length=30)

        class Meta:
            app_label = "fieldsapp"

    class City(models.Model):
        name = models.CharField(max_length=30)
        country_code = models.CharField(max_length=2)
        country = models.ForeignObject(
            Country,
            on_delete=models.CASCADE,
            from_fields=["country_code"],
            to_fields=["code"],
            related_name="cities",
        )

        class Meta:
            app_label = "fieldsapp"


def _world() -> tuple[Any, Any]:
    france = Country.objects.create(code="fr", name="France")
    Country.objects.create(code="it", name="Italy")
    paris = City.objects.create(name="Paris", country_code="fr")
    City.objects.create(name="Rome", country_code="it")
    return france, paris


def test_the_field_adds_no_column() -> None:
    field = City._meta.get_field("country")
    assert field.column is None
    assert field.concrete is False
    assert [f.name for f in City._meta.concrete_fields] == [
        "id",
        "name",
        "country_code",
    ]
    assert field.local_related_fields == (City._meta.get_field("country_code"),)
    assert field.target_field is Country._meta.get_field("code")


def test_forward_access_reads_the_matching_row(database: DatabaseFixture) -> None:
    database.create_models(Country, City)
    france, paris = _world()
    assert City.objects.get(pk=paris.pk).country == france


def test_assignment_sets_the_from_field(database: DatabaseFixture) -> None:
    database.create_models(Country, City)
    _france, paris = _world()
    italy = Country.objects.get(code="it")
    paris.country = italy
    assert paris.country_code == "it"
    with pytest.raises(ValueError, match='must be a "Country" instance'):
        paris.country = "it"


def test_queries_join_through_the_key_pair(database: DatabaseFixture) -> None:
    database.create_models(Country, City)
    france, _paris = _world()
    assert [c.name for c in City.objects.filter(country__name="Italy")] == ["Rome"]
    assert [c.name for c in City.objects.filter(country=france)] == ["Paris"]
    assert [c.name for c in Country.objects.filter(cities__name="Rome")] == ["Italy"]
    with CaptureQueriesContext(connection) as captured:
        assert [c.name for c in france.cities.all()] == ["Paris"]
    assert len(captured.captured_queries) == 1


def test_deconstruct_names_the_key_pair() -> None:
    _name, path, _args, kwargs = City._meta.get_field("country").deconstruct()
    assert path == "manouche.db.models.ForeignObject"
    assert kwargs["from_fields"] == ["country_code"]
    assert kwargs["to_fields"] == ["code"]
    assert kwargs["related_name"] == "cities"


def test_composite_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="exactly one from_fields/to_fields pair"):
        models.ForeignObject(
            Country, models.CASCADE, from_fields=["a", "b"], to_fields=["c", "d"]
        )
    with pytest.raises(ValueError, match="same non-zero length"):
        models.ForeignObject(Country, models.CASCADE, from_fields=["a"], to_fields=[])
