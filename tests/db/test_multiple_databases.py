"""Several databases: using(), save(using=), routers, and the documented examples.

The read-replica and sharding routers of docs/topics/database.md live in
``tests/db/multidb_routers.py`` and run here on real SQLite databases (one
file each; the "replica" is the primary's file under a second alias, which
is what replication gives a reader).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from manouche.db import connections
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.db.models.modelapp.models import Author, Book, Publisher
from tests.db.multidb_routers import SHARDS, shard_for

ROUTERS = "tests.db.multidb_routers"


def _sqlite(path: Path) -> dict[str, Any]:
    return {"ENGINE": "manouche.db.backends.sqlite3", "NAME": str(path)}


def _create_tables(aliases: list[str]) -> None:
    for alias in aliases:
        with connections[alias].schema_editor() as editor:
            for model in (Author, Publisher, Book):
                editor.create_model(model)


@pytest.fixture
def replicated(tmp_path: Path) -> Iterator[None]:
    primary = tmp_path / "primary.sqlite3"
    databases = {"default": _sqlite(primary), "replica": _sqlite(primary)}
    with override_settings(
        DATABASES=databases, DATABASE_ROUTERS=[f"{ROUTERS}.PrimaryReplicaRouter"]
    ):
        _create_tables(["default"])
        yield
        connections.close_all()


@pytest.fixture
def sharded(tmp_path: Path) -> Iterator[None]:
    databases = {"default": _sqlite(tmp_path / "main.sqlite3")}
    databases.update(
        {shard: _sqlite(tmp_path / f"{shard}.sqlite3") for shard in SHARDS}
    )
    with override_settings(
        DATABASES=databases, DATABASE_ROUTERS=[f"{ROUTERS}.AuthorShardRouter"]
    ):
        _create_tables(SHARDS)
        yield
        connections.close_all()


def test_replica_router_reads_from_the_replica_and_writes_to_the_primary(
    replicated: None,
) -> None:
    with CaptureQueriesContext(connections["default"]) as writes:
        Author.objects.create(name="Ann", age=30)
    with CaptureQueriesContext(connections["replica"]) as reads:
        ann = Author.objects.get(name="Ann")
    assert len(writes) == 1
    assert writes[0]["sql"].startswith("INSERT")
    assert len(reads) == 1
    assert reads[0]["sql"].startswith("SELECT")
    assert ann._state.db == "replica"
    ann.age = 31
    with CaptureQueriesContext(connections["default"]) as writes:
        ann.save()
    assert writes[0]["sql"].startswith("UPDATE")
    assert Author.objects.get(pk=ann.pk).age == 31


def test_replica_router_lets_rows_of_the_replica_and_the_primary_relate(
    replicated: None,
) -> None:
    Author.objects.create(name="Ann")
    ann = Author.objects.get(name="Ann")  # read from the replica
    book = Book(title="Dune", author=ann)
    book.save()
    assert Book.objects.get(title="Dune").author_id == ann.pk


def test_shard_router_writes_each_author_with_their_books_on_one_shard(
    sharded: None,
) -> None:
    for author_id in (1, 2, 3):
        author = Author(pk=author_id, name=f"author {author_id}")
        author.save()
        Book(title=f"book of {author_id}", author=author).save()
    for shard in SHARDS:
        on_shard = Author.objects.using(shard).order_by("pk")
        expected = [pk for pk in (1, 2, 3) if shard_for(pk) == shard]
        assert [author.pk for author in on_shard] == expected
        assert (
            sorted(Book.objects.using(shard).values_list("author_id", flat=True))
            == expected
        )


def test_shard_router_follows_an_instance_to_its_shard(sharded: None) -> None:
    Author(pk=3, name="Cy").save()
    cy = Author.objects.using(shard_for(3)).get(pk=3)
    Book(title="Sea", author=cy).save()
    # The related manager reads where ``cy`` came from.
    assert [book.title for book in cy.books.all()] == ["Sea"]
    assert cy.books.get().author._state.db == shard_for(3)


def test_relations_across_shards_are_refused(sharded: None) -> None:
    Author(pk=1, name="Odd").save()
    Author(pk=2, name="Even").save()
    odd = Author.objects.using(shard_for(1)).get(pk=1)
    even_book = Book(title="t", author=Author.objects.using(shard_for(2)).get(pk=2))
    with pytest.raises(ValueError, match="router prevents this relation"):
        even_book.author = odd


def test_save_using_and_using_override_the_routers(tmp_path: Path) -> None:
    databases = {
        "default": _sqlite(tmp_path / "a.sqlite3"),
        "other": _sqlite(tmp_path / "b.sqlite3"),
    }
    with override_settings(DATABASES=databases):
        _create_tables(["default", "other"])
        try:
            Author(name="Ann").save(using="other")
            assert Author.objects.count() == 0
            assert Author.objects.using("other").count() == 1
            ann = Author.objects.using("other").get()
            ann.name = "Anne"
            ann.save()  # stays with the database it came from
            assert Author.objects.using("other").get().name == "Anne"
            # Without routers, rows of two databases may not relate.
            mine = Author.objects.create(name="Mine")
            with pytest.raises(ValueError, match="router prevents"):
                Book(title="t", author=mine).author = ann
        finally:
            connections.close_all()
