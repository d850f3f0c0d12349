"""``__in`` subqueries (none(), to_field keys), Meta.ordering = None, str(query),
and which lookup registry a relation reads."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import models
from manouche.db.models.lookups import Lookup
from manouche.test.utils import CaptureQueriesContext, isolate_apps, register_lookup
from tests.db.models.modelapp.models import Author, Book, Tag


def test_in_an_empty_queryset_sends_no_query(mdb: Any) -> None:
    Author.objects.create(name="ann")
    with CaptureQueriesContext(mdb.connection) as queries:
        assert list(Author.objects.filter(pk__in=Author.objects.none())) == []
        none = Author.objects.none().values_list("pk")
        assert list(Author.objects.filter(pk__in=none)) == []
    assert len(queries) == 0
    assert Author.objects.exclude(pk__in=Author.objects.none()).count() == 1


def test_in_a_queryset_compares_a_to_field_key_with_its_target(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Fruit(models.Model):
            name = models.CharField(max_length=20, unique=True)

            class Meta:
                app_label = "custom_label"

        class Meal(models.Model):
            fruit = models.ForeignKey(Fruit, models.CASCADE, to_field="name")

            class Meta:
                app_label = "custom_label"

        database.create_models(Fruit, Meal)
        Fruit.objects.create(name="pear")  # takes pk 1, the apple's pk is 2
        apple = Fruit.objects.create(name="apple")
        lunch = Meal.objects.create(fruit=apple)
        apples = Fruit.objects.filter(name="apple")
        assert list(Meal.objects.filter(fruit__in=apples)) == [lunch]
        assert list(Fruit.objects.filter(meal__in=Meal.objects.all())) == [apple]


def test_meta_ordering_none_orders_nothing(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    Tag.objects.create(name="b")
    Tag.objects.create(name="a")
    monkeypatch.setattr(Tag._meta, "ordering", None)
    assert sorted(t.name for t in Tag.objects.all()) == ["a", "b"]
    assert "ORDER BY" not in str(Tag.objects.all().query)


def test_str_of_a_query_shows_its_parameters(mdb: Any) -> None:
    sql = str(Book.objects.filter(pages__gte=12345, title="Odd title").query)
    assert "12345" in sql
    assert "Odd title" in sql


class _Exactly(Lookup):
    lookup_name = "exactly"

    def as_sa(self, compiler: Any) -> Any:
        return compiler.compile_expression(self.lhs) == self.rhs


def test_relations_read_only_the_relation_lookup_registry() -> None:
    author = Book._meta.get_field("author")
    with register_lookup(models.Field, _Exactly):
        assert author.get_lookup("exactly") is None
        assert Book._meta.get_field("title").get_lookup("exactly") is _Exactly
    with register_lookup(models.ForeignObject, _Exactly):
        assert author.get_lookup("exactly") is _Exactly
    with register_lookup(models.ForeignKey, _Exactly):
        assert author.get_lookup("exactly") is _Exactly
    assert author.get_lookup("exactly") is None
