"""Database fixtures for manouche's own suite: one per backend, real services.

Usage (any test under ``tests/db/``)::

    def test_something(database):          # runs on sqlite, postgresql, mariadb
        database.create_models(Author, Book)   # tables via the schema editor
        Author.objects.create(name="x")        # DATABASES["default"] is this backend
        database.connection.execute(...)       # connections["default"]

``db`` is the same fixture under Django-ish naming. Restrict backends with
``@pytest.mark.parametrize("database", ["sqlite"], indirect=True)``.

What it does for each test:

- configures ``DATABASES = {"default": ...}`` for the backend with
  ``override_settings`` (the ``setting_changed`` receiver resets
  ``connections``, so wrappers and engines are rebuilt);
- SQLite: a fresh in-memory database shared by every thread of the test;
  PostgreSQL / MariaDB: ``test_manouche_<worker>_<pid>``, created once per session
  (dropped at the end) and emptied after every test (every table dropped);
- ``create_models(*models)`` creates the models' tables (``_meta.sa_table``,
  with their M2M through tables) in one schema editor, in order, and the
  tables are dropped after the test;
- a backend whose service is down is skipped with the reason, unless
  ``CI=true`` in the environment, where the test fails instead.

``database.vendor`` is ``"sqlite"``, ``"postgresql"`` or ``"mysql"``;
``database.name`` the parameter (``"sqlite"``, ``"postgresql"``,
``"mariadb"``); ``database.settings`` the settings dict in use.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.db import connections
from manouche.test.utils import override_settings

BACKENDS = ["sqlite", "postgresql", "mariadb"]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
# The process id keeps two concurrent runs (a developer's and CI's) apart.
TEST_DB_NAME = f"test_manouche_{WORKER}_{os.getpid()}"

SERVER_SETTINGS: dict[str, dict[str, Any]] = {
    "postgresql": {
        "ENGINE": "manouche.db.backends.postgresql",
        "NAME": TEST_DB_NAME,
        "USER": os.environ.get("MANOUCHE_TEST_PG_USER", "postgres"),
        "PASSWORD": os.environ.get("MANOUCHE_TEST_PG_PASSWORD", ""),
        "HOST": os.environ.get("MANOUCHE_TEST_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MANOUCHE_TEST_PG_PORT", "5432"),
    },
    "mariadb": {
        "ENGINE": "manouche.db.backends.mysql",
        "NAME": TEST_DB_NAME,
        "USER": os.environ.get("MANOUCHE_TEST_MYSQL_USER", "root"),
        "PASSWORD": os.environ.get("MANOUCHE_TEST_MYSQL_PASSWORD", ""),
        "HOST": os.environ.get("MANOUCHE_TEST_MYSQL_HOST", "127.0.0.1"),
        "PORT": os.environ.get("MANOUCHE_TEST_MYSQL_PORT", "3306"),
    },
}


def database_settings(name: str) -> dict[str, Any]:
    """Return a fresh DATABASES entry for the backend ``name``."""
    if name == "sqlite":
        return {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"}
    return dict(SERVER_SETTINGS[name])


class _ServerDatabases:
    """Create each server test database once per session, on first use."""

    def __init__(self) -> None:
        self.created: dict[str, dict[str, Any]] = {}
        self.unavailable: dict[str, str] = {}

    def ensure(self, name: str) -> None:
        if name == "sqlite" or name in self.created:
            return
        if name in self.unavailable:
            _skip_or_fail(name, self.unavailable[name])
        settings_dict = database_settings(name)
        with override_settings(DATABASES={"default": settings_dict}):
            creation = connections["default"].creation
            try:
                creation.create_test_database_named(TEST_DB_NAME, keepdb=False)
            except Exception as exc:
                reason = f"{name} is not available: {exc}".splitlines()[0]
                self.unavailable[name] = reason
                _skip_or_fail(name, reason)
        self.created[name] = settings_dict

    def drop_all(self) -> None:
        for settings_dict in self.created.values():
            with override_settings(DATABASES={"default": settings_dict}):
                connections["default"].creation.destroy_test_database_named(
                    TEST_DB_NAME
                )
        self.created.clear()


def _skip_or_fail(name: str, reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _server_databases() -> Iterator[_ServerDatabases]:
    servers = _ServerDatabases()
    try:
        yield servers
    finally:
        servers.drop_all()


class DatabaseFixture:
    """What the ``database`` fixture gives a test (see the module docstring)."""

    def __init__(self, name: str, settings_dict: dict[str, Any]) -> None:
        self.name = name
        self.settings = settings_dict
        self.alias = "default"
        self._models: list[Any] = []

    @property
    def connection(self) -> Any:
        """``connections["default"]`` (this thread's wrapper)."""
        return connections[self.alias]

    @property
    def vendor(self) -> str:
        """The connection's vendor: sqlite, postgresql or mysql."""
        return str(self.connection.vendor)

    def create_models(self, *models: Any) -> None:
        """Create the tables of ``models`` (dropped after the test)."""
        with self.connection.schema_editor() as editor:
            for model in models:
                editor.create_model(model)
                self._models.append(model)

    def cleanup(self) -> None:
        """Drop every table the test created (and any other left behind)."""
        connection = connections[self.alias]
        if connection.in_atomic_block:
            raise AssertionError("The test left an atomic block open.")
        connection.creation.drop_all_tables()
        self._models.clear()


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, _server_databases: _ServerDatabases
) -> Iterator[DatabaseFixture]:
    """A real database of each backend as DATABASES["default"] (see module doc)."""
    name = request.param
    _server_databases.ensure(name)
    settings_dict = database_settings(name)
    with override_settings(DATABASES={"default": settings_dict}):
        fixture = DatabaseFixture(name, settings_dict)
        try:
            yield fixture
        finally:
            try:
                fixture.cleanup()
            finally:
                connections.close_all()


@pytest.fixture
def db(database: DatabaseFixture) -> DatabaseFixture:
    """The ``database`` fixture under its Django-ish name."""
    return database
