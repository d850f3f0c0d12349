"""Fixtures for the model-layer tests: every test app table on each backend."""

from __future__ import annotations

import pytest

from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import ALL_MODELS


@pytest.fixture
def mdb(database: DatabaseFixture) -> DatabaseFixture:
    """The ``database`` fixture with every modelapp table created."""
    features = database.connection.features
    database.create_models(
        *(
            model
            for model in ALL_MODELS
            if all(getattr(features, f) for f in model._meta.required_db_features)
        )
    )
    return database
