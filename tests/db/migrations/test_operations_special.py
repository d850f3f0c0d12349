"""RunSQL, RunPython and SeparateDatabaseAndState on every database."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import connections, migrations, models
from manouche.db.migrations.operations._sql import split_sql_script
from manouche.db.migrations.state import ProjectState
from tests.db.migrations._operations import (
    APP,
    apply,
    columns,
    pony_state,
    tables,
    unapply,
)


def _count(table: str) -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cursor.fetchone()[0])


def test_run_sql_script_with_several_statements(database: object) -> None:
    before = pony_state()
    operation = migrations.RunSQL(
        "INSERT INTO mig_pony (pink) VALUES (1);\n"
        "-- a comment; with a semicolon\n"
        "INSERT INTO mig_pony (pink) VALUES (2);",
        reverse_sql="DELETE FROM mig_pony WHERE pink IN (1, 2)",
    )

    after = apply(operation, before)

    assert _count("mig_pony") == 2
    unapply(operation, before, after)
    assert _count("mig_pony") == 0


def test_run_sql_list_with_params(database: object) -> None:
    before = pony_state()
    operation = migrations.RunSQL(
        [
            ("INSERT INTO mig_rider (name) VALUES (%s)", ["it's; fine"]),
            "INSERT INTO mig_rider (name) VALUES ('b')",
        ],
        reverse_sql=[("DELETE FROM mig_rider WHERE name = %s", ["it's; fine"])],
    )

    after = apply(operation, before)

    assert after.apps.get_model(APP, "Rider").objects.filter(name="it's; fine").exists()
    unapply(operation, before, after)
    assert list(
        before.apps.get_model(APP, "Rider").objects.values_list("name", flat=True)
    ) == ["b"]


def test_run_sql_state_operations_change_the_state_only(database: object) -> None:
    before = pony_state()
    operation = migrations.RunSQL(
        "ALTER TABLE mig_pony ADD COLUMN height integer NULL",
        reverse_sql="ALTER TABLE mig_pony DROP COLUMN height",
        state_operations=[
            migrations.AddField("Pony", "height", models.IntegerField(null=True))
        ],
    )

    after = apply(operation, before)

    assert "height" in columns("mig_pony")
    assert after.apps.get_model(APP, "Pony").objects.create(height=3).height == 3
    unapply(operation, before, after)
    assert "height" not in columns("mig_pony")


def test_run_sql_noop_and_irreversible(database: object) -> None:
    before = pony_state()
    noop = migrations.RunSQL(migrations.RunSQL.noop, migrations.RunSQL.noop)
    after = apply(noop, before)
    unapply(noop, before, after)
    assert noop.reversible

    irreversible = migrations.RunSQL("SELECT 1")
    assert not irreversible.reversible
    with pytest.raises(NotImplementedError, match="You cannot reverse this operation"):
        unapply(irreversible, before, after)


def test_run_sql_refuses_malformed_sql() -> None:
    with pytest.raises(ValueError, match="Expected a 2-tuple but got 3"):
        migrations.RunSQL([("SELECT %s", [1], "extra")])
    with pytest.raises(TypeError, match="must be a string or a list"):
        migrations.RunSQL(42)
    with pytest.raises(TypeError, match="items must be strings or"):
        migrations.RunSQL([42])


def test_split_sql_script_respects_quotes_comments_and_dollar_bodies() -> None:
    script = """
        INSERT INTO t VALUES ('a;b', "c;d");  -- trailing; comment
        /* block; comment */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$
        LANGUAGE sql;
        ;
        SELECT 'it''s';
    """

    statements = split_sql_script(script)

    assert statements[0] == "INSERT INTO t VALUES ('a;b', \"c;d\")"
    assert "$body$ SELECT 1; $body$" in statements[1]
    assert statements[2] == "SELECT 'it''s'"
    assert len(statements) == 3


def forwards(apps: Any, schema_editor: Any) -> None:
    pony = apps.get_model(APP, "Pony")
    rider = apps.get_model(APP, "Rider")
    star = pony.objects.create(pink=7)
    rider.objects.create(name="first", pony=star)
    # Historical model: no field added later exists here.
    assert [field.name for field in pony._meta.fields] == ["id", "pink", "weight"]
    assert schema_editor.connection.alias == "default"


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model(APP, "Rider").objects.filter(pony__pink=7).delete()
    apps.get_model(APP, "Pony").objects.filter(pink=7).delete()


def test_run_python_gets_historical_models(database: object) -> None:
    before = pony_state()
    operation = migrations.RunPython(forwards, backwards)

    after = apply(operation, before)

    assert after == before
    assert _count("mig_rider") == 1
    unapply(operation, before, after)
    assert _count("mig_rider") == 0
    assert _count("mig_pony") == 0


def test_run_python_sees_the_model_as_it_was_at_that_point(database: object) -> None:
    state = pony_state()
    state = apply(
        migrations.AddField(
            "Pony", "name", models.CharField(max_length=9, default="x")
        ),
        state,
    )
    seen: list[str] = []

    def record(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(APP, "Pony")
        seen.extend(field.name for field in model._meta.fields)
        model.objects.create(pink=1, name="star")

    apply(migrations.RunPython(record), state)

    assert seen == ["id", "pink", "weight", "name"]
    assert state.apps.get_model(APP, "Pony").objects.get().name == "star"


def test_run_python_noop_irreversible_and_validation(database: object) -> None:
    before = pony_state()
    noop = migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)
    after = apply(noop, before)
    unapply(noop, before, after)

    irreversible = migrations.RunPython(migrations.RunPython.noop)
    assert not irreversible.reversible
    assert not irreversible.reduces_to_sql
    with pytest.raises(NotImplementedError, match="You cannot reverse this operation"):
        unapply(irreversible, before, after)
    with pytest.raises(ValueError, match="RunPython must be supplied with a callable"):
        migrations.RunPython("not callable")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="supplied with callable arguments"):
        migrations.RunPython(migrations.RunPython.noop, "nope")  # type: ignore[arg-type]


def test_run_python_atomic_flag_is_kept() -> None:
    assert migrations.RunPython(migrations.RunPython.noop).atomic is None
    operation = migrations.RunPython(migrations.RunPython.noop, atomic=False)
    assert operation.atomic is False
    assert operation.deconstruct()[2] == {
        "code": migrations.RunPython.noop,
        "atomic": False,
    }


def test_separate_database_and_state(database: object) -> None:
    before = pony_state()
    operation = migrations.SeparateDatabaseAndState(
        database_operations=[
            migrations.RunSQL(
                "CREATE TABLE legacy_barn (id integer PRIMARY KEY)",
                "DROP TABLE legacy_barn",
            ),
            migrations.AddField("Pony", "height", models.IntegerField(null=True)),
        ],
        state_operations=[migrations.DeleteModel("Rider")],
    )

    after = apply(operation, before)

    assert "legacy_barn" in tables()
    assert "height" in columns("mig_pony")
    assert "mig_rider" in tables()
    assert ("mig", "rider") not in after.models
    assert "height" not in after.models["mig", "pony"].fields
    unapply(operation, before, after)
    assert "legacy_barn" not in tables()
    assert "height" not in columns("mig_pony")


def test_separate_database_and_state_deconstructs() -> None:
    state_op = migrations.DeleteModel("Rider")
    operation = migrations.SeparateDatabaseAndState(state_operations=[state_op])

    assert operation.deconstruct() == (
        "SeparateDatabaseAndState",
        (),
        {"state_operations": [state_op]},
    )
    assert operation.describe() == "Custom state/database change combination"
    state = ProjectState()
    for create in (
        migrations.CreateModel("Rider", [("id", models.AutoField(primary_key=True))]),
    ):
        create.state_forwards(APP, state)
    operation.state_forwards(APP, state)
    assert state.models == {}
