"""optimizemigration: one migration's operations folded in place."""

from __future__ import annotations

import importlib

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

FOLDABLE = """
    initial = True
    operations = [
        migrations.CreateModel(
            "Author", [("id", models.AutoField(primary_key=True))]
        ),
        migrations.AddField("author", "name", models.CharField(max_length=50)),
        migrations.AlterField("author", "name", models.CharField(max_length=80)),
    ]
"""
TIGHT = """
    initial = True
    operations = [
        migrations.CreateModel(
            "Author", [("id", models.AutoField(primary_key=True))]
        ),
    ]
"""


def run(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command("optimizemigration", *args, stdout=out)
    return out.getvalue()


def test_folds_operations_and_rewrites_the_file(database, make_apps) -> None:
    make_apps.app("shop", {"0001_initial": FOLDABLE})
    with make_apps.installed("shop"):
        output = run("shop", "0001")
        assert "Optimizing from 3 operations to 1 operations." in output
        assert "Optimized migration" in output
        module = importlib.import_module(
            f"{make_apps.package}.shop.migrations.0001_initial"
        )
        importlib.reload(module)
        (create,) = module.Migration.operations
        assert [name for name, _field in create.fields] == ["id", "name"]
        assert create.fields[1][1].max_length == 80
        assert "No optimizations possible." in run("shop", "0001_initial")


def test_check_exits_non_zero_without_writing(database, make_apps) -> None:
    make_apps.app("shop", {"0001_initial": FOLDABLE})
    path = make_apps.migrations_dir("shop") / "0001_initial.py"
    before = path.read_text()
    with make_apps.installed("shop"), pytest.raises(SystemExit) as exit_info:
        run("shop", "0001", "--check")
    assert exit_info.value.code == 1
    assert path.read_text() == before


def test_nothing_to_fold(database, make_apps) -> None:
    make_apps.app("shop", {"0001_initial": TIGHT})
    with make_apps.installed("shop"):
        assert "No optimizations possible." in run("shop", "0001", "--check")


def test_unknown_app_and_migration_are_clear_errors(database, make_apps) -> None:
    make_apps.app("shop", {"0001_initial": TIGHT})
    with make_apps.installed("shop"):
        with pytest.raises(CommandError, match="No installed app with label 'nope'"):
            run("nope", "0001")
        with pytest.raises(CommandError, match="Cannot find a migration matching"):
            run("shop", "0009")
