"""Fixtures for the model-layer tests: the modelapp tables on each backend.

Tables are created once per test module and backend (DDL is slow on the
servers) and emptied after every test, children before parents.
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
from tests.db.models.modelapp.models import ALL_MODELS


def _buildable(model: Any, features: Any) -> bool:
    return all(getattr(features, name) for name in model._meta.required_db_features)


@pytest.fixture(scope="module", params=BACKENDS)
def _models_database(
    request: pytest.FixtureRequest, _server_databases: _ServerDatabases
) -> Iterator[DatabaseFixture]:
    name = request.param
    _server_databases.ensure(name)
    settings_dict = database_settings(name)
    with override_settings(DATABASES={"default": settings_dict}):
        fixture = DatabaseFixture(name, settings_dict)
        features = fixture.connection.features
        try:
            fixture.create_models(*(m for m in ALL_MODELS if _buildable(m, features)))
            yield fixture
        finally:
            try:
                fixture.cleanup()
            finally:
                connections.close_all()


def _empty_tables(fixture: DatabaseFixture) -> None:
    connection = fixture.connection
    if connection.in_atomic_block:
        raise AssertionError("The test left an atomic block open.")
    metadata = ALL_MODELS[0]._meta.db_metadata
    existing = set(connection.introspection.table_names())
    with connection.constraint_checks_disabled():
        for table in reversed(metadata.sorted_tables):
            if table.name in existing:
                connection.execute(sa.delete(table))


@pytest.fixture
def mdb(_models_database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """A backend with every modelapp table, emptied after the test."""
    yield _models_database
    _empty_tables(_models_database)
