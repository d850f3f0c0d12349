"""Test databases are built by ``migrate`` (or directly with MIGRATE: False)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.db import connections
from manouche.db.migrations.recorder import MigrationRecorder
from manouche.test.utils import override_settings, setup_databases, teardown_databases


def _settings(database: Any, name: str, **test: Any) -> dict[str, Any]:
    if database.vendor == "sqlite":
        settings_dict = {"ENGINE": "manouche.db.backends.sqlite3", "NAME": f"{name}.db"}
    else:
        settings_dict = dict(database.settings, NAME=name)
    if test:
        settings_dict["TEST"] = test
    return settings_dict


@pytest.fixture
def build(database: Any) -> Iterator[Any]:
    """``build(**TEST)`` sets up a test database; torn down after the test."""
    stack: list[Any] = []

    def make(migration_modules: dict[str, Any] | None = None, **test: Any) -> Any:
        settings_dict = _settings(database, "manouche_creation", **test)
        overrides: dict[str, Any] = {"DATABASES": {"default": settings_dict}}
        if migration_modules is not None:
            overrides["MIGRATION_MODULES"] = migration_modules
        context = override_settings(**overrides)
        context.__enter__()
        old = setup_databases(0, interactive=False, aliases={"default"})
        stack.append((context, old))
        return connections["default"]

    yield make
    while stack:
        context, old = stack.pop()
        try:
            teardown_databases(old, verbosity=0)
        finally:
            context.__exit__(None, None, None)


def _columns(connection: Any, table: str) -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name for column in description}


def test_test_database_is_built_by_migrate(build):
    connection = build()
    recorded = set(MigrationRecorder(connection).applied_migrations())
    assert recorded == {
        ("contenttypes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    }
    tables = set(connection.introspection.table_names())
    # Apps without migrations are synchronised directly.
    assert {"manouche_content_type", "modelapp_author", "genericapp_comment"} <= tables
    assert _columns(connection, "manouche_content_type") == {"id", "app_label", "model"}
    # post_migrate created the content types.
    from manouche.contrib.contenttypes.models import ContentType

    assert ContentType.objects.filter(app_label="modelapp", model="author").exists()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_migrate_false_creates_tables_without_migrations(build):
    connection = build(MIGRATE=False)
    tables = set(connection.introspection.table_names())
    assert "manouche_migrations" not in tables
    assert {"manouche_content_type", "modelapp_author"} <= tables


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_migration_modules_none_syncs_the_app(build):
    connection = build(migration_modules={"contenttypes": None})
    assert MigrationRecorder(connection).applied_migrations() == {}
    assert "manouche_content_type" in connection.introspection.table_names()
