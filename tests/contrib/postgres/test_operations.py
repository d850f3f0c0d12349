"""PostgreSQL operations: extensions and concurrent index builds."""

from __future__ import annotations

import pytest

from manouche.contrib.postgres.operations import (
    AddIndexConcurrently,
    BtreeGinExtension,
    BtreeGistExtension,
    CITextExtension,
    CreateExtension,
    CryptoExtension,
    HStoreExtension,
    RemoveIndexConcurrently,
    TrigramExtension,
    UnaccentExtension,
)
from manouche.db import connections, models
from manouche.db.utils import NotSupportedError
from tests.db.conftest import DatabaseFixture
from tests.db.migrations._operations import apply, index_names, pony_state, unapply

INDEX = models.Index(fields=["pink"], name="pony_pink_conc_idx")


def _installed(name: str) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        (BtreeGinExtension(), "btree_gin"),
        (BtreeGistExtension(), "btree_gist"),
        (CITextExtension(), "citext"),
        (CryptoExtension(), "pgcrypto"),
        (HStoreExtension(), "hstore"),
        (TrigramExtension(), "pg_trgm"),
        (UnaccentExtension(), "unaccent"),
    ],
)
def test_named_extensions(operation: CreateExtension, name: str) -> None:
    assert operation.name == name
    assert operation.deconstruct() == (type(operation).__name__, (), {})
    assert operation.describe() == f"Creates extension {name}"
    assert operation.migration_name_fragment == f"create_extension_{name}"


def test_create_extension_forwards_and_backwards(database: DatabaseFixture) -> None:
    before = pony_state()
    operation = CreateExtension("pg_trgm")
    assert operation.deconstruct() == ("CreateExtension", (), {"name": "pg_trgm"})
    if database.vendor != "postgresql":
        after = apply(operation, before)
        unapply(operation, before, after)
        return  # skipped silently elsewhere, so tests may run on SQLite
    if _installed("pg_trgm"):
        pytest.skip("pg_trgm is already installed in the test database")

    after = apply(operation, before)
    assert _installed("pg_trgm")
    apply(operation, before)  # idempotent
    unapply(operation, before, after)
    assert not _installed("pg_trgm")


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_add_and_remove_index_concurrently(database: DatabaseFixture) -> None:
    before = pony_state()
    operation = AddIndexConcurrently("Pony", INDEX)
    assert operation.atomic is False

    after = apply(operation, before, atomic=False)

    assert "pony_pink_conc_idx" in index_names("mig_pony")
    removal = RemoveIndexConcurrently("Pony", "pony_pink_conc_idx")
    final = apply(removal, after, atomic=False)
    assert "pony_pink_conc_idx" not in index_names("mig_pony")
    unapply(removal, after, final, atomic=False)
    assert "pony_pink_conc_idx" in index_names("mig_pony")
    unapply(operation, before, after, atomic=False)
    assert "pony_pink_conc_idx" not in index_names("mig_pony")


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_concurrent_index_refused_inside_a_transaction(
    database: DatabaseFixture,
) -> None:
    before = pony_state()

    with pytest.raises(NotSupportedError, match="cannot be executed inside a trans"):
        apply(AddIndexConcurrently("Pony", INDEX), before, atomic=True)
    assert "pony_pink_conc_idx" not in index_names("mig_pony")


@pytest.mark.parametrize("database", ["sqlite", "mariadb"], indirect=True)
def test_concurrent_index_refused_on_other_databases(database: DatabaseFixture) -> None:
    before = pony_state()

    with pytest.raises(NotSupportedError, match="only supported on PostgreSQL"):
        apply(AddIndexConcurrently("Pony", INDEX), before, atomic=False)
    with pytest.raises(NotSupportedError, match="Use RemoveIndex instead"):
        apply(RemoveIndexConcurrently("Pony", "x"), before, atomic=False)


def test_concurrent_descriptions() -> None:
    assert (
        AddIndexConcurrently("Pony", INDEX).describe()
        == "Concurrently create index pony_pink_conc_idx on field(s) pink of model Pony"
    )
    assert (
        RemoveIndexConcurrently("Pony", "i").describe()
        == "Concurrently remove index i from Pony"
    )
    assert AddIndexConcurrently("Pony", INDEX).deconstruct() == (
        "AddIndexConcurrently",
        (),
        {"model_name": "Pony", "index": INDEX},
    )
