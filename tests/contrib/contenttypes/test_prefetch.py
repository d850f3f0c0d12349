"""GenericPrefetch: one queryset per target model through a GenericForeignKey."""

from __future__ import annotations

import pytest

from manouche.contrib.contenttypes.models import ContentType
from manouche.contrib.contenttypes.prefetch import GenericPrefetch
from tests.contrib.contenttypes.conftest import query_count
from tests.contrib.contenttypes.genericapp.models import Bookmark, Note, TaggedItem
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
