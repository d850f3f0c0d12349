"""flush: empties the installed models' tables, asks first, sends post_migrate."""

from __future__ import annotations

import builtins
import io
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.db.models.signals import post_migrate
from tests.db.conftest import DatabaseFixture
from tests.db.models.modelapp.models import Author, Book, Tag
from tests.db.serializers.fixtureapp.models import Country


@pytest.fixture
def migrate_signals() -> Iterator[list[str]]:
    labels: list[str] = []

    def receiver(sender: Any, app_config: Any, using: str, **kwargs: Any) -> None:
        labels.append(app_config.label)

    post_migrate.connect(receiver)
    yield labels
    post_migrate.disconnect(receiver)


def _rows() -> None:
    author = Author.objects.create(name="a")
    Book.objects.create(title="t", author=author).tags.add(Tag.objects.create(name="x"))
    Country.objects.create(code="fr", name="France")


def test_noinput_empties_tables_and_sends_post_migrate(
    fdb: DatabaseFixture, migrate_signals: list[str]
) -> None:
    _rows()
    call_command("flush", interactive=False, verbosity=0)
    assert not Author.objects.exists()
    assert not Book.objects.exists()
    assert not Country.objects.exists()
    assert {"modelapp", "fixtureapp"} <= set(migrate_signals)
    # Sequences restart where the backend can.
    assert Country.objects.create(code="be", name="Belgium").pk >= 1


def test_interactive_flush_asks_and_can_be_cancelled(
    fdb: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rows()
    prompts: list[str] = []

    def answer(prompt: str) -> str:
        prompts.append(prompt)
        return "no"

    monkeypatch.setattr(builtins, "input", answer)
    out = io.StringIO()
    call_command("flush", stdout=out)
    assert "IRREVERSIBLY DESTROY all data" in prompts[0]
    assert out.getvalue() == "Flush cancelled.\n"
    assert Author.objects.count() == 1
    monkeypatch.setattr(builtins, "input", lambda prompt: "yes")
    call_command("flush", stdout=out, verbosity=0)
    assert not Author.objects.exists()


@pytest.mark.parametrize("_fixture_database", ["sqlite"], indirect=True)
def test_unknown_database_alias(fdb: DatabaseFixture) -> None:
    with pytest.raises(CommandError, match="The database 'other' is not configured"):
        call_command("flush", interactive=False, database="other")
