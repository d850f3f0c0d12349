"""GenericForeignKey and GenericRelation on every backend, sync and async."""

from __future__ import annotations

import json

import pytest

from manouche.contrib.contenttypes.models import ContentType
from manouche.core.exceptions import FieldError, SynchronousOnlyOperation
from manouche.db.models import prefetch_related_objects
from tests.contrib.contenttypes.conftest import query_count
from tests.contrib.contenttypes.genericapp.models import (
    Bookmark,
    Comment,
    Note,
    Person,
    TaggedItem,
)
from tests.db.conftest import DatabaseFixture


def test_assigning_an_object_sets_type_and_id(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="a")
    item = TaggedItem(tag="x", content_object=bookmark)
    assert item.content_type == ContentType.objects.get_for_model(Bookmark)
    assert item.object_id == bookmark.pk
    item.save()
    with query_count(tables) as captured:
        assert item.content_object is bookmark
    assert len(captured) == 0


def test_access_loads_and_caches_the_object(tables: DatabaseFixture) -> None:
    note = Note.objects.create(text="n")
    TaggedItem.objects.create(tag="t", content_object=note)
    item = TaggedItem.objects.get()
    with query_count(tables) as captured:
        assert item.content_object == note
        assert item.content_object == note
    assert len(captured) == 1


def test_assigning_none_clears_the_key(tables: DatabaseFixture) -> None:
    item = TaggedItem(tag="x", content_object=Bookmark.objects.create(title="b"))
    item.content_object = None
    assert item.content_type_id is None
    assert item.object_id is None
    assert item.content_object is None


def test_changing_the_id_reloads_the_object(tables: DatabaseFixture) -> None:
    first = Bookmark.objects.create(title="first")
    second = Bookmark.objects.create(title="second")
    item = TaggedItem.objects.create(tag="x", content_object=first)
    item.object_id = second.pk
    assert item.content_object == second


def test_missing_target_reads_as_none(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="gone")
    item = TaggedItem.objects.create(tag="x", content_object=bookmark)
    Bookmark.objects.filter(pk=bookmark.pk).update(title="still")
    fresh = TaggedItem.objects.get(pk=item.pk)
    fresh.object_id = 999_999
    assert fresh.content_object is None


def test_text_object_id_points_at_integer_keys(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="c")
    Comment.objects.create(body="nice", target=bookmark)
    comment = Comment.objects.get()
    assert comment.object_pk == str(bookmark.pk)
    assert comment.target == bookmark
    assert list(bookmark.comments.values_list("body", flat=True)) == ["nice"]
    assert list(Bookmark.objects.filter(comments__body="nice")) == [bookmark]


def test_generic_relation_manager_reads_and_creates(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    other = Note.objects.create(text="n")
    bookmark.tags.create(tag="django")
    bookmark.tags.create(tag="python")
    other.tags.create(tag="django")
    assert [t.tag for t in bookmark.tags.all()] == ["django", "python"]
    assert bookmark.tags.count() == 2
    assert [t.tag for t in other.tags.all()] == ["django"]
    tag, created = bookmark.tags.get_or_create(tag="python")
    assert not created
    tag, created = bookmark.tags.update_or_create(tag="web", defaults={})
    assert created
    assert tag.content_object == bookmark


def test_add_remove_clear_set(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    note = Note.objects.create(text="n")
    loose = note.tags.create(tag="loose")
    bookmark.tags.add(loose)
    loose.refresh_from_db()
    assert loose.content_object == bookmark
    assert note.tags.count() == 0
    unsaved = TaggedItem(tag="new")
    with pytest.raises(ValueError, match="isn't saved. Use bulk=False"):
        bookmark.tags.add(unsaved)
    bookmark.tags.add(unsaved, bulk=False)
    assert sorted(t.tag for t in bookmark.tags.all()) == ["loose", "new"]
    with pytest.raises(TypeError, match="'TaggedItem' instance expected"):
        bookmark.tags.add(note)
    bookmark.tags.remove(loose)
    assert not TaggedItem.objects.filter(pk=loose.pk).exists()
    keep = bookmark.tags.create(tag="keep")
    bookmark.tags.set([keep])
    assert [t.tag for t in bookmark.tags.all()] == ["keep"]
    bookmark.tags.set([keep], clear=True, bulk=False)
    assert [t.tag for t in bookmark.tags.all()] == ["keep"]
    bookmark.tags.clear()
    assert bookmark.tags.count() == 0
    assert TaggedItem.objects.count() == 0


def test_unsaved_instance_has_no_related_set(tables: DatabaseFixture) -> None:
    with pytest.raises(ValueError, match="needs to have a primary key value"):
        Bookmark(title="x").tags.all()
    with pytest.raises(TypeError, match=r"Use tags.set\(\) instead"):
        Bookmark(title="x").tags = []


def test_queries_through_the_relation_both_ways(tables: DatabaseFixture) -> None:
    python = Bookmark.objects.create(title="python")
    web = Bookmark.objects.create(title="web")
    note = Note.objects.create(text="python")
    python.tags.create(tag="lang")
    web.tags.create(tag="www")
    note.tags.create(tag="lang")
    # The same object id on another content type must not leak in.
    TaggedItem.objects.create(
        tag="lang",
        content_type=ContentType.objects.get_for_model(Person),
        object_id=web.pk,
    )
    assert list(Bookmark.objects.filter(tags__tag="lang")) == [python]
    assert list(Bookmark.objects.exclude(tags__tag="lang")) == [web]
    assert list(Note.objects.filter(tags__tag="lang")) == [note]
    found = TaggedItem.objects.filter(bookmark__title="python")
    assert [(t.tag, t.content_object) for t in found] == [("lang", python)]
    assert TaggedItem.objects.filter(bookmark=web).count() == 1
    assert list(
        Bookmark.objects.filter(tags__tag__startswith="w").values_list(
            "title", flat=True
        )
    ) == ["web"]


def test_queries_work_with_an_empty_content_type_cache(
    tables: DatabaseFixture,
) -> None:
    bookmark = Bookmark.objects.create(title="b")
    bookmark.tags.create(tag="t")
    ContentType.objects.clear_cache()
    assert list(Bookmark.objects.filter(tags__tag="t")) == [bookmark]
    assert [t.tag for t in bookmark.tags.all()] == ["t"]


def test_filtering_on_the_generic_key_is_refused(tables: DatabaseFixture) -> None:
    with pytest.raises(FieldError, match="consider adding a GenericRelation"):
        list(TaggedItem.objects.filter(content_object=1))


def test_deleting_the_parent_cascades_to_tagged_items(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    note = Note.objects.create(text="n")
    person = Person.objects.create(name="p")
    bookmark.tags.create(tag="a")
    bookmark.tags.create(tag="b")
    note.tags.create(tag="c")
    TaggedItem.objects.create(tag="d", content_object=person)
    total, counts = bookmark.delete()
    assert counts == {"genericapp.TaggedItem": 2, "genericapp.Bookmark": 1}
    assert total == 3
    assert sorted(TaggedItem.objects.values_list("tag", flat=True)) == ["c", "d"]
    Note.objects.all().delete()
    person.delete()
    assert list(TaggedItem.objects.values_list("tag", flat=True)) == ["d"]


def test_prefetch_generic_foreign_key_groups_by_type(tables: DatabaseFixture) -> None:
    bookmarks = [Bookmark.objects.create(title=f"b{i}") for i in range(3)]
    notes = [Note.objects.create(text=f"n{i}") for i in range(2)]
    for obj in [*bookmarks, *notes]:
        TaggedItem.objects.create(tag="t", content_object=obj)
    ContentType.objects.clear_cache()
    with query_count(tables) as captured:
        items = list(
            TaggedItem.objects.order_by("id").prefetch_related("content_object")
        )
        targets = [item.content_object for item in items]
    # the items, two content types, then one query per content type
    assert len(captured) == 5
    assert targets == [*bookmarks, *notes]
    with query_count(tables) as again:
        list(TaggedItem.objects.prefetch_related("content_object"))
    assert len(again) == 3


def test_prefetch_generic_relation(tables: DatabaseFixture) -> None:
    first = Bookmark.objects.create(title="first")
    second = Bookmark.objects.create(title="second")
    first.tags.create(tag="a")
    first.tags.create(tag="b")
    Note.objects.create(text="n").tags.create(tag="note")
    ContentType.objects.get_for_model(Bookmark)
    with query_count(tables) as captured:
        bookmarks = list(Bookmark.objects.prefetch_related("tags"))
        tags = [[t.tag for t in b.tags.all()] for b in bookmarks]
    assert len(captured) == 2
    assert tags == [["a", "b"], []]
    assert second in bookmarks
    prefetch_related_objects(bookmarks[:1], "tags")


def test_prefetch_to_attr(tables: DatabaseFixture) -> None:
    from manouche.db.models import Prefetch

    bookmark = Bookmark.objects.create(title="b")
    bookmark.tags.create(tag="a")
    found = Bookmark.objects.prefetch_related(
        Prefetch("tags", queryset=TaggedItem.objects.filter(tag="a"), to_attr="a_tags")
    ).get()
    assert [t.tag for t in found.a_tags] == ["a"]


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
async def test_async_lazy_access_is_refused_with_advice(
    tables: DatabaseFixture,
) -> None:
    bookmark = await Bookmark.objects.acreate(title="b")
    ct = await ContentType.objects.aget_for_model(Bookmark)
    await TaggedItem.objects.acreate(tag="t", content_object=bookmark)
    item = await TaggedItem.objects.aget()
    with pytest.raises(SynchronousOnlyOperation) as excinfo:
        item.content_object  # noqa: B018
    message = str(excinfo.value)
    assert "TaggedItem.content_object" in message
    assert "prefetch_related('content_object')" in message
    assert await ct.aget_object_for_this_type(pk=item.object_id) == bookmark
    items = [i async for i in TaggedItem.objects.prefetch_related("content_object")]
    assert items[0].content_object == bookmark


async def test_async_creation_looks_the_content_type_up_without_blocking(
    tables: DatabaseFixture,
) -> None:
    # Nothing cached: assigning content_object on the loop would need a query.
    ContentType.objects.clear_cache()
    bookmark = await Bookmark.objects.acreate(title="b")
    note = await Note.objects.acreate(text="n")
    item = await TaggedItem.objects.acreate(tag="a", content_object=bookmark)
    assert (item.object_id, item.content_type.model) == (bookmark.pk, "bookmark")
    ContentType.objects.clear_cache()
    _got, created = await TaggedItem.objects.aget_or_create(
        tag="b", defaults={"content_object": note}
    )
    assert created
    ContentType.objects.clear_cache()
    updated, created = await TaggedItem.objects.aupdate_or_create(
        tag="a", defaults={"content_object": note}
    )
    assert not created
    assert (updated.object_id, updated.content_type.model) == (note.pk, "note")


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
async def test_async_related_manager(tables: DatabaseFixture) -> None:
    bookmark = await Bookmark.objects.acreate(title="b")
    other = await Bookmark.objects.acreate(title="o")
    tag = await bookmark.tags.acreate(tag="a")
    assert [t.tag async for t in bookmark.tags.all()] == ["a"]
    loose = await other.tags.acreate(tag="loose")
    await bookmark.tags.aadd(loose)
    assert await bookmark.tags.acount() == 2
    await bookmark.tags.aremove(tag)
    await bookmark.tags.aset([loose])
    _obj, created = await bookmark.tags.aget_or_create(tag="z")
    assert created
    assert [b.title async for b in Bookmark.objects.filter(tags__tag="z")] == ["b"]
    fetched = [b async for b in Bookmark.objects.prefetch_related("tags")]
    assert [t.tag for t in fetched[0].tags.all()] == ["loose", "z"]
    await bookmark.tags.aclear()
    assert await TaggedItem.objects.acount() == 0
    await bookmark.adelete()


def test_generic_relation_value_to_string_lists_related_pks(
    tables: DatabaseFixture,
) -> None:
    bookmark = Bookmark.objects.create(title="b")
    first = TaggedItem.objects.create(tag="a", content_object=bookmark)
    second = TaggedItem.objects.create(tag="b", content_object=bookmark)
    field = Bookmark._meta.get_field("tags")
    assert json.loads(field.value_to_string(bookmark)) == [first.pk, second.pk]
