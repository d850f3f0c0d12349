"""MigrationLoader: finding files, building the graph, replacements, history."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import connections
from manouche.db.migrations.exceptions import (
    AmbiguityError,
    BadMigrationError,
    CircularDependencyError,
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from manouche.db.migrations.loader import MigrationLoader
from manouche.db.migrations.recorder import MigrationRecorder

CREATE = """
initial = True
operations = [
    migrations.CreateModel(
        name="{model}",
        fields=[("id", models.AutoField(primary_key=True))],
    ),
]
"""


def create(model: str, *deps: tuple[str, str]) -> str:
    body = CREATE.format(model=model)
    if deps:
        body += f"dependencies = {list(deps)!r}\n"
    return body


def step(*deps: tuple[str, str], replaces: list[tuple[str, str]] | None = None) -> str:
    body = f"dependencies = {list(deps)!r}\n"
    if replaces:
        body += f"replaces = {replaces!r}\n"
    return body


def loader(connection: Any = None, **kwargs: Any) -> MigrationLoader:
    return MigrationLoader(connection, **kwargs)


def record(*keys: tuple[str, str]) -> None:
    recorder = MigrationRecorder(connections["default"])
    for app, name in keys:
        recorder.record_applied(app, name)


def test_load_disk_finds_migrations_and_skips_private_modules(make_apps):
    make_apps.app(
        "a",
        {"0001_initial": create("Thing"), "0002_next": step(("a", "0001_initial"))},
    )
    migrations_dir = make_apps.migrations_dir("a")
    (migrations_dir / "_helpers.py").write_text("VALUE = 1\n")
    (migrations_dir / "notes.txt").write_text("not python\n")
    make_apps.app("plain", None)
    with make_apps.installed("a", "plain"):
        result = loader()
    assert set(result.disk_migrations) == {("a", "0001_initial"), ("a", "0002_next")}
    assert result.migrated_apps == {"a"}
    assert result.unmigrated_apps == {"plain"}
    assert result.graph.leaf_nodes("a") == [("a", "0002_next")]


def test_module_without_migration_class_is_a_clear_error(make_apps):
    make_apps.app("a", {"0001_initial": create("Thing")})
    (make_apps.migrations_dir("a") / "0002_oops.py").write_text("X = 1\n")
    with make_apps.installed("a"), pytest.raises(BadMigrationError) as info:
        loader()
    assert "Migration 0002_oops in app a has no Migration class" in str(info.value)


def test_migration_modules_setting_moves_or_disables_migrations(make_apps):
    make_apps.app("a", {"0001_initial": create("Thing")})
    make_apps.app("b", {"0001_other": create("Other")}, package="other_migrations")
    custom = {
        "a": None,
        "b": f"{make_apps.module('b')}.other_migrations",
    }
    with make_apps.installed("a", "b", MIGRATION_MODULES=custom):
        result = loader()
        assert result.unmigrated_apps == {"a"}
        assert set(result.disk_migrations) == {("b", "0001_other")}
        assert MigrationLoader.migrations_module("a") == (None, True)
        assert MigrationLoader.migrations_module("b") == (custom["b"], True)
    missing = {"a": f"{make_apps.package}.nowhere"}
    with make_apps.installed("a", MIGRATION_MODULES=missing):
        with pytest.raises(ModuleNotFoundError):
            loader()
        assert loader(ignore_no_migrations=True).unmigrated_apps == {"a"}


def test_get_migration_by_prefix(make_apps):
    make_apps.app(
        "a",
        {
            "0001_initial": create("Thing"),
            "0002_first": step(("a", "0001_initial")),
            "0002_second": step(("a", "0001_initial")),
        },
    )
    with make_apps.installed("a"):
        result = loader()
    assert result.get_migration_by_prefix("a", "0001").name == "0001_initial"
    assert result.get_migration_by_prefix("a", "0002_first").name == "0002_first"
    with pytest.raises(AmbiguityError, match="more than one migration for 'a'"):
        result.get_migration_by_prefix("a", "0002")
    with pytest.raises(KeyError, match="no migration for 'a' with the prefix '9'"):
        result.get_migration_by_prefix("a", "9")
    assert result.detect_conflicts() == {"a": ["0002_first", "0002_second"]}
    assert result.get_migration("a", "0001_initial").name == "0001_initial"


def test_first_and_latest_resolve_to_other_apps_roots_and_leaves(make_apps):
    make_apps.app(
        "a", {"0001_initial": create("Thing"), "0002_next": step(("a", "0001_initial"))}
    )
    make_apps.app(
        "b",
        {
            "0001_initial": create("Other", ("a", "__first__")),
            "0002_next": step(("b", "0001_initial"), ("a", "__latest__")),
        },
    )
    make_apps.app("c", {"0001_initial": create("Third", ("plain", "__first__"))})
    make_apps.app("plain", None)
    with make_apps.installed("a", "b", "c", "plain"):
        graph = loader().graph
    parents = {p.key for p in graph.node_map["b", "0001_initial"].parents}
    assert parents == {("a", "0001_initial")}
    parents = {p.key for p in graph.node_map["b", "0002_next"].parents}
    assert parents == {("b", "0001_initial"), ("a", "0002_next")}
    # A dependency on an app without migrations is dropped.
    assert not graph.node_map["c", "0001_initial"].parents


def test_dependency_on_unknown_app_or_migration_is_reported(make_apps):
    make_apps.app("a", {"0001_initial": create("Thing", ("ghost", "__first__"))})
    with (
        make_apps.installed("a"),
        pytest.raises(ValueError, match="unknown app: ghost"),
    ):
        loader()
    make_apps.app("b", {"0001_initial": create("Other", ("b", "0000_missing"))})
    with make_apps.installed("b"), pytest.raises(NodeNotFoundError) as info:
        loader()
    assert str(info.value) == (
        "Migration b.0001_initial dependencies reference nonexistent parent node "
        "('b', '0000_missing')"
    )


def test_cycles_are_reported(make_apps):
    make_apps.app("a", {"0001_initial": create("Thing", ("b", "0001_initial"))})
    make_apps.app("b", {"0001_initial": create("Other", ("a", "0001_initial"))})
    with make_apps.installed("a", "b"), pytest.raises(CircularDependencyError) as info:
        loader()
    assert "a.0001_initial" in str(info.value)
    assert "b.0001_initial" in str(info.value)


@pytest.fixture
def squashed(make_apps: Any) -> Any:
    make_apps.app(
        "a",
        {
            "0001_initial": create("Thing"),
            "0002_next": step(("a", "0001_initial")),
            "0001_squashed_0002": create("Thing")
            + "replaces = [('a', '0001_initial'), ('a', '0002_next')]\n",
            "0003_after": step(("a", "0002_next")),
        },
    )
    return make_apps


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_squash_is_used_when_none_of_the_replaced_are_applied(database, squashed):
    with squashed.installed("a"):
        graph = loader(connections["default"]).graph
    assert graph.forwards_plan(("a", "0003_after")) == [
        ("a", "0001_squashed_0002"),
        ("a", "0003_after"),
    ]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_squash_counts_as_applied_when_all_replaced_are(database, squashed):
    record(("a", "0001_initial"), ("a", "0002_next"))
    with squashed.installed("a"):
        result = loader(connections["default"])
    assert ("a", "0001_squashed_0002") in result.applied_migrations
    assert ("a", "0001_initial") not in result.graph.nodes


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_partly_applied_squash_falls_back_to_the_originals(database, squashed):
    record(("a", "0001_initial"))
    with squashed.installed("a"):
        result = loader(connections["default"])
    assert ("a", "0001_squashed_0002") not in result.graph.nodes
    assert result.graph.forwards_plan(("a", "0003_after")) == [
        ("a", "0001_initial"),
        ("a", "0002_next"),
        ("a", "0003_after"),
    ]
    # replace_migrations=False always keeps the originals.
    with squashed.installed("a"):
        plain = loader(connections["default"], replace_migrations=False)
    assert ("a", "0001_squashed_0002") in plain.graph.nodes


def test_inconsistent_history_is_reported(database, make_apps):
    make_apps.app(
        "a", {"0001_initial": create("Thing"), "0002_next": step(("a", "0001_initial"))}
    )
    record(("a", "0002_next"))
    with make_apps.installed("a"):
        result = loader(connections["default"])
        with pytest.raises(InconsistentMigrationHistory) as info:
            result.check_consistent_history(connections["default"])
    assert str(info.value) == (
        "Migration a.0002_next is applied before its dependency a.0001_initial "
        "on database 'default'."
    )


def test_project_state_and_collect_sql(database, make_apps):
    make_apps.app("a", {"0001_initial": create("Thing")})
    with make_apps.installed("a"):
        result = loader(connections["default"])
        state = result.project_state()
        assert ("a", "thing") in state.models
        before = result.project_state(("a", "0001_initial"), at_end=False)
        assert ("a", "thing") not in before.models
        migration = result.get_migration("a", "0001_initial")
        sql = result.collect_sql([(migration, False)])
        assert any("CREATE TABLE" in line and "a_thing" in line for line in sql)
        assert any("Create model Thing" in line for line in sql)
        backwards = result.collect_sql([(migration, True)])
        assert any("DROP TABLE" in line for line in backwards)
    # Nothing ran.
    assert "a_thing" not in connections["default"].introspection.table_names()
