"""contenttypes ships 0001_initial and 0002_remove_content_type_name."""

from __future__ import annotations

import io
from typing import Any

from manouche.contrib.contenttypes.models import ContentType
from manouche.core.management import call_command
from manouche.db import connections
from manouche.db.migrations.loader import MigrationLoader


def migrate(*args: str) -> None:
    call_command("migrate", *args, verbosity=0, stdout=io.StringIO())


def columns(table: str) -> dict[str, Any]:
    connection = connections["default"]
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name: column for column in description}


def test_migrations_have_django_names_and_match_the_model(database):
    loader = MigrationLoader(None)
    assert loader.graph.forwards_plan(
        ("contenttypes", "0002_remove_content_type_name")
    ) == [
        ("contenttypes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    state = loader.project_state(("contenttypes", "0002_remove_content_type_name"))
    model_state = state.models["contenttypes", "contenttype"]
    assert list(model_state.fields) == ["id", "app_label", "model"]
    assert model_state.options["db_table"] == ContentType._meta.db_table
    assert {tuple(item) for item in model_state.options["unique_together"]} == {
        ("app_label", "model")
    }


def test_forwards_backwards_and_rows(database):
    migrate("contenttypes", "0001")
    assert set(columns("manouche_content_type")) == {"id", "name", "app_label", "model"}
    migrate("contenttypes")
    assert set(columns("manouche_content_type")) == {"id", "app_label", "model"}
    # post_migrate filled the table through the historical model.
    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(app_label="contenttypes").exists()
    # Back to 0001: the name column returns, filled from the models.
    migrate("contenttypes", "0001")
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT name FROM manouche_content_type "
            "WHERE app_label = 'contenttypes' AND model = 'contenttype'"
        )
        assert [tuple(row) for row in cursor.fetchall()] == [("content type",)]
    assert columns("manouche_content_type")["name"].null_ok is False
    migrate("contenttypes", "zero")
    assert (
        "manouche_content_type"
        not in connections["default"].introspection.table_names()
    )


def test_makemigrations_check_finds_nothing_to_write():
    out = io.StringIO()
    call_command("makemigrations", "contenttypes", check=True, dry_run=True, stdout=out)
    assert "No changes detected in app 'contenttypes'" in out.getvalue()
