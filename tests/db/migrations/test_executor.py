"""MigrationExecutor: plan, apply, unapply, fake, fake-initial, failures."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import connections
from manouche.db.migrations.exceptions import InvalidMigrationPlan
from manouche.db.migrations.executor import MigrationExecutor
from manouche.db.migrations.recorder import MigrationRecorder

AUTHOR_0001 = """
initial = True
operations = [
    migrations.CreateModel(
        name="Author",
        fields=[
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=50)),
        ],
    ),
]
"""
AUTHOR_0002 = """
dependencies = [("lib", "0001_initial")]
operations = [
    migrations.AddField("Author", "age", models.IntegerField(null=True)),
]
"""
BOOK_0001 = """
initial = True
dependencies = [("lib", "0002_age")]
operations = [
    migrations.CreateModel(
        name="Book",
        fields=[
            ("id", models.AutoField(primary_key=True)),
            ("author", models.ForeignKey("lib.Author", models.CASCADE)),
        ],
    ),
]
"""


@pytest.fixture
def lib(make_apps: Any) -> Any:
    make_apps.app("lib", {"0001_initial": AUTHOR_0001, "0002_age": AUTHOR_0002})
    make_apps.app("shelf", {"0001_initial": BOOK_0001})
    return make_apps


def tables() -> set[str]:
    return set(connections["default"].introspection.table_names())


def columns(table: str) -> set[str]:
    connection = connections["default"]
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name for column in description}


def applied() -> set[tuple[str, str]]:
    return set(MigrationRecorder(connections["default"]).applied_migrations())


def executor(calls: list[Any] | None = None) -> MigrationExecutor:
    def progress(action: str, migration: Any = None, fake: bool = False) -> None:
        if calls is not None and migration is not None:
            calls.append((action, str(migration), fake))

    return MigrationExecutor(connections["default"], progress)


def test_migrate_applies_in_dependency_order_and_records(database, lib):
    calls: list[Any] = []
    with lib.installed("lib", "shelf"):
        ex = executor(calls)
        plan = ex.migration_plan([("shelf", "0001_initial")])
        assert [(str(m), back) for m, back in plan] == [
            ("lib.0001_initial", False),
            ("lib.0002_age", False),
            ("shelf.0001_initial", False),
        ]
        ex.migrate([("shelf", "0001_initial")])
        assert {"lib_author", "shelf_book", "manouche_migrations"} <= tables()
        assert "age" in columns("lib_author")
        assert applied() == {
            ("lib", "0001_initial"),
            ("lib", "0002_age"),
            ("shelf", "0001_initial"),
        }
        assert calls[:2] == [
            ("apply_start", "lib.0001_initial", False),
            ("apply_success", "lib.0001_initial", False),
        ]
        # Nothing left to do.
        assert executor().migration_plan([("shelf", "0001_initial")]) == []


def test_unapply_to_a_target_rolls_back_dependents_only(database, lib):
    with lib.installed("lib", "shelf"):
        executor().migrate([("shelf", "0001_initial")])
        ex = executor()
        plan = ex.migration_plan([("lib", "0001_initial")])
        assert [(str(m), back) for m, back in plan] == [
            ("shelf.0001_initial", True),
            ("lib.0002_age", True),
        ]
        ex.migrate([("lib", "0001_initial")])
        assert "shelf_book" not in tables()
        assert "age" not in columns("lib_author")
        assert applied() == {("lib", "0001_initial")}


def test_zero_unapplies_the_whole_app(database, lib):
    with lib.installed("lib", "shelf"):
        executor().migrate([("lib", "0002_age")])
        executor().migrate([("lib", None)])
        assert "lib_author" not in tables()
        assert applied() == set()


def test_fake_records_without_touching_the_schema(database, lib):
    calls: list[Any] = []
    with lib.installed("lib", "shelf"):
        executor(calls).migrate([("lib", "0001_initial")], fake=True)
        assert "lib_author" not in tables()
        assert applied() == {("lib", "0001_initial")}
        assert ("apply_success", "lib.0001_initial", True) in calls
        executor().migrate([("lib", None)], fake=True)
        assert applied() == set()


def test_fake_initial_adopts_existing_tables(database, lib):
    calls: list[Any] = []
    with lib.installed("lib", "shelf"):
        executor().migrate([("lib", "0002_age")])
        # Forget the record, keep the tables: a database built before migrations.
        MigrationRecorder(connections["default"]).flush()
        executor(calls).migrate([("lib", "0001_initial")], fake_initial=True)
        assert ("apply_success", "lib.0001_initial", True) in calls
        assert applied() == {("lib", "0001_initial")}
        # 0002 is not initial, so it really runs, and fails: its column exists.
        with pytest.raises(Exception) as info:
            executor().migrate([("lib", "0002_age")], fake_initial=True)
        notes = getattr(info.value, "__notes__", [])
        assert "In migration lib.0002_age, operation: Add field age to Author" in notes
        assert "Applying migration lib.0002_age failed; not recorded." in notes
        assert applied() == {("lib", "0001_initial")}


def test_fake_initial_applies_when_tables_are_missing(database, lib):
    calls: list[Any] = []
    with lib.installed("lib", "shelf"):
        executor(calls).migrate([("lib", "0001_initial")], fake_initial=True)
        assert ("apply_success", "lib.0001_initial", False) in calls
        assert "lib_author" in tables()


def test_mixed_plan_is_refused(database, lib):
    with lib.installed("lib", "shelf"):
        ex = executor()
        ex.migrate([("lib", "0001_initial")])
        ex = executor()
        graph = ex.loader.graph
        plan = [
            (graph.nodes["lib", "0001_initial"], True),
            (graph.nodes["lib", "0002_age"], False),
        ]
        with pytest.raises(InvalidMigrationPlan, match="both forwards and backwards"):
            ex.migrate(None, plan=plan)


SQUASH = """
initial = True
replaces = [("lib", "0001_initial"), ("lib", "0002_age")]
operations = [
    migrations.CreateModel(
        name="Author",
        fields=[
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=50)),
            ("age", models.IntegerField(null=True)),
        ],
    ),
]
"""
AFTER = """
dependencies = [("lib", "0002_age")]
operations = [
    migrations.AddField("Author", "email", models.CharField(max_length=50, null=True)),
]
"""


@pytest.fixture
def squashed(make_apps: Any) -> Any:
    make_apps.app(
        "lib",
        {
            "0001_initial": AUTHOR_0001,
            "0002_age": AUTHOR_0002,
            "0001_squashed_0002_age": SQUASH,
            "0003_email": AFTER,
        },
    )
    return make_apps


def test_squash_on_a_fresh_database_records_it_and_what_it_replaces(database, squashed):
    calls: list[Any] = []
    with squashed.installed("lib"):
        executor(calls).migrate([("lib", "0003_email")])
        assert [c[1] for c in calls if c[0] == "apply_success"] == [
            "lib.0001_squashed_0002_age",
            "lib.0003_email",
        ]
        assert applied() == {
            ("lib", "0001_initial"),
            ("lib", "0002_age"),
            ("lib", "0001_squashed_0002_age"),
            ("lib", "0003_email"),
        }
        assert {"name", "age", "email"} <= columns("lib_author")
        # And all the way back through the squash.
        executor().migrate([("lib", None)])
        assert applied() == set()
        assert "lib_author" not in tables()


def test_partly_applied_squash_continues_with_the_originals(database, squashed):
    with squashed.installed("lib"):
        ex = executor()
        graph = ex.loader.graph
        # A database that applied 0001 before the squash existed.
        ex.loader.replace_migrations = False
        ex.loader.build_graph()
        ex.migrate([("lib", "0001_initial")])
        ex = executor()
        assert ("lib", "0001_squashed_0002_age") not in ex.loader.graph.nodes
        plan = ex.migration_plan([("lib", "0003_email")])
        assert [str(m) for m, _ in plan] == ["lib.0002_age", "lib.0003_email"]
        ex.migrate([("lib", "0003_email")])
        # Once all replaced ones are applied, the squash is recorded too.
        assert ("lib", "0001_squashed_0002_age") in applied()
        assert ("lib", "0001_squashed_0002_age") in executor().loader.graph.nodes
    assert graph is not None


def test_target_that_a_squash_replaced_is_planned_with_the_originals(
    database, squashed
):
    with squashed.installed("lib"):
        executor().migrate([("lib", "0003_email")])
        ex = executor()
        plan = ex.migration_plan([("lib", "0001_initial")])
        assert [(str(m), back) for m, back in plan] == [
            ("lib.0003_email", True),
            ("lib.0002_age", True),
        ]
        ex.migrate([("lib", "0001_initial")], plan=plan)
        assert "age" not in columns("lib_author")
        assert ("lib", "0001_initial") in applied()
        assert ("lib", "0001_squashed_0002_age") not in applied()


def test_inconsistent_history_stops_the_executor(database, lib):
    from manouche.db.migrations.exceptions import InconsistentMigrationHistory

    with lib.installed("lib", "shelf"):
        MigrationRecorder(connections["default"]).record_applied("lib", "0002_age")
        with pytest.raises(InconsistentMigrationHistory, match="lib.0002_age is"):
            executor().migrate([("shelf", "0001_initial")])
        assert "lib_author" not in tables()
        assert applied() == {("lib", "0002_age")}
