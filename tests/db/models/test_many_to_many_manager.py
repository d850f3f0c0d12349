"""Many-to-many managers: join-free count/exists, to_field keys, get_or_create."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.db import connection, models
from manouche.test.utils import CaptureQueriesContext, isolate_apps
from tests.db.models.modelapp.models import Author as ModelAuthor
from tests.db.models.modelapp.models import Book, Tag


@pytest.fixture
def keyed(database: Any) -> Iterator[tuple[Any, Any]]:
    """A User (keyed by username) linked to Articles through a to_field FK."""
    with isolate_apps("tests.apps.custom_label"):

        class User(models.Model):
            username = models.CharField(max_length=20, unique=True)

            class Meta:
                app_label = "custom_label"

        class Article(models.Model):
            headline = models.CharField(max_length=50)
            authors = models.ManyToManyField(User, through="Authorship")

            class Meta:
                app_label = "custom_label"

        class Authorship(models.Model):
            user = models.ForeignKey(User, models.CASCADE, to_field="username")
            article = models.ForeignKey(Article, models.CASCADE)

            class Meta:
                app_label = "custom_label"

        database.create_models(User, Article, Authorship)
        yield User, Article


def test_reverse_set_of_a_to_field_key_follows_the_key(
    keyed: tuple[Any, Any],
) -> None:
    user_model, article_model = keyed
    first = article_model.objects.create(headline="first")
    second = article_model.objects.create(headline="second")
    user = user_model.objects.create(username="Jean")
    first.authors.add(user.username)
    assert list(user.article_set.all()) == [first]
    # The manager is cached on the instance; it must follow a changed key.
    first.authors.clear()
    user.username = "Paul"
    user.save()
    second.authors.add("Paul")
    assert list(user.article_set.all()) == [second]
    assert user.article_set.count() == 1


def _sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def test_count_and_exists_read_the_join_table_alone(mdb: Any) -> None:
    author = ModelAuthor.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    book.tags.add(Tag.objects.create(name="x"), Tag.objects.create(name="y"))
    with CaptureQueriesContext(connection) as captured:
        assert book.tags.count() == 2
        assert book.tags.exists() is True
    assert len(captured) == 2
    assert all(
        "JOIN" not in sql and "modelapp_tag " not in sql for sql in _sql(captured)
    )
    # A filtered set still joins the target table.
    assert book.tags.filter(name="x").count() == 1


def test_count_uses_a_prefetched_set(mdb: Any) -> None:
    author = ModelAuthor.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    book.tags.add(Tag.objects.create(name="x"))
    fetched = Book.objects.prefetch_related("tags").get(pk=book.pk)
    with CaptureQueriesContext(connection) as captured:
        assert fetched.tags.count() == 1
        assert fetched.tags.exists() is True
    assert len(captured) == 0


def test_get_or_create_links_a_new_object(mdb: Any) -> None:
    author = ModelAuthor.objects.create(name="a")
    book = Book.objects.create(title="t", author=author)
    tag, created = book.tags.get_or_create(name="new")
    assert created is True
    assert list(book.tags.all()) == [tag]
    again, created = book.tags.get_or_create(name="new")
    assert (again, created) == (tag, False)
    updated, created = book.tags.update_or_create(
        name="new", defaults={"name": "renamed"}
    )
    assert (updated.pk, updated.name, created) == (tag.pk, "renamed", False)
    assert book.tags.count() == 1


async def test_async_get_or_create_links_a_new_object(mdb: Any) -> None:
    author = await ModelAuthor.objects.acreate(name="a")
    book = await Book.objects.acreate(title="t", author=author)
    tag, created = await book.tags.aget_or_create(name="new")
    assert created is True
    assert await book.tags.acount() == 1
    other, created = await book.tags.aupdate_or_create(name="other")
    assert created is True
    assert await book.tags.acount() == 2
    assert await book.tags.aexists() is True
    assert {t.pk async for t in book.tags.all()} == {tag.pk, other.pk}
