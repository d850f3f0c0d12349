"""GenericPrefetch: one queryset per target model through a GenericForeignKey."""

from __future__ import annotations

import pytest

from manouche.contrib.contenttypes.models import ContentType
from manouche.contrib.contenttypes.prefetch import GenericPrefetch
from tests.contrib.contenttypes.conftest import query_count
from tests.contrib.contenttypes.genericapp.models import (
    Bookmark,
    Note,
    ProxyBookmark,
    TaggedItem,
)
from tests.db.conftest import DatabaseFixture


def test_each_model_is_fetched_through_its_queryset(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    note = Note.objects.create(text="n")
    TaggedItem.objects.create(tag="x", content_object=bookmark)
    TaggedItem.objects.create(tag="y", content_object=note)
    ContentType.objects.clear_cache()
    lookup = GenericPrefetch(
        "content_object", [Bookmark.objects.only("id"), Note.objects.all()]
    )
    items = list(TaggedItem.objects.order_by("id").prefetch_related(lookup))
    with query_count(tables) as captured:
        targets = [item.content_object for item in items]
    assert len(captured) == 0
    assert targets == [bookmark, note]
    # only("id") applied to the bookmark: its title is deferred.
    assert "title" in targets[0].get_deferred_fields()
    assert "text" not in targets[1].get_deferred_fields()


def test_models_without_a_queryset_use_their_base_manager(
    tables: DatabaseFixture,
) -> None:
    note = Note.objects.create(text="n")
    TaggedItem.objects.create(tag="y", content_object=note)
    lookup = GenericPrefetch("content_object", [Bookmark.objects.all()], to_attr="obj")
    (item,) = TaggedItem.objects.prefetch_related(lookup)
    assert item.obj == note


def test_values_querysets_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot use raw\\(\\), values\\(\\)"):
        GenericPrefetch("content_object", [Note.objects.values("id")])


def test_raw_querysets_are_refused(tables: DatabaseFixture) -> None:
    raw = Bookmark.objects.raw("SELECT id FROM genericapp_bookmark")
    with pytest.raises(ValueError, match=r"cannot use raw\(\), values\(\)"):
        GenericPrefetch("content_object", [raw])


def test_two_querysets_for_one_content_type_are_refused(
    tables: DatabaseFixture,
) -> None:
    TaggedItem.objects.create(tag="x", content_object=Bookmark.objects.create())
    lookup = GenericPrefetch(
        "content_object",
        [Bookmark.objects.all(), ProxyBookmark.objects.filter(title="t")],
    )
    with pytest.raises(
        ValueError, match="Only one queryset is allowed for each content type"
    ):
        list(TaggedItem.objects.prefetch_related(lookup))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_prefetch_protocol_of_the_generic_key(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    note = Note.objects.create(text="n")
    items = [
        TaggedItem.objects.create(tag="x", content_object=bookmark),
        TaggedItem.objects.create(tag="y", content_object=note),
    ]
    field = TaggedItem._meta.get_field("content_object")
    targets, target_key, instance_key, single, name, is_descriptor = (
        field.get_prefetch_querysets(items)
    )
    assert sorted(targets, key=str) == sorted([bookmark, note], key=str)
    assert {target_key(t) for t in targets} == {instance_key(i) for i in items}
    assert (single, name, is_descriptor) == (True, "content_object", False)
    with pytest.warns(DeprecationWarning, match="get_prefetch_queryset"):
        field.get_prefetch_queryset(items)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_prefetch_protocol_of_the_relation_manager(tables: DatabaseFixture) -> None:
    first, second = Bookmark.objects.create(), Bookmark.objects.create()
    note = Note.objects.create(pk=first.pk)  # same pk, other content type
    tag = TaggedItem.objects.create(tag="x", content_object=first)
    TaggedItem.objects.create(tag="y", content_object=note)
    manager = first.tags
    queryset, related_key, instance_key, single, name, _ = (
        manager.get_prefetch_querysets([first, second])
    )
    assert list(queryset) == [tag]
    assert related_key(tag) == instance_key(first) != instance_key(second)
    assert (single, name) == (False, "tags")
    with pytest.raises(ValueError, match="should have a length of 1"):
        manager.get_prefetch_querysets(
            [first], querysets=[TaggedItem.objects.all(), TaggedItem.objects.all()]
        )
    with pytest.warns(DeprecationWarning, match="get_prefetch_querysets"):
        manager.get_prefetch_queryset([first])
