"""Models and a per-module database for the database-function tests.

The two tables are created once per module and backend (DDL is slow on the
servers) and emptied after every test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from manouche.db import connections, models
from manouche.test.utils import isolate_apps, override_settings
from tests.db.conftest import (
    BACKENDS,
    DatabaseFixture,
    _ServerDatabases,
    database_settings,
)

with isolate_apps("tests.db.models.functions"):

    class Number(models.Model):
        integer = models.IntegerField(null=True)
        decimal = models.DecimalField(max_digits=12, decimal_places=4, null=True)
        floating = models.FloatField(null=True)

        class Meta:
            app_label = "functionsapp"

    class Word(models.Model):
        text = models.CharField(max_length=200, null=True)
        body = models.TextField(null=True)
        code = models.IntegerField(null=True)
        when = models.DateTimeField(null=True)

        class Meta:
            app_label = "functionsapp"


MODELS = [Number, Word]


@pytest.fixture(scope="module", params=BACKENDS)
def _functions_database(
    request: pytest.FixtureRequest, _server_databases: _ServerDatabases
) -> Iterator[DatabaseFixture]:
    name = request.param
    _server_databases.ensure(name)
    settings_dict = database_settings(name)
    with override_settings(DATABASES={"default": settings_dict}):
        fixture = DatabaseFixture(name, settings_dict)
        try:
            fixture.create_models(*MODELS)
            yield fixture
        finally:
            try:
                fixture.cleanup()
            finally:
                connections.close_all()


@pytest.fixture
def fdb(_functions_database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """A backend with the Number and Word tables, emptied after the test."""
    yield _functions_database
    connection = _functions_database.connection
    for model in MODELS:
        connection.execute(sa.delete(model._meta.sa_table))
