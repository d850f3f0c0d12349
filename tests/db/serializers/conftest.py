"""Fixtures for the serializer and fixture-command tests.

``fdb`` is a backend (sqlite, postgresql, mariadb) with the fixture app
installed and the tables these tests use; the tables are created once per
module and backend (DDL is slow on the servers) and emptied after each test.
Restrict a test to SQLite with
``@pytest.mark.parametrize("_fixture_database", ["sqlite"], indirect=True)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import connections
from manouche.test.utils import override_settings
from tests.db.conftest import (
    BACKENDS,
    DatabaseFixture,
    _ServerDatabases,
    database_settings,
)

INSTALLED = [
    "manouche.contrib.contenttypes",
    "tests.db.models.modelapp",
    "tests.db.serializers.fixtureapp",
]


def _tables() -> list[Any]:
    from manouche.contrib.contenttypes.models import ContentType
    from tests.db.models.modelapp import models as modelapp
    from tests.db.serializers.fixtureapp import models as fixtureapp

    return [
        modelapp.Author,
        modelapp.Publisher,
        modelapp.Tag,
        modelapp.Book,
        modelapp.Everything,
        modelapp.UUIDItem,
        modelapp.Node,
        modelapp.Place,
        modelapp.Restaurant,
        modelapp.Edition,
        modelapp.Defaults,
        modelapp.Profile,
        modelapp.Protected,
        modelapp.Restricted,
        *fixtureapp.MODELS,
        ContentType,
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def _fixture_database(
    request: pytest.FixtureRequest, _server_databases: _ServerDatabases
) -> Iterator[DatabaseFixture]:
    name = request.param
    _server_databases.ensure(name)
    settings_dict = database_settings(name)
    with override_settings(
        DATABASES={"default": settings_dict}, INSTALLED_APPS=INSTALLED
    ):
        fixture = DatabaseFixture(name, settings_dict)
        try:
            fixture.create_models(*_tables())
            yield fixture
        finally:
            try:
                fixture.cleanup()
            finally:
                connections.close_all()


@pytest.fixture
def fdb(_fixture_database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """A backend with the fixture app's and modelapp's tables, emptied after."""
    yield _fixture_database
    connection = _fixture_database.connection
    if connection.in_atomic_block:
        raise AssertionError("The test left an atomic block open.")
    # DELETE is much faster than TRUNCATE on (nearly) empty tables.
    names = set(connection.introspection.table_names())
    metadata = _tables()[0]._meta.db_metadata
    with connection.constraint_checks_disabled():
        for table in reversed(metadata.sorted_tables):
            if table.name in names:
                connection.execute(sa.delete(table))
    content_types = _tables()[-1]._meta.sa_table
    connection.execute(sa.delete(content_types))
