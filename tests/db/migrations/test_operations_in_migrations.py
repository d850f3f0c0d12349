"""Operations driven by ``Migration.apply``/``unapply``, with data on the way."""

from __future__ import annotations

from typing import Any

from manouche.db import connections, migrations, models
from manouche.db.migrations.state import ProjectState
from tests.db.migrations._operations import APP, columns, tables


def _migration(name: str, operations: list[Any]) -> migrations.Migration:
    migration = migrations.Migration(name, APP)
    migration.operations = operations
    return migration


def _split_names(apps: Any, schema_editor: Any) -> None:
    person = apps.get_model(APP, "Person")
    for row in person.objects.all():
        row.first, _, row.last = row.full_name.partition(" ")
        row.save()


def _join_names(apps: Any, schema_editor: Any) -> None:
    person = apps.get_model(APP, "Person")
    for row in person.objects.all():
        row.full_name = f"{row.first} {row.last}"
        row.save()


def _history() -> list[migrations.Migration]:
    return [
        _migration(
            "0001_initial",
            [
                migrations.CreateModel(
                    "Person",
                    [
                        ("id", models.AutoField(primary_key=True)),
                        ("full_name", models.CharField(max_length=60, default="")),
                    ],
                ),
                migrations.RunSQL(
                    [
                        (
                            "INSERT INTO mig_person (full_name) VALUES (%s)",
                            ["Ada Lovelace"],
                        )
                    ],
                    migrations.RunSQL.noop,
                ),
            ],
        ),
        _migration(
            "0002_split",
            [
                migrations.AddField(
                    "Person", "first", models.CharField(max_length=30, default="")
                ),
                migrations.AddField(
                    "Person", "last", models.CharField(max_length=30, default="")
                ),
                migrations.RunPython(_split_names, _join_names),
                migrations.RemoveField("Person", "full_name"),
                migrations.RenameModel("Person", "Author"),
                migrations.AddIndex(
                    "Author", models.Index(fields=["last"], name="author_last_idx")
                ),
            ],
        ),
    ]


def test_history_applies_and_unapplies_without_losing_data(database: object) -> None:
    connection = connections["default"]
    states = [ProjectState()]
    for migration in _history():
        with connection.schema_editor() as editor:
            states.append(migration.apply(states[-1].clone(), editor))

    final = states[-1]
    author = final.apps.get_model(APP, "Author")
    assert [(a.first, a.last) for a in author.objects.all()] == [("Ada", "Lovelace")]
    assert "mig_person" not in tables()
    assert set(columns("mig_author")) == {"id", "first", "last"}
    assert final == _history()[1].mutate_state(
        _history()[0].mutate_state(ProjectState())
    )

    for migration, before in reversed(list(zip(_history(), states, strict=False))):
        with connection.schema_editor() as editor:
            migration.unapply(before.clone(), editor)
        if migration.name == "0002_split":
            person = before.apps.get_model(APP, "Person")
            assert list(person.objects.values_list("full_name", flat=True)) == [
                "Ada Lovelace"
            ]
    assert "mig_person" not in tables()


def test_collecting_sql_marks_python_operations(database: object) -> None:
    connection = connections["default"]
    state = _history()[0].mutate_state(ProjectState())
    with connection.schema_editor(collect_sql=True) as editor:
        _history()[1].apply(state, editor, collect_sql=True)

    text = "\n".join(editor.collected_sql)
    assert "-- Add field first to Person" in text
    assert (
        "-- Raw Python operation\n--\n-- THIS OPERATION CANNOT BE WRITTEN AS SQL"
        in text
    )
    assert "author_last_idx" in text
    assert "mig_person" not in connection.introspection.table_names()
