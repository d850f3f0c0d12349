"""Models with natural keys, a to_field key and an M2M, for fixtures.

The explicit app_label lets the tests import them before the app is
installed (the tests install it with override_settings).
"""

from __future__ import annotations

from typing import Any

from manouche.db import models


class CountryManager(models.Manager):
    def get_by_natural_key(self, code: str) -> Any:
        return self.get(code=code)


class Country(models.Model):
    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=50)

    objects = CountryManager()

    class Meta:
        app_label = "fixtureapp"

    def natural_key(self) -> tuple[Any, ...]:
        return (self.code,)


class CityManager(models.Manager):
    def get_by_natural_key(self, name: str, country_code: str) -> Any:
        return self.get(name=name, country__code=country_code)


class City(models.Model):
    name = models.CharField(max_length=50)
    country = models.ForeignKey(Country, on_delete=models.CASCADE)

    objects = CityManager()

    class Meta:
        app_label = "fixtureapp"
        unique_together = [("name", "country")]

    def natural_key(self) -> tuple[Any, ...]:
        country: Any = self.country
        return (self.name, *country.natural_key())

    natural_key.dependencies = ["fixtureapp.country"]  # type: ignore[attr-defined]


class Traveller(models.Model):
    name = models.CharField(max_length=50)
    home = models.ForeignKey(City, on_delete=models.CASCADE, null=True)
    passport = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        to_field="code",
        null=True,
        related_name="passport_holders",
    )
    visited = models.ManyToManyField(City, related_name="visitors", blank=True)

    class Meta:
        app_label = "fixtureapp"


MODELS = [Country, City, Traveller]
