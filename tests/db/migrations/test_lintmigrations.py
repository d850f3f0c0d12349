"""lintmigrations: which migrations it lints, its output and its exit status."""

from __future__ import annotations

import io
from typing import Any

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError

SHOP = {
    "0001_initial": """
        operations = [
            migrations.CreateModel(
                "Order",
                [
                    ("id", models.AutoField(primary_key=True)),
                    ("total", models.IntegerField(null=True)),
                ],
            ),
        ]
    """,
    "0002_order_paid": """
        dependencies = [("shop", "0001_initial")]
        operations = [
            migrations.AddField("order", "paid", models.BooleanField(default=False)),
        ]
    """,
    "0003_order_total_index": """
        dependencies = [("shop", "0002_order_paid")]
        operations = [
            migrations.AddIndex(
                "order", models.Index(fields=["total"], name="order_total_idx")
            ),
        ]
    """,
    "0004_order_total_not_null": """
        dependencies = [("shop", "0003_order_total_index")]
        operations = [
            migrations.AlterField("order", "total", models.IntegerField()),
        ]
    """,
}


@pytest.fixture
def shop(make_apps):
    make_apps.app("shop", SHOP)
    return make_apps


def lint(*args: str, **options: Any) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("lintmigrations", *args, stdout=out, no_color=True, **options)
    except SystemExit as exit_:
        return out.getvalue(), int(exit_.code or 0)
    return out.getvalue(), 0


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_findings_are_printed_with_hints_and_fail_the_run(database, shop):
    with shop.installed("shop"):
        output, status = lint()
    assert status == 1
    lines = output.splitlines()
    assert lines[0] == "shop.0002_order_paid:"
    assert lines[1].startswith("  M001 [error] Add field paid to order: order.paid")
    assert lines[2].startswith("    hint: Add the column with null=True")
    assert "shop.0003_order_total_index:" in lines
    assert "shop.0004_order_total_not_null:" in lines
    # The state before 0004 knows total was nullable.
    assert any(line.startswith("  M007 [warning]") for line in lines)
    assert lines[-1] == "Linted 4 migrations: 3 findings (1 error, 2 warning, 0 info)."


@pytest.mark.parametrize("database", ["postgresql", "mariadb"], indirect=True)
def test_database_vendor_selects_the_rules(database, shop):
    with shop.installed("shop"):
        output, _status = lint("shop", "0003")
    if database.vendor == "postgresql":
        assert "M002 [warning]" in output
    else:
        assert "Linted 1 migration: no findings." in output


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("fail_level", "status"),
    [("info", 1), ("warning", 1), ("error", 1), ("never", 0)],
)
def test_fail_level_decides_the_exit_status(database, shop, fail_level, status):
    with shop.installed("shop"):
        assert lint(fail_level=fail_level)[1] == status


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_warnings_pass_at_error_level(database, shop):
    with shop.installed("shop"):
        output, status = lint("shop", "0003", fail_level="error")
    assert status == 0
    assert "M002 [warning]" in output


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_one_migration_can_be_linted(database, shop):
    with shop.installed("shop"):
        output, status = lint("shop", "0001")
    assert (output, status) == ("Linted 1 migration: no findings.\n", 0)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_setting_ignores_migrations_and_apps(database, shop):
    with shop.installed(
        "shop",
        MIGRATION_LINT_IGNORE=[
            "shop.0002_order_paid",
            "shop.0003_order_total_index",
        ],
    ):
        output, _status = lint("shop")
    assert "0002" not in output
    assert "0003" not in output
    assert "Linted 2 migrations: 1 finding (0 error, 1 warning, 0 info)." in output
    with shop.installed("shop", MIGRATION_LINT_IGNORE=["shop"]):
        assert lint()[0] == "Linted 0 migrations: no findings.\n"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_lint_ignore_on_the_migration_silences_its_codes(database, make_apps):
    history = dict(SHOP)
    history["0002_order_paid"] = SHOP["0002_order_paid"].replace(
        "operations =", 'lint_ignore = ["M001"]\n        operations ='
    )
    make_apps.app("shop", history)
    with make_apps.installed("shop"):
        output, _status = lint("shop", "0002")
    assert output == "Linted 1 migration: no findings.\n"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_unapplied_skips_what_the_database_already_has(database, shop):
    from manouche.db import connection
    from manouche.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    recorder.record_applied("shop", "0001_initial")
    recorder.record_applied("shop", "0002_order_paid")
    with shop.installed("shop"):
        output, _status = lint("shop", unapplied=True)
    assert "0002_order_paid" not in output
    assert "Linted 2 migrations" in output


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (("nope",), {}, "No installed app with label 'nope'"),
        (("shop", "0009"), {}, "Cannot find a migration matching '0009'"),
        ((), {"database": "other"}, "Unknown database 'other'"),
    ],
)
def test_bad_arguments_are_reported(database, shop, args, options, message):
    with shop.installed("shop"), pytest.raises(CommandError) as caught:
        lint(*args, **options)
    assert message in str(caught.value)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_app_without_migrations_is_reported(database, make_apps):
    make_apps.app("plain", None)
    with make_apps.installed("plain"), pytest.raises(CommandError) as caught:
        lint("plain")
    assert "App 'plain' does not have migrations." in str(caught.value)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_framework_apps_are_linted_only_when_named(database, shop):
    from manouche.test.utils import override_settings

    installed = ["manouche.contrib.contenttypes", shop.module("shop")]
    with override_settings(INSTALLED_APPS=installed):
        everything, _status = lint(fail_level="never")
        named, _status = lint("contenttypes", fail_level="never")
    assert "contenttypes." not in everything
    assert "Linted 4 migrations" in everything
    assert "contenttypes.0002_remove_content_type_name:" in named
    assert "M005 [warning] Remove field name from contenttype" in named
