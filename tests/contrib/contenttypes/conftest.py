"""Fixtures for the contenttypes tests: the database fixture and the tables."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.contrib.contenttypes.models import ContentType
from tests.contrib.contenttypes.genericapp.models import ALL_MODELS
from tests.db.conftest import DatabaseFixture, _server_databases, database

__all__ = ["_server_databases", "database", "tables"]


@pytest.fixture
def tables(database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """The database with the contenttypes and test app tables, cache cleared."""
    ContentType.objects.clear_cache()
    database.create_models(*ALL_MODELS)
    try:
        yield database
    finally:
        ContentType.objects.clear_cache()


def query_count(database: Any) -> Any:
    """Return a CaptureQueriesContext on the test connection."""
    from manouche.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(database.connection)
