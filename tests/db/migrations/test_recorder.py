"""MigrationRecorder: the manouche_migrations table."""

from __future__ import annotations

import pytest

from manouche.apps import apps
from manouche.db import connections
from manouche.db.migrations.exceptions import MigrationSchemaMissing
from manouche.db.migrations.recorder import MigrationRecorder


def test_table_is_created_on_first_record(database):
    recorder = MigrationRecorder(connections["default"])
    assert not recorder.has_table()
    assert recorder.applied_migrations() == {}
    recorder.record_applied("a", "0001_initial")
    recorder.record_applied("b", "0001_initial")
    assert recorder.has_table()
    assert "manouche_migrations" in connections["default"].introspection.table_names()
    rows = recorder.applied_migrations()
    assert list(rows) == [("a", "0001_initial"), ("b", "0001_initial")]
    assert rows["a", "0001_initial"].applied is not None
    recorder.record_unapplied("a", "0001_initial")
    assert list(recorder.applied_migrations()) == [("b", "0001_initial")]
    recorder.flush()
    assert recorder.applied_migrations() == {}


def test_model_is_not_a_project_model():
    model = MigrationRecorder(connections["default"]).Migration
    assert model._meta.db_table == "manouche_migrations"
    assert model not in apps.get_models()
    assert [f.name for f in model._meta.fields] == ["id", "app", "name", "applied"]


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_unwritable_schema_is_reported(database):
    connection = connections["default"]
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = on")
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        with pytest.raises(MigrationSchemaMissing, match="Unable to create the "):
            MigrationRecorder(connection).ensure_schema()
    finally:
        connection.close()
