"""_meta: ancestors, swapped models, the relation tree and the reverse fields.

Also: reloading a deferred field keeps the relations already cached.
"""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.core.exceptions import FieldDoesNotExist
from manouche.db import connection, models
from manouche.db.models.options import EMPTY_RELATION_TREE
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.db.models.modelapp.models import Author, Profile


def _apps() -> Apps:
    return Apps(["tests.db.models.fields.fieldsapp"])


def _meta(registry: Apps, **extra: Any) -> type:
    return type("Meta", (), {"app_label": "fieldsapp", "apps": registry, **extra})


def test_all_parents_lists_direct_parents_first() -> None:
    registry = _apps()

    class Ancestor(models.Model):
        Meta = _meta(registry)

    class First(Ancestor):
        Meta = _meta(registry)

    class Second(Ancestor):
        Meta = _meta(registry)

    class Child(First, Second):
        Meta = _meta(registry)

    assert Ancestor._meta.all_parents == ()
    assert First._meta.all_parents == (Ancestor,)
    assert Child._meta.all_parents == (First, Second, Ancestor)
    assert Child._meta.get_parent_list() == [First, Second, Ancestor]


def test_swapped_names_the_replacing_setting_value() -> None:
    registry = _apps()

    class Replaceable(models.Model):
        Meta = _meta(registry, swappable="TEST_SWAPPED_MODEL")

    assert Replaceable._meta.swapped is None
    with override_settings(TEST_SWAPPED_MODEL="fieldsapp.Other"):
        assert Replaceable._meta.swapped == "fieldsapp.Other"
    with override_settings(TEST_SWAPPED_MODEL="not-a-label"):
        assert Replaceable._meta.swapped == "not-a-label"
    with override_settings(TEST_SWAPPED_MODEL="fieldsapp.replaceable"):
        assert Replaceable._meta.swapped is None
    assert Author._meta.swapped is None


def test_relation_tree_holds_forward_fields_and_is_dropped_by_clear_cache() -> None:
    registry = _apps()

    class Target(models.Model):
        Meta = _meta(registry)

    class Lonely(models.Model):
        Meta = _meta(registry)

    class TargetProxy(Target):
        Meta = _meta(registry, proxy=True)

    class Pointer(models.Model):
        target = models.ForeignKey(Target, models.CASCADE)
        by_proxy = models.ForeignKey(TargetProxy, models.CASCADE, related_name="+")
        Meta = _meta(registry)

    registry.clear_cache()
    for model in (Target, Lonely, Pointer):
        assert "_relation_tree" not in model._meta.__dict__
    tree = Target._meta._relation_tree
    assert set(tree) == {
        Pointer._meta.get_field("target"),
        Pointer._meta.get_field("by_proxy"),
    }
    assert "_relation_tree" in Pointer._meta.__dict__
    assert Lonely._meta._relation_tree == EMPTY_RELATION_TREE
    names = {rel.name for rel in Target._meta.get_fields(include_hidden=True)}
    assert {"pointer", "id"} <= names
    registry.clear_cache()
    assert "_relation_tree" not in Target._meta.__dict__


def test_relations_to_a_proxy_are_listed_on_the_concrete_model() -> None:
    registry = _apps()

    class Shop(models.Model):
        Meta = _meta(registry)

    class ShopProxy(Shop):
        Meta = _meta(registry, proxy=True)

    class Visit(models.Model):
        shop = models.ForeignKey(ShopProxy, models.CASCADE)
        Meta = _meta(registry)

    assert [r.name for r in Shop._meta.related_objects] == ["visit"]
    assert [r.name for r in ShopProxy._meta.related_objects] == ["visit"]


def test_a_childs_fields_leave_out_the_parents_links_to_children() -> None:
    registry = _apps()

    class Place(models.Model):
        Meta = _meta(registry)

    class Cafe(Place):
        Meta = _meta(registry)

    class Bar(Place):
        Meta = _meta(registry)

    place_names = {r.name for r in Place._meta.related_objects}
    assert place_names == {"cafe", "bar"}
    assert {r.name for r in Cafe._meta.related_objects} == set()
    assert Cafe._meta.get_field("place_ptr").remote_field.parent_link


def test_hidden_many_to_many_reverse_names_are_distinct() -> None:
    registry = _apps()

    class Label(models.Model):
        Meta = _meta(registry)

    class Item(models.Model):
        first = models.ManyToManyField(Label, related_name="+")
        second = models.ManyToManyField(Label, related_name="+")
        Meta = _meta(registry)

    names = [
        Item._meta.get_field(name).remote_field.related_name
        for name in ("first", "second")
    ]
    assert names == ["_fieldsapp_item_first_+", "_fieldsapp_item_second_+"]


def test_get_field_before_models_are_ready_finds_only_forward_fields() -> None:
    opts = Author._meta
    opts.apps.models_ready = False
    try:
        assert opts.get_field("name")
        message = "The app cache isn't ready yet"
        with pytest.raises(FieldDoesNotExist, match=message):
            opts.get_field("books")
    finally:
        opts.apps.models_ready = True
    assert opts.get_field("books")


def test_loading_a_deferred_field_keeps_cached_relations(mdb: Any) -> None:
    author = Author.objects.create(name="a", age=3)
    Profile.objects.create(author=author, bio="b")
    loaded = Author.objects.defer("age").get(pk=author.pk)
    assert loaded.profile.bio == "b"
    assert loaded.age == 3  # one query for the deferred field
    with CaptureQueriesContext(connection) as queries:
        assert loaded.profile.bio == "b"
    assert len(queries) == 0
    loaded.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        assert loaded.profile.bio == "b"
    assert len(queries) == 1
