"""Changing a GenericRelation's set drops the set a prefetch cached."""

from __future__ import annotations

from tests.contrib.contenttypes.genericapp.models import Bookmark, TaggedItem
from tests.db.conftest import DatabaseFixture


def test_set_after_prefetch_shows_the_new_set(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    found = Bookmark.objects.prefetch_related("tags").get(pk=bookmark.pk)
    assert list(found.tags.all()) == []
    furry = TaggedItem.objects.create(tag="furry", content_object=found)
    # The row already points here: set() adds nothing, yet must not keep
    # serving the stale prefetched (empty) set.
    found.tags.set([furry])
    assert list(found.tags.all()) == [furry]
    weird = TaggedItem.objects.create(tag="weird", content_object=found)
    found = Bookmark.objects.prefetch_related("tags").get(pk=bookmark.pk)
    found.tags.set([weird])
    assert list(found.tags.all()) == [weird]


def test_remove_after_prefetch_shows_the_rest(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    kept = bookmark.tags.create(tag="kept")
    gone = bookmark.tags.create(tag="gone")
    found = Bookmark.objects.prefetch_related("tags").get(pk=bookmark.pk)
    found.tags.remove(gone)
    assert list(found.tags.all()) == [kept]
