"""Lookups through one-to-one keys, select_related() paths and values() checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core.exceptions import FieldError
from manouche.db import connection, models
from manouche.test.utils import CaptureQueriesContext, isolate_apps

LABEL = {"app_label": "custom_label"}


def _meta(**options: Any) -> type:
    return type("Meta", (), {**LABEL, **options})


@pytest.fixture
def related(database: Any) -> Iterator[dict[str, Any]]:
    with isolate_apps("tests.apps.custom_label"):

        class Place(models.Model):
            name = models.CharField(max_length=20)
            Meta = _meta()

        class Restaurant(models.Model):
            place = models.OneToOneField(Place, models.CASCADE, primary_key=True)
            Meta = _meta()

        class Waiter(models.Model):
            restaurant = models.ForeignKey(Restaurant, models.CASCADE)
            name = models.CharField(max_length=20)
            Meta = _meta()

        class Target(models.Model):
            name = models.CharField(max_length=20, unique=True)
            Meta = _meta()

        class Pointer(models.Model):
            target = models.OneToOneField(
                Target, models.CASCADE, to_field="name", primary_key=True
            )
            Meta = _meta()

        class Topping(models.Model):
            name = models.CharField(max_length=20)
            Meta = _meta()

        class Pizza(models.Model):
            name = models.CharField(max_length=20)
            toppings = models.ManyToManyField(Topping)
            Meta = _meta()

        chain: list[Any] = []
        for depth in range(8):
            attrs: dict[str, Any] = {
                "__module__": __name__,
                "name": models.CharField(max_length=20),
                "Meta": _meta(),
            }
            if chain:
                attrs["up"] = models.ForeignKey(chain[-1], models.CASCADE)
            chain.append(type(f"Level{depth}", (models.Model,), attrs))

        database.create_models(
            Place, Restaurant, Waiter, Target, Pointer, Topping, Pizza, *chain
        )
        yield {
            "Place": Place,
            "Restaurant": Restaurant,
            "Waiter": Waiter,
            "Target": Target,
            "Pointer": Pointer,
            "Pizza": Pizza,
            "chain": chain,
        }


def test_pk_after_a_key_that_is_a_primary_key_joins_on(
    related: dict[str, Any],
) -> None:
    place = related["Place"].objects.create(name="Demon Dogs")
    restaurant = related["Restaurant"].objects.create(place=place)
    waiter = related["Waiter"].objects.create(restaurant=restaurant, name="Joe")
    waiters = related["Waiter"].objects
    assert list(waiters.filter(restaurant__place__pk=place.pk)) == [waiter]
    assert list(waiters.filter(restaurant__place=place)) == [waiter]
    assert list(waiters.filter(restaurant__exact=restaurant)) == [waiter]


def test_reverse_one_to_one_compares_an_instance_by_its_key(
    related: dict[str, Any],
) -> None:
    place = related["Place"].objects.create(name="Demon Dogs")
    related["Place"].objects.create(name="Ace")
    restaurant = related["Restaurant"].objects.create(place=place)
    places = related["Place"].objects
    assert places.get(restaurant__exact=restaurant) == place
    assert places.get(restaurant=restaurant, name="Demon Dogs") == place
    assert list(places.filter(restaurant__in=[restaurant])) == [place]


def test_primary_key_with_to_field_compares_an_own_instance_by_its_key(
    related: dict[str, Any],
) -> None:
    target = related["Target"].objects.create(name="foo")
    pointer = related["Pointer"].objects.create(target=target)
    pointers = related["Pointer"].objects
    assert list(pointers.filter(pk__in=[pointer])) == [pointer]
    assert list(pointers.filter(target__in=[target])) == [pointer]


def test_short_get_path_compares_an_instance_by_the_key_the_pk_holds(
    related: dict[str, Any],
) -> None:
    # get(pk=<instance>) with one keyword takes the cached-statement path.
    place = related["Place"].objects.create(name="Demon Dogs")
    restaurant = related["Restaurant"].objects.create(place=place)
    restaurants = related["Restaurant"].objects
    assert restaurants.get(pk=place) == restaurant
    assert restaurants.get(pk=restaurant) == restaurant
    target = related["Target"].objects.create(name="foo")
    pointer = related["Pointer"].objects.create(target=target)
    pointers = related["Pointer"].objects
    assert pointers.get(pk=pointer) == pointer
    assert pointers.get(pk__exact=target) == pointer


def test_select_related_follows_a_named_path_deeper_than_five(
    related: dict[str, Any],
) -> None:
    chain = related["chain"]
    parent = None
    for model in chain:
        extra: dict[str, Any] = {"up": parent} if parent is not None else {}
        parent = model.objects.create(name=model.__name__, **extra)
    path = "__".join(["up"] * 7)
    with CaptureQueriesContext(connection) as context:
        leaf = chain[-1].objects.select_related(path).get()
        top = leaf
        for _ in range(7):
            top = top.up
    assert top.name == "Level0"
    assert len(context.captured_queries) == 1


def test_select_related_refuses_many_valued_relations_as_invalid_names(
    related: dict[str, Any],
) -> None:
    message = "Invalid field name(s) given in select_related: '{}'. Choices are: {}"
    with pytest.raises(FieldError) as info:
        list(related["Pizza"].objects.select_related("toppings"))
    assert str(info.value) == message.format("toppings", "(none)")
    with pytest.raises(FieldError) as info:
        list(related["Restaurant"].objects.select_related("waiter"))
    assert str(info.value) == message.format("waiter", "place")
    with pytest.raises(FieldError, match="^Non-relational field given in"):
        list(related["Pizza"].objects.select_related("name"))


def test_values_refuses_unknown_names_when_called(related: dict[str, Any]) -> None:
    waiters = related["Waiter"].objects
    with pytest.raises(FieldError) as info:
        waiters.values_list("restaurant__nothing")
    assert str(info.value) == (
        "Cannot resolve keyword 'nothing' into field. "
        "Choices are: place, place_id, waiter"
    )
    with pytest.raises(FieldError) as info:
        waiters.extra(select={"EXTRA": "1"}).values("nothing")
    assert str(info.value) == (
        "Cannot resolve keyword 'nothing' into field. "
        "Choices are: EXTRA, id, name, restaurant, restaurant_id"
    )
    assert list(waiters.values_list("restaurant__place__name")) == []


@pytest.fixture
def family(database: Any) -> Iterator[dict[str, Any]]:
    with isolate_apps("tests.apps.custom_label"):

        class Badge(models.Model):
            name = models.CharField(max_length=20)
            Meta = _meta()

        class Spot(models.Model):
            name = models.CharField(max_length=20)
            badges = models.ManyToManyField(Badge)
            Meta = _meta()

        class Eatery(Spot):
            Meta = _meta()

        class ItalianEatery(Eatery):
            Meta = _meta()

        class Supplier(Spot):
            customers = models.ManyToManyField(Eatery, related_name="provider")
            Meta = _meta()

        class Lot(models.Model):
            name = models.CharField(max_length=20)
            site = models.ForeignKey(Spot, models.CASCADE, related_name="lot")
            Meta = _meta()

        class Ranked(models.Model):
            name = models.CharField(max_length=20)
            Meta = _meta(ordering=["-pk"])

        class RankedChild(Ranked):
            Meta = _meta()

        database.create_models(
            Badge, Spot, Eatery, ItalianEatery, Supplier, Lot, Ranked, RankedChild
        )
        yield {
            "Badge": Badge,
            "Spot": Spot,
            "Eatery": Eatery,
            "ItalianEatery": ItalianEatery,
            "Supplier": Supplier,
            "Lot": Lot,
            "RankedChild": RankedChild,
        }


def test_relations_declared_on_a_parent_join_through_it(
    family: dict[str, Any],
) -> None:
    plain = family["Eatery"].objects.create(name="plain")
    italian = family["ItalianEatery"].objects.create(name="italian")
    supplier = family["Supplier"].objects.create(name="chickens")
    supplier.customers.add(plain, italian)
    family["Lot"].objects.create(name="lit", site=italian)
    italians = family["ItalianEatery"].objects
    assert list(italians.filter(provider__name="chickens")) == [italian]
    assert list(italians.filter(lot__name="lit")) == [italian]
    eateries = family["Eatery"].objects.order_by("name")
    found = eateries.filter(provider__name="chickens")
    assert [eatery.name for eatery in found] == ["italian", "plain"]
    assert [eatery.pk for eatery in eateries.filter(lot__name="lit")] == [italian.pk]
    italian.badges.add(family["Badge"].objects.create(name="star"))
    assert list(italians.filter(badges__name="star")) == [italian]
    assert list(italians.filter(badges__isnull=True)) == []


def test_filter_refuses_an_unknown_name_when_called(family: dict[str, Any]) -> None:
    # ``supplier`` leads from Spot to another child: Eatery does not have it.
    with pytest.raises(FieldError) as info:
        family["Eatery"].objects.filter(supplier__name="x")
    assert str(info.value).startswith(
        "Cannot resolve keyword 'supplier' into field. Choices are: "
        "badges, id, italianeatery, lot, name, provider, spot_ptr, spot_ptr_id"
    )
    assert list(family["Spot"].objects.filter(supplier__name="x")) == []


def test_inherited_ordering_by_descending_pk_follows_the_parent_link(
    family: dict[str, Any],
) -> None:
    first = family["RankedChild"].objects.create(name="a")
    second = family["RankedChild"].objects.create(name="b")
    assert list(family["RankedChild"].objects.all()) == [second, first]


@pytest.fixture
def kitchen(database: Any) -> Iterator[dict[str, Any]]:
    with isolate_apps("tests.apps.custom_label"):

        class Ingredient(models.Model):
            iname = models.CharField(max_length=20, unique=True)
            Meta = _meta(ordering=["iname"])

        class Recipe(models.Model):
            rname = models.CharField(max_length=20, unique=True)
            ingredients = models.ManyToManyField(Ingredient, through="RecipePart")
            Meta = _meta()

            @property
            def shout(self) -> str:
                return str(self.rname).upper()

            @property
            def title(self) -> str:
                return str(self.rname)

            @title.setter
            def title(self, value: Any) -> None:
                self.rname = value

        class RecipePart(models.Model):
            ingredient = models.ForeignKey(Ingredient, models.CASCADE, to_field="iname")
            recipe = models.ForeignKey(Recipe, models.CASCADE, to_field="rname")
            Meta = _meta()

        database.create_models(Ingredient, Recipe, RecipePart)
        yield {"Ingredient": Ingredient, "Recipe": Recipe}


def test_many_to_many_choices_offer_the_values_the_through_keys_hold(
    kitchen: dict[str, Any],
) -> None:
    for name in ("pea", "potato"):
        kitchen["Ingredient"].objects.create(iname=name)
    field = kitchen["Recipe"]._meta.get_field("ingredients")
    assert field.get_choices(include_blank=False) == [
        ("pea", "Ingredient object (1)"),
        ("potato", "Ingredient object (2)"),
    ]


def test_get_or_create_defaults_may_name_settable_properties_only(
    kitchen: dict[str, Any],
) -> None:
    recipes = kitchen["Recipe"].objects
    with pytest.raises(FieldError) as info:
        recipes.update_or_create(rname="a", defaults={"shout": "A"})
    assert str(info.value) == "Invalid field name(s) for model Recipe: 'shout'."
    recipe, created = recipes.get_or_create(rname="b", defaults={"title": "c"})
    assert created
    assert recipe.rname == "c"
