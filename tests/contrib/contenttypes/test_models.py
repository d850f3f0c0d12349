"""ContentType and its manager: caching, proxies, ids, natural keys."""

from __future__ import annotations

import pytest

from manouche.contrib.contenttypes.apps import create_contenttypes
from manouche.contrib.contenttypes.models import ContentType
from manouche.core.exceptions import SynchronousOnlyOperation
from tests.contrib.contenttypes.conftest import query_count
from tests.contrib.contenttypes.genericapp.models import (
    Bookmark,
    Note,
    ProxyBookmark,
    TaggedItem,
)
from tests.db.conftest import DatabaseFixture


def test_content_type_table_uses_the_manouche_name() -> None:
    assert ContentType._meta.db_table == "manouche_content_type"
    assert ContentType._meta.label == "contenttypes.ContentType"


def test_get_for_model_creates_once_then_serves_from_cache(
    tables: DatabaseFixture,
) -> None:
    with query_count(tables) as first:
        ct = ContentType.objects.get_for_model(Bookmark)
    assert len(first) >= 1
    assert (ct.app_label, ct.model) == ("genericapp", "bookmark")
    with query_count(tables) as second:
        again = ContentType.objects.get_for_model(Bookmark())
    assert len(second) == 0
    assert again is ct


def test_clear_cache_forgets_content_types(tables: DatabaseFixture) -> None:
    ContentType.objects.get_for_model(Bookmark)
    ContentType.objects.clear_cache()
    with query_count(tables) as captured:
        ContentType.objects.get_for_model(Bookmark)
    assert len(captured) == 1


def test_proxy_uses_concrete_type_unless_asked(tables: DatabaseFixture) -> None:
    concrete = ContentType.objects.get_for_model(ProxyBookmark)
    proxy = ContentType.objects.get_for_model(ProxyBookmark, for_concrete_model=False)
    assert concrete.model == "bookmark"
    assert proxy.model == "proxybookmark"
    assert proxy.model_class() is ProxyBookmark


def test_get_for_models_returns_a_mapping(tables: DatabaseFixture) -> None:
    ContentType.objects.get_for_model(Note)
    ContentType.objects.clear_cache()
    result = ContentType.objects.get_for_models(
        Bookmark, Note, ProxyBookmark, for_concrete_models=False
    )
    assert {m: ct.model for m, ct in result.items()} == {
        Bookmark: "bookmark",
        Note: "note",
        ProxyBookmark: "proxybookmark",
    }
    with query_count(tables) as captured:
        assert ContentType.objects.get_for_models(Note)[Note] == result[Note]
    assert len(captured) == 0


def test_get_for_id_and_natural_key_are_cached(tables: DatabaseFixture) -> None:
    ct = ContentType.objects.get_for_model(Note)
    ContentType.objects.clear_cache()
    with query_count(tables) as captured:
        assert ContentType.objects.get_for_id(ct.id) == ct
        assert ContentType.objects.get_for_id(ct.id) == ct
        assert ContentType.objects.get_by_natural_key("genericapp", "note") == ct
    assert len(captured) == 1
    assert ct.natural_key() == ("genericapp", "note")
    with pytest.raises(ContentType.DoesNotExist):
        ContentType.objects.get_for_id(ct.id + 1000)


def test_instance_helpers(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="manouche")
    ct = ContentType.objects.get_for_model(Bookmark)
    assert ct.name == "bookmark"
    assert str(ct) == "Genericapp | bookmark"
    assert ct.get_object_for_this_type(pk=bookmark.pk) == bookmark
    assert list(ct.get_all_objects_for_this_type(title="manouche")) == [bookmark]
    gone = ContentType(app_label="nowhere", model="ghost")
    assert gone.model_class() is None
    assert gone.name == "ghost"


def test_create_contenttypes_adds_missing_rows_once(tables: DatabaseFixture) -> None:
    from manouche.apps import apps

    config = apps.get_app_config("genericapp")
    created = create_contenttypes(config, verbosity=0)
    assert {ct.model for ct in created} >= {"bookmark", "taggeditem", "note"}
    assert create_contenttypes(config, verbosity=0) == []
    assert ContentType.objects.filter(app_label="genericapp").count() == len(created)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_async_get_for_model_fills_the_cache_sync_reads(
    tables: DatabaseFixture,
) -> None:
    with pytest.raises(SynchronousOnlyOperation, match="aget_for_model"):
        ContentType.objects.get_for_model(TaggedItem)
    ct = await ContentType.objects.aget_for_model(TaggedItem)
    assert ContentType.objects.get_for_model(TaggedItem) is ct
    assert await ContentType.objects.aget_for_id(ct.id) is ct
    both = await ContentType.objects.aget_for_models(TaggedItem, Note)
    assert both[TaggedItem] is ct


def test_get_for_models_inserts_missing_rows_once_each(
    tables: DatabaseFixture,
) -> None:
    ContentType.objects.get_for_model(Note)
    ContentType.objects.clear_cache()
    with query_count(tables) as captured:
        result = ContentType.objects.get_for_models(Note, Bookmark, TaggedItem)
    sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    assert sum(statement.startswith("INSERT") for statement in sql) == 2
    assert not any("SAVEPOINT" in statement for statement in sql)
    assert {model: ct.model for model, ct in result.items()} == {
        Note: "note",
        Bookmark: "bookmark",
        TaggedItem: "taggeditem",
    }
    assert ContentType.objects.count() == 3
