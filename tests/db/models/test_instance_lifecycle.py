"""Instance behaviour Django users rely on: construction, saving, refresh, raw."""

from __future__ import annotations

import inspect
from typing import Any
from unittest import mock

import pytest

from manouche.db import connection, models
from manouche.db.models.sql.query import RawQuery
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.models.modelapp.models import (
    Author,
    Book,
    Place,
    Profile,
    Restaurant,
    Tag,
    Timestamped,
)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    """The data statements run (transaction control left out).

    An executemany is logged once, as ``"N times: INSERT ..."``.
    """
    words = [q["sql"].split(" times: ")[-1].split()[0].upper() for q in queries]
    return [w for w in words if w in {"SELECT", "INSERT", "UPDATE", "DELETE"}]


def test_abstract_models_cannot_be_instantiated() -> None:
    with pytest.raises(TypeError, match="Abstract models cannot be instantiated."):
        Timestamped()


def test_mixin_after_model_is_initialised() -> None:
    class Mixin:
        def __init__(self) -> None:
            self.mixed = True
            super().__init__()

    with isolate_apps("tests.apps.custom_label"):

        class Mixed(models.Model, Mixin):
            class Meta:
                app_label = "custom_label"

        assert Mixed().mixed is True
        assert Mixed._init_mixins is True
    assert Author._init_mixins is False


def test_reverse_one_to_one_keyword(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    profile = Profile.objects.create(author=author)
    other = Author(name="b", profile=profile)
    assert profile.author is other
    message = "The following fields do not exist in this model: profile"
    with pytest.raises(ValueError, match=message):
        Author.objects.create(name="c", profile=profile)
    with pytest.raises(ValueError, match=message):
        Author.objects.get_or_create(name="c", defaults={"profile": profile})


def test_unset_one_to_one_caches_absence(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    profile = Profile(author=author)
    profile.save()
    assert author.profile is profile
    profile.author = None
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(Profile.DoesNotExist),
    ):
        _ = author.profile
    assert len(queries) == 0


def test_refused_unsaved_target_does_not_keep_the_reverse_cache(mdb: Any) -> None:
    author = Author(name="unsaved")
    with pytest.raises(ValueError, match="unsaved related object 'author'"):
        Profile.objects.create(author=author)
    with pytest.raises(Profile.DoesNotExist):
        _ = author.profile


def test_reverse_relation_accessor_name() -> None:
    relation = Profile._meta.get_field("author").remote_field
    assert relation.accessor_name == "profile"
    assert Book._meta.get_field("author").remote_field.accessor_name == "books"


def test_refresh_from_db_fields_and_querysets(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    with pytest.raises(ValueError, match=r"in fields argument\. Relations and"):
        author.refresh_from_db(fields=["books__title"])
    assert not hasattr(author, "profile")
    Profile.objects.create(author=author)
    author.refresh_from_db(fields=["profile"])
    assert hasattr(author, "profile")
    with pytest.raises(Exception, match="nonexistent"):
        author.refresh_from_db(from_queryset=Author.objects.using("nonexistent"))
    author.refresh_from_db(using="default", from_queryset=Author.objects.using("x"))


def test_refresh_keeps_select_related_objects(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    with CaptureQueriesContext(connection) as queries:
        book.refresh_from_db(from_queryset=Book.objects.select_related("author"))
        assert book.author.name == "a"
    assert len(queries) == 1


def test_refresh_forgets_named_prefetches(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    fetched = Author.objects.prefetch_related("books").get()
    assert list(fetched.books.all()) == []
    Book.objects.create(title="t", author=author)
    fetched.refresh_from_db(fields=["books"])
    assert [b.title for b in fetched.books.all()] == ["t"]


def test_select_on_save_asks_before_updating(
    mdb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    author = Author.objects.create(name="a")
    monkeypatch.setattr(Author._meta, "select_on_save", True)
    with CaptureQueriesContext(connection) as queries:
        author.save()
    assert _statements(queries) == ["SELECT", "UPDATE"]
    with CaptureQueriesContext(connection) as queries:
        author.save(force_update=True)
    assert _statements(queries) == ["UPDATE"]
    Author.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        author.save()
    assert _statements(queries) == ["SELECT", "INSERT"]


async def test_asave_honours_an_instance_level_save_base() -> None:
    author = Author(name="a")
    with mock.patch.object(author, "save_base") as save_base:
        await author.asave(update_fields=["name"])
    assert save_base.call_args.kwargs["update_fields"] == frozenset({"name"})


def test_manager_methods_show_queryset_signatures() -> None:
    parameters = inspect.signature(Author.objects.bulk_create).parameters
    assert "objs" in parameters
    assert "batch_size" in parameters


def test_many_to_many_related_val_is_a_tuple(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    book.tags.add(Tag.objects.create(name="x"))
    assert book.tags.related_val == (book.pk,)
    assert [t.name for t in book.tags.all()] == ["x"]


def test_raw_query_sets(mdb: Any) -> None:
    Author.objects.create(name="foo")
    Restaurant.objects.create(name="r", serves_pizza=True)
    table = Author._meta.db_table
    raw = Author.objects.raw(f"SELECT * FROM {table} WHERE name = %(n)s", {"n": "foo"})
    assert isinstance(raw.query, RawQuery)
    assert raw.query.cursor is None
    assert repr(raw) == f"<RawQuerySet: SELECT * FROM {table} WHERE name = foo>"
    assert repr(raw.query) == f"<RawQuery: SELECT * FROM {table} WHERE name = foo>"
    with CaptureQueriesContext(connection) as queries:
        assert [a.name for a in raw.iterator()] == ["foo"]
        assert [a.name for a in raw.iterator()] == ["foo"]
    assert len(queries) == 2
    assert raw.query.cursor is not None
    place, child = Place._meta.db_table, Restaurant._meta.db_table
    rows = Restaurant.objects.raw(
        f"SELECT * FROM {child} JOIN {place} ON {place}.id = {child}.place_ptr_id"
    )
    assert [(r.name, r.serves_pizza) for r in rows] == [("r", True)]


def test_many_to_many_add_is_one_insert_and_skips_existing_links(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    first, second = Tag.objects.create(name="x"), Tag.objects.create(name="y")
    book.tags.add(first)
    with CaptureQueriesContext(connection) as queries:
        book.tags.add(first, second)
    assert _statements(queries) == ["INSERT"]
    assert sorted(t.name for t in book.tags.all()) == ["x", "y"]
    assert sorted(b.title for b in second.books.all()) == ["t"]
    second.books.add(book)
    assert book.tags.count() == 2


def test_many_to_many_remove_checks_key_types(mdb: Any) -> None:
    author = Author.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    with pytest.raises(ValueError, match="expected a number but got 'invalid'"):
        book.tags.remove("invalid")
    book.tags.add(Tag.objects.create(name="x"))
    assert book.tags.count() == 1
