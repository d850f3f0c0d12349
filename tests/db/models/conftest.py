"""Fixtures for the model-layer tests: every test app table on each backend."""

from __future__ import annotations

import pytest

from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import ALL_MODELS


@pytest.fixture
def mdb(database: DatabaseFixture) -> DatabaseFixture:
    """The ``database`` fixture with every modelapp table created."""
    database.create_models(*ALL_MODELS)
    return database
