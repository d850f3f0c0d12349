"""TransactionTestCase: serialized_rollback (data-migration rows survive
flushes), available_apps and reset_sequences, on a database built by migrate."""

from __future__ import annotations

import json
import unittest
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest

from manouche.conf import settings
from manouche.db import connections
from manouche.test import TransactionTestCase
from manouche.test.utils import override_settings, setup_databases, teardown_databases
from tests.db.conftest import TEST_DB_NAME

SERIAL_APP = "tests.db.serialapp"


def genres() -> list[tuple[str, str | None]]:
    from tests.db.serialapp.models import Genre

    return [
        (genre.name, genre.parent.name if genre.parent else None)
        for genre in Genre.objects.order_by("pk")
    ]


MIGRATED = [
    ("from-migration", "parent-from-migration"),
    ("parent-from-migration", None),
]


@pytest.fixture
def build(database: Any) -> Iterator[Callable[..., Any]]:
    """``build(**TEST)``: a test database with the serial app, built by migrate."""
    stack: list[tuple[Any, list[Any]]] = []

    def make(serialized_aliases: Any = None, **test: Any) -> Any:
        if database.vendor == "sqlite":
            settings_dict: dict[str, Any] = {
                "ENGINE": "manouche.db.backends.sqlite3",
                "NAME": "serial.db",
            }
        else:
            # Unique per process: other runs may share the server.
            settings_dict = dict(database.settings, NAME=f"{TEST_DB_NAME}_serial")
        if test:
            settings_dict["TEST"] = test
        context = override_settings(
            INSTALLED_APPS=[*settings.INSTALLED_APPS, SERIAL_APP],
            DATABASES={"default": settings_dict},
        )
        context.__enter__()
        try:
            old = setup_databases(
                0,
                interactive=False,
                aliases={"default"},
                serialized_aliases=serialized_aliases,
            )
        except BaseException:
            context.__exit__(None, None, None)
            raise
        stack.append((context, old))
        return connections["default"]

    yield make
    while stack:
        context, old = stack.pop()
        try:
            teardown_databases(old, verbosity=0)
        finally:
            context.__exit__(None, None, None)


class Seen:
    """What each test case saw, by class name (filled by the cases below)."""

    rows: ClassVar[dict[str, Any]] = {}


class Flushing(TransactionTestCase):
    __test__ = False

    def test_sees_and_flushes(self):
        Seen.rows["Flushing"] = genres()


class Restoring(TransactionTestCase):
    __test__ = False
    serialized_rollback = True

    def test_sees_restored_rows(self):
        Seen.rows["Restoring"] = genres()


class RestoringNarrowed(TransactionTestCase):
    __test__ = False
    serialized_rollback = True
    available_apps: ClassVar[list[str] | None] = [SERIAL_APP]

    def test_sees_restored_rows(self):
        from manouche.apps import apps

        Seen.rows["RestoringNarrowed"] = genres()
        Seen.rows["apps"] = sorted(c.name for c in apps.get_app_configs())


class RestoringWithFixtures(TransactionTestCase):
    __test__ = False
    serialized_rollback = True
    fixtures: ClassVar[list[str] | None] = ["extra_genre"]

    def test_sees_restored_rows_and_fixture(self):
        Seen.rows["RestoringWithFixtures"] = genres()


class CreatesRows(TransactionTestCase):
    __test__ = False

    def test_creates_rows(self):
        from tests.db.serialapp.models import Genre

        Genre.objects.create(name="a")
        Genre.objects.create(name="b")


class ResetsSequences(TransactionTestCase):
    __test__ = False
    reset_sequences = True

    def test_keys_start_at_one(self):
        from tests.db.serialapp.models import Genre

        Seen.rows["keys"] = [Genre.objects.create(name=name).pk for name in "xy"]


def run(*cases: type[unittest.TestCase]) -> unittest.TestResult:
    Seen.rows = {}
    suite = unittest.TestSuite()
    for case in cases:
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(case))
    result = unittest.TestResult()
    suite.run(result)
    assert [text for _, text in result.errors + result.failures] == []
    return result


def test_contents_are_serialized_once_after_creation(build):
    connection = build()
    data = json.loads(connection._test_serialized_contents)
    names = [row["fields"]["name"] for row in data if row["model"] == "serialapp.genre"]
    assert names == ["from-migration", "parent-from-migration"]
    # Content types (contenttypes has migrations) are kept too.
    assert any(row["model"] == "contenttypes.contenttype" for row in data)


def test_serialized_rollback_restores_data_migration_rows(build):
    build()
    run(Flushing, Restoring, Flushing)
    assert Seen.rows["Restoring"] == MIGRATED
    # The plain case that ran after the restoring one flushed again.
    assert Seen.rows["Flushing"] == []
    assert genres() == []


def test_first_flush_removes_the_rows_without_serialized_rollback(build):
    build()
    run(Flushing)
    assert Seen.rows["Flushing"] == MIGRATED
    run(Flushing)
    assert Seen.rows["Flushing"] == []


def test_available_apps_narrow_the_registry_not_the_restore(build):
    from manouche.apps import apps
    from manouche.contrib.contenttypes.models import ContentType

    build()
    types_before = ContentType.objects.count()
    installed = sorted(config.name for config in apps.get_app_configs())
    run(Flushing, RestoringNarrowed)
    assert Seen.rows["RestoringNarrowed"] == MIGRATED
    assert Seen.rows["apps"] == [SERIAL_APP]
    assert sorted(config.name for config in apps.get_app_configs()) == installed
    # Only the available apps' tables were flushed after the narrowed case;
    # content types restored into the database by it stay.
    assert ContentType.objects.count() == types_before
    assert genres() == []


def test_fixtures_load_after_the_restore(build):
    build()
    run(Flushing, RestoringWithFixtures)
    assert Seen.rows["RestoringWithFixtures"] == [
        *MIGRATED,
        ("from-fixture", "from-migration"),
    ]


def test_serialize_false_keeps_nothing(build):
    connection = build(SERIALIZE=False)
    assert getattr(connection, "_test_serialized_contents", None) is None
    run(Flushing, Restoring)
    assert Seen.rows["Restoring"] == []


def test_only_the_serialized_aliases_are_kept(build):
    connection = build(serialized_aliases=set())
    assert getattr(connection, "_test_serialized_contents", None) is None


def test_reset_sequences_restarts_keys_before_the_test(build):
    build()
    # The migration's rows and CreatesRows' moved the sequences on; the
    # flushes after them (no reset) leave them there.
    run(Flushing, CreatesRows, ResetsSequences)
    assert Seen.rows["keys"] == [1, 2]


def test_tables_built_by_migrate_get_deferred_keys(build):
    connection = build()
    inspector = connection.introspection._inspector()
    [key] = inspector.get_foreign_keys("serialapp_genre")
    if connection.vendor == "mysql":
        assert not (key.get("options") or {}).get("deferrable")
    else:
        assert key["options"]["deferrable"] is True
        assert key["options"]["initially"].upper() == "DEFERRED"
