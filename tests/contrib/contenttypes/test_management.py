"""Content type rows kept in step with models: create, rename, remove stale."""

from __future__ import annotations

import io
from typing import Any

import pytest

from manouche.apps import apps
from manouche.apps.registry import Apps
from manouche.contrib.contenttypes.management import (
    RenameContentType,
    create_contenttypes,
    get_contenttypes_and_models,
    inject_rename_contenttypes_operations,
)
from manouche.contrib.contenttypes.models import ContentType
from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.db import migrations
from manouche.db.models.signals import post_migrate, pre_migrate
from manouche.test.utils import override_settings
from tests.contrib.contenttypes.conftest import query_count
from tests.contrib.contenttypes.genericapp.models import Bookmark, TaggedItem
from tests.db.conftest import DatabaseFixture


class _NoContentTypes:
    """A router keeping ContentType out of every database."""

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if app_label == "contenttypes" else None


def _generic_app() -> Any:
    return apps.get_app_config("genericapp")


# -- create_contenttypes / get_contenttypes_and_models ----------------------------
def test_create_contenttypes_without_the_model_runs_no_query(
    tables: DatabaseFixture,
) -> None:
    with query_count(tables) as captured:
        created = create_contenttypes(_generic_app(), verbosity=0, apps=Apps())
    assert created == []
    assert len(captured) == 0


def test_create_contenttypes_reports_what_it_adds(
    tables: DatabaseFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    ContentType.objects.create(app_label="genericapp", model="note")
    created = create_contenttypes(_generic_app())
    out = capsys.readouterr().out
    assert "Adding content type 'genericapp | bookmark'" in out
    assert "genericapp | note" not in out
    assert "note" not in {row.model for row in created}


def test_get_contenttypes_and_models_pairs_rows_and_models(
    tables: DatabaseFixture,
) -> None:
    stale = ContentType.objects.create(app_label="genericapp", model="gone")
    rows, models = get_contenttypes_and_models(_generic_app(), "default", ContentType)
    assert rows == {"gone": stale}
    assert models is not None
    assert models["bookmark"] is Bookmark
    assert "gone" not in models


def test_router_refusing_contenttypes_skips_everything(
    tables: DatabaseFixture,
) -> None:
    with override_settings(DATABASE_ROUTERS=[_NoContentTypes()]):
        assert get_contenttypes_and_models(_generic_app(), "default", ContentType) == (
            None,
            None,
        )
        assert create_contenttypes(_generic_app(), verbosity=0) == []
    assert not ContentType.objects.exists()


def test_post_migrate_creates_the_rows(tables: DatabaseFixture) -> None:
    config = _generic_app()
    post_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )
    assert ContentType.objects.filter(app_label="genericapp", model="note").exists()


# -- renames ----------------------------------------------------------------------
def _migration(*operations: Any, app_label: str = "genericapp") -> Any:
    class Migration(migrations.Migration):
        pass

    Migration.operations = list(operations)
    return Migration("0002_rename", app_label)


def test_each_rename_model_is_followed_by_a_rename_content_type() -> None:
    migration = _migration(
        migrations.RenameModel("Old", "New"),
        migrations.DeleteModel("Other"),
        migrations.RenameModel("Second", "Third"),
    )
    inject_rename_contenttypes_operations(plan=[(migration, False)], apps=apps)
    kinds = [type(op).__name__ for op in migration.operations]
    assert kinds == [
        "RenameModel",
        "RenameContentType",
        "DeleteModel",
        "RenameModel",
        "RenameContentType",
    ]
    first = migration.operations[1]
    assert (first.app_label, first.old_model, first.new_model) == (
        "genericapp",
        "old",
        "new",
    )


def test_pre_migrate_is_wired_to_the_injection() -> None:
    migration = _migration(migrations.RenameModel("Old", "New"))
    config = _generic_app()
    pre_migrate.send(
        sender=config,
        app_config=config,
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[(migration, False)],
    )
    assert isinstance(migration.operations[1], RenameContentType)


def test_no_injection_while_the_content_type_table_is_missing() -> None:
    before = _migration(migrations.RenameModel("A", "B"))
    initial = _migration(app_label="contenttypes")
    initial.name = "0001_initial"
    after = _migration(migrations.RenameModel("C", "D"))
    plan = [(before, False), (initial, False), (after, False)]
    inject_rename_contenttypes_operations(plan=plan, apps=Apps())
    assert len(before.operations) == 1
    assert len(after.operations) == 2

    # Unapplying contenttypes' first migration drops the table: stop there.
    later = _migration(migrations.RenameModel("E", "F"))
    inject_rename_contenttypes_operations(plan=[(initial, True), (later, True)])
    assert len(later.operations) == 1
    with override_settings(DATABASE_ROUTERS=[_NoContentTypes()]):
        inject_rename_contenttypes_operations(plan=[(later, False)])
    assert len(later.operations) == 1
    inject_rename_contenttypes_operations(plan=None)


def test_rename_content_type_renames_and_reverts(tables: DatabaseFixture) -> None:
    row = ContentType.objects.create(app_label="genericapp", model="old")
    operation = RenameContentType("genericapp", "old", "new")
    ContentType.objects.get_by_natural_key("genericapp", "old")  # cache it
    with tables.connection.schema_editor() as editor:
        operation.rename_forward(apps, editor)
    row.refresh_from_db()
    assert row.model == "new"
    with pytest.raises(ContentType.DoesNotExist):
        ContentType.objects.get_by_natural_key("genericapp", "old")
    with tables.connection.schema_editor() as editor:
        operation.rename_backward(apps, editor)
    row.refresh_from_db()
    assert row.model == "old"


def test_rename_content_type_leaves_clashes_and_missing_rows(
    tables: DatabaseFixture,
) -> None:
    old = ContentType.objects.create(app_label="genericapp", model="old")
    new = ContentType.objects.create(app_label="genericapp", model="new")
    with tables.connection.schema_editor() as editor:
        RenameContentType("genericapp", "old", "new").rename_forward(apps, editor)
        RenameContentType("genericapp", "ghost", "x").rename_forward(apps, editor)
    assert sorted(
        ContentType.objects.filter(app_label="genericapp").values_list("pk", "model")
    ) == sorted([(old.pk, "old"), (new.pk, "new")])


# -- remove_stale_contenttypes ----------------------------------------------------
@pytest.fixture
def stale(tables: DatabaseFixture) -> Any:
    """A row of genericapp without a model, a tag pointing at it, a gone app's row."""
    row = ContentType.objects.create(app_label="genericapp", model="gone")
    TaggedItem.objects.create(tag="t", content_type=row, object_id=1)
    ContentType.objects.create(app_label="oldapp", model="thing")
    ContentType.objects.get_for_model(Bookmark)
    return row


def _remaining() -> set[tuple[str, str]]:
    return set(ContentType.objects.values_list("app_label", "model"))


def test_noinput_deletes_stale_rows_and_their_dependents(
    stale: Any,
) -> None:
    out = io.StringIO()
    call_command("remove_stale_contenttypes", "--noinput", verbosity=2, stdout=out)
    assert "Deleting stale content type 'genericapp | gone'" in out.getvalue()
    assert _remaining() == {("genericapp", "bookmark"), ("oldapp", "thing")}
    assert not TaggedItem.objects.exists()


def test_include_stale_apps_also_deletes_uninstalled_apps_rows(
    stale: Any,
) -> None:
    out = io.StringIO()
    call_command(
        "remove_stale_contenttypes",
        interactive=False,
        include_stale_apps=True,
        verbosity=2,
        stdout=out,
    )
    assert "Deleting stale content type 'oldapp | thing'" in out.getvalue()
    assert _remaining() == {("genericapp", "bookmark")}


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_interactive_lists_dependents_and_keeps_rows_on_no(
    stale: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []

    def answer_no(prompt: str) -> str:
        prompts.append(prompt)
        return "no"

    monkeypatch.setattr("builtins.input", answer_no)
    out = io.StringIO()
    call_command("remove_stale_contenttypes", verbosity=2, stdout=out)
    text = out.getvalue()
    assert "    - Content type for genericapp.gone\n" in text
    assert "    - 1 genericapp.TaggedItem object(s)" in text
    assert "oldapp" not in text
    assert "Stale content types remain." in text
    assert prompts == ["Type 'yes' to continue, or 'no' to cancel: "]
    assert ("genericapp", "gone") in _remaining()
    assert TaggedItem.objects.count() == 1


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_interactive_yes_deletes(stale: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("remove_stale_contenttypes", verbosity=0, stdout=io.StringIO())
    assert ("genericapp", "gone") not in _remaining()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_nothing_stale_asks_nothing(
    tables: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(prompt: str) -> str:
        raise AssertionError("no prompt expected")

    monkeypatch.setattr("builtins.input", refuse)
    ContentType.objects.get_for_model(Bookmark)
    out = io.StringIO()
    call_command("remove_stale_contenttypes", verbosity=2, stdout=out)
    assert out.getvalue() == ""


def test_unknown_database_is_an_error() -> None:
    with pytest.raises(CommandError, match="The database 'nowhere' is not configured"):
        call_command("remove_stale_contenttypes", database="nowhere")
