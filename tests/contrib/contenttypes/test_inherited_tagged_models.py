"""Generic relation joins: to a multi-table child, beside content type joins."""

from __future__ import annotations

from manouche.contrib.contenttypes.models import ContentType
from tests.contrib.contenttypes.genericapp.models import (
    Bookmark,
    Note,
    PricedTaggedItem,
    Stone,
    TaggedItem,
)
from tests.db.conftest import DatabaseFixture


def test_filtering_through_the_child_reads_parent_and_child_columns(
    tables: DatabaseFixture,
) -> None:
    granite = Stone.objects.create(name="granite")
    marble = Stone.objects.create(name="marble")
    PricedTaggedItem.objects.create(content_object=granite, tag="top", price=1)
    PricedTaggedItem.objects.create(content_object=marble, tag="floor", price=2)
    assert [s.name for s in Stone.objects.filter(priced_tags__price=1)] == ["granite"]
    assert Stone.objects.filter(priced_tags__price=1).count() == 1
    assert [s.name for s in Stone.objects.filter(priced_tags__tag="floor")] == [
        "marble"
    ]
    assert list(Stone.objects.filter(priced_tags__price__gt=5)) == []
    assert [t.price for t in granite.priced_tags.all()] == [1]


def test_generic_join_beside_a_content_type_join_with_a_cold_cache(
    tables: DatabaseFixture,
) -> None:
    bookmark = Bookmark.objects.create(title="a")
    TaggedItem.objects.create(content_object=bookmark, tag="x")
    TaggedItem.objects.create(content_object=Note.objects.create(text="a"), tag="y")
    ContentType.objects.clear_cache()
    # The outer query joins the content type table by its name; the content
    # type lookup inside the generic join must not be correlated with it.
    tags = TaggedItem.objects.filter(
        content_type__model="bookmark", bookmark__title="a"
    )
    assert [tag.tag for tag in tags] == ["x"]
