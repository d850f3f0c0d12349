"""The migrate, showmigrations and sqlmigrate commands."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from manouche.core.management import CommandError, call_command
from manouche.db import connections
from manouche.db.migrations.recorder import MigrationRecorder
from manouche.db.models.signals import post_migrate, pre_migrate

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
BROKEN_0003 = """
dependencies = [("lib", "0002_age")]
operations = [
    migrations.CreateModel(
        name="Shelf",
        fields=[("id", models.AutoField(primary_key=True))],
    ),
    migrations.RunSQL("SELECT * FROM no_such_table_anywhere"),
]
"""
PLAIN_MODELS = """
from manouche.db import models


class Loose(models.Model):
    name = models.CharField(max_length=20)
"""


@pytest.fixture(autouse=True)
def _forget_plain_models() -> Any:
    """Unregister the throwaway ``plain`` app's real models after each test."""
    from manouche.apps import apps

    yield
    apps.all_models.pop("plain", None)
    apps.clear_cache()


@pytest.fixture
def lib(make_apps: Any) -> Any:
    make_apps.app("lib", {"0001_initial": AUTHOR_0001, "0002_age": AUTHOR_0002})
    return make_apps


def run(command: str, *args: str, **options: Any) -> str:
    out = io.StringIO()
    options.setdefault("verbosity", 1)
    call_command(command, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def tables() -> set[str]:
    return set(connections["default"].introspection.table_names())


def applied() -> set[tuple[str, str]]:
    return set(MigrationRecorder(connections["default"]).applied_migrations())


def test_migrate_prints_progress_with_timings(database, lib):
    with lib.installed("lib"):
        output = run("migrate")
    assert "Operations to perform:\n  Apply all migrations: lib\n" in output
    assert re.search(r"  Applying lib\.0001_initial\.\.\. OK \(\d+\.\d{3}s\)\n", output)
    assert re.search(r"  Applying lib\.0002_age\.\.\. OK \(\d+\.\d{3}s\)\n", output)
    assert "lib_author" in tables()
    with lib.installed("lib"):
        assert "  No migrations to apply." in run("migrate")


def test_migrate_to_a_target_and_zero(database, lib):
    with lib.installed("lib"):
        run("migrate")
        output = run("migrate", "lib", "0001")
        assert "  Target specific migration: 0001_initial, from lib" in output
        assert re.search(r"  Unapplying lib\.0002_age\.\.\. OK \(\d+\.\d{3}s\)", output)
        assert applied() == {("lib", "0001_initial")}
        output = run("migrate", "lib", "zero")
        assert "  Unapply all migrations: lib" in output
    assert applied() == set()
    assert "lib_author" not in tables()


def test_fake_and_plan_and_check(database, lib):
    with lib.installed("lib"):
        output = run("migrate", "lib", "--plan")
        assert (
            "Planned operations:\nlib.0001_initial\n    Create model Author\n" in output
        )
        assert "lib.0002_age\n    Add field age to Author\n" in output
        with pytest.raises(SystemExit) as info:
            run("migrate", "--check")
        assert info.value.code == 1
        output = run("migrate", "lib", "0001", fake=True)
        assert re.search(r"Applying lib\.0001_initial\.\.\. FAKED \(", output)
        assert "lib_author" not in tables()
        run("migrate", "lib", "zero", fake=True)
        run("migrate")
        run("migrate", "--check")  # nothing left: returns normally
        output = run("migrate", "lib", "zero", "--plan")
        assert "lib.0002_age\n    Undo Add field age to Author\n" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "No installed app with label 'nope'."),
        (("lib", "0009"), "Cannot find a migration matching '0009' from app 'lib'."),
        (("plain",), "App 'plain' does not have migrations."),
    ],
)
def test_bad_targets_are_command_errors(database, lib, args, message):
    lib.app("plain", None)
    with lib.installed("lib", "plain"), pytest.raises(CommandError) as info:
        run("migrate", *args)
    assert message in str(info.value)


def test_ambiguous_name_and_conflicting_leaves(database, lib):
    lib.write_migration("lib", "0002_other", 'dependencies = [("lib", "0001_initial")]')
    with lib.installed("lib"):
        with pytest.raises(CommandError) as info:
            run("migrate")
        assert str(info.value) == (
            "Conflicting migrations detected; multiple leaf nodes in the migration "
            "graph: (0002_age, 0002_other in lib).\nTo fix them run "
            "'manouche makemigrations --merge'"
        )


def test_ambiguous_prefix(database, lib):
    lib.write_migration("lib", "0003_a", 'dependencies = [("lib", "0002_age")]')
    lib.write_migration("lib", "0004_a", 'dependencies = [("lib", "0003_a")]')
    with lib.installed("lib"), pytest.raises(CommandError) as info:
        run("migrate", "lib", "000")
    assert "More than one migration matches '000' in app 'lib'." in str(info.value)


def test_inconsistent_history_is_a_command_error(database, lib):
    MigrationRecorder(connections["default"]).record_applied("lib", "0002_age")
    with lib.installed("lib"), pytest.raises(CommandError) as info:
        run("migrate")
    assert "Migration lib.0002_age is applied before its dependency" in str(info.value)


def test_failure_names_migration_and_operation_and_keeps_record(database, lib):
    lib.write_migration("lib", "0003_broken", BROKEN_0003)
    with lib.installed("lib"), pytest.raises(CommandError) as info:
        run("migrate")
    message = str(info.value)
    assert "In migration lib.0003_broken, operation: Raw SQL operation" in message
    assert "Applying migration lib.0003_broken failed; not recorded." in message
    assert applied() == {("lib", "0001_initial"), ("lib", "0002_age")}
    # Its first operation is undone too: by the migration's transaction where
    # DDL is transactional, operation by operation elsewhere (MariaDB).
    assert "lib_shelf" not in tables()
    if not database.connection.features.can_rollback_ddl:
        assert "The 1 operation(s) of it that had run were undone." in message


def test_run_syncdb_creates_tables_of_apps_without_migrations(database, lib):
    lib.app("plain", None, modules={"models": PLAIN_MODELS})
    with lib.installed("lib", "plain"):
        output = run("migrate", run_syncdb=True)
        assert "  Synchronize unmigrated apps: plain\n" in output
        assert "    Creating table plain_loose\n" in output
        assert {"plain_loose", "lib_author"} <= tables()
        with pytest.raises(CommandError, match="Can't use run_syncdb with app 'lib'"):
            run("migrate", "lib", run_syncdb=True)


def test_migration_modules_none_builds_the_tables_directly(database, make_apps):
    make_apps.app(
        "plain",
        {"0001_initial": 'operations = [migrations.RunSQL("SELECT nonsense")]'},
        modules={"models": PLAIN_MODELS},
    )
    with make_apps.installed("plain", MIGRATION_MODULES={"plain": None}):
        run("migrate", run_syncdb=True)
    assert "plain_loose" in tables()
    assert applied() == set()


def test_signals_receive_plan_and_apps(database, lib):
    received: list[tuple[str, Any]] = []

    def pre(sender: Any, **kwargs: Any) -> None:
        received.append(("pre", kwargs))

    def post(sender: Any, **kwargs: Any) -> None:
        received.append(("post", kwargs))

    pre_migrate.connect(pre)
    post_migrate.connect(post)
    try:
        with lib.installed("lib"):
            run("migrate", verbosity=0)
    finally:
        pre_migrate.disconnect(pre)
        post_migrate.disconnect(post)
    assert [kind for kind, _ in received] == ["pre", "post"]
    pre_kwargs = received[0][1]
    assert [(str(m), back) for m, back in pre_kwargs["plan"]] == [
        ("lib.0001_initial", False),
        ("lib.0002_age", False),
    ]
    assert pre_kwargs["using"] == "default"
    # The states' registries: nothing yet before, the Author after.
    with pytest.raises(LookupError):
        pre_kwargs["apps"].get_model("lib", "Author")
    author = received[1][1]["apps"].get_model("lib", "Author")
    assert {field.name for field in author._meta.fields} == {"id", "name", "age"}


def test_prune_forgets_records_of_deleted_files(database, lib):
    recorder = MigrationRecorder(connections["default"])
    with lib.installed("lib"):
        run("migrate")
        recorder.record_applied("lib", "0000_deleted")
        output = run("migrate", "lib", prune=True)
    assert "Pruning migrations:\n  Pruning lib.0000_deleted OK\n" in output
    assert ("lib", "0000_deleted") not in applied()
    with pytest.raises(CommandError, match="only when an app is specified"):
        run("migrate", prune=True)


def test_showmigrations_list_and_plan(database, lib):
    lib.app(
        "other",
        {"0001_initial": 'dependencies = [("lib", "0001_initial")]'},
    )
    with lib.installed("lib", "other"):
        run("migrate", "lib", "0001")
        output = run("showmigrations")
        assert output == (
            "lib\n [X] 0001_initial\n [ ] 0002_age\nother\n [ ] 0001_initial\n"
        )
        output = run("showmigrations", "--plan", verbosity=2)
        assert output == (
            "[X]  lib.0001_initial\n"
            "[ ]  lib.0002_age ... (lib.0001_initial)\n"
            "[ ]  other.0001_initial ... (lib.0001_initial)\n"
        )
        assert run("showmigrations", "other") == "other\n [ ] 0001_initial\n"
        with pytest.raises(CommandError, match="No installed app with label 'x'"):
            run("showmigrations", "x")


def test_sqlmigrate_prints_sql_without_running_it(database, lib):
    with lib.installed("lib"):
        output = run("sqlmigrate", "lib", "0001")
        assert "-- Create model Author" in output
        assert re.search(r"CREATE TABLE [`\"]?lib_author", output)
        if database.connection.features.can_rollback_ddl:
            assert output.startswith("BEGIN;\n")
            assert output.rstrip().endswith("COMMIT;")
        backwards = run("sqlmigrate", "lib", "0001", backwards=True)
        assert re.search(r"DROP TABLE [`\"]?lib_author", backwards)
        with pytest.raises(CommandError, match="Cannot find a migration matching"):
            run("sqlmigrate", "lib", "0042")
    assert "lib_author" not in tables()


def test_migrate_runs_the_system_checks(database, lib):
    from manouche.core import checks
    from manouche.core.checks.registry import registry
    from manouche.core.management.base import SystemCheckError

    def broken(app_configs: Any = None, **kwargs: Any) -> list[Any]:
        return [checks.Error("Everything is on fire.", id="tests.E001")]

    registry.register(broken)
    try:
        with lib.installed("lib"), pytest.raises(SystemCheckError) as info:
            call_command("migrate", stdout=io.StringIO(), skip_checks=False)
        assert "Everything is on fire." in str(info.value)
    finally:
        registry.registered_checks.discard(broken)
    assert "lib_author" not in tables()


def test_fake_initial_from_the_command_line(database, lib):
    with lib.installed("lib"):
        run("migrate", "lib", "0001")
        MigrationRecorder(connections["default"]).flush()
        output = run("migrate", "lib", "0001", fake_initial=True)
    assert re.search(r"Applying lib\.0001_initial\.\.\. FAKED \(", output)
    assert applied() == {("lib", "0001_initial")}


def test_unknown_database_is_a_command_error(database, lib):
    for command in ("migrate", "showmigrations"):
        with pytest.raises(CommandError, match="The connection 'nope' doesn't exist"):
            run(command, database="nope")


SQUASHED = """
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


def test_squashed_migrations_in_migrate_and_showmigrations(database, lib):
    lib.write_migration("lib", "0001_squashed_0002_age", SQUASHED)
    with lib.installed("lib"):
        assert run("showmigrations") == (
            "lib\n [ ] 0001_squashed_0002_age (2 squashed migrations)\n"
        )
        output = run("migrate")
        assert re.search(r"Applying lib\.0001_squashed_0002_age\.\.\. OK", output)
        assert run("showmigrations") == (
            "lib\n [X] 0001_squashed_0002_age (2 squashed migrations)\n"
        )
        # Naming a replaced migration goes back through the originals.
        output = run("migrate", "lib", "0001_initial")
        assert re.search(r"Unapplying lib\.0002_age\.\.\. OK", output)
        assert run("showmigrations") == ("lib\n [X] 0001_initial\n [ ] 0002_age\n")
        # Half-applied: the squash is left out until the rest is applied.
        run("migrate")
        assert applied() == {
            ("lib", "0001_initial"),
            ("lib", "0002_age"),
            ("lib", "0001_squashed_0002_age"),
        }
