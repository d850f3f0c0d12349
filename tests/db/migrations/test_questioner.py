"""The questions makemigrations asks, interactively and with --noinput."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest

from manouche.db import models
from manouche.db.migrations.questioner import (
    InteractiveMigrationQuestioner,
    MigrationQuestioner,
    NonInteractiveMigrationQuestioner,
)
from manouche.utils import timezone


class FakeState:
    def __init__(self, app_label: str, name: str) -> None:
        self.app_label = app_label
        self.name = name


def answers(*replies: str) -> Callable[[str], str]:
    pending = list(replies)

    def reply(prompt: str) -> str:
        return pending.pop(0)

    return reply


def interactive(*replies: str) -> tuple[InteractiveMigrationQuestioner, io.StringIO]:
    output = io.StringIO()
    questioner = InteractiveMigrationQuestioner(
        prompt_output=output, input_function=answers(*replies)
    )
    return questioner, output


def test_base_questioner_answers_from_defaults() -> None:
    questioner = MigrationQuestioner()
    field = models.CharField(max_length=2)
    assert questioner.ask_rename("book", "a", "b", field) is False
    assert (
        questioner.ask_rename_model(FakeState("a", "B"), FakeState("a", "C")) is False
    )
    assert questioner.ask_merge("app") is False
    assert questioner.ask_not_null_addition("f", "m") is None
    assert questioner.ask_not_null_alteration("f", "m") is None
    yes = MigrationQuestioner(
        defaults={"ask_rename": True, "ask_rename_model": True, "ask_merge": True}
    )
    assert yes.ask_rename("book", "a", "b", field) is True
    assert yes.ask_rename_model(FakeState("a", "B"), FakeState("a", "C")) is True
    assert yes.ask_merge("app") is True


def test_ask_initial_for_specified_app() -> None:
    assert MigrationQuestioner(specified_apps={"anything"}).ask_initial("anything")
    assert not MigrationQuestioner().ask_initial("not_an_installed_app")
    assert MigrationQuestioner(defaults={"ask_initial": True}).ask_initial("nope")


@pytest.mark.parametrize(
    ("reply", "expected"), [("y", True), ("n", False), ("", False)]
)
def test_ask_rename_reads_yes_no(reply: str, expected: bool) -> None:
    questioner, output = interactive(reply)
    field = models.IntegerField()
    assert questioner.ask_rename("book", "pages", "page_count", field) is expected
    assert (
        "Was book.pages renamed to book.page_count (a IntegerField)? [y/N]"
        in output.getvalue()
    )


def test_boolean_input_repeats_until_yes_or_no() -> None:
    questioner, output = interactive("maybe", "yes")
    assert questioner.ask_rename_model(
        FakeState("shop", "Item"), FakeState("shop", "Product")
    )
    text = output.getvalue()
    assert "Was the model shop.Item renamed to Product? [y/N]" in text
    assert "Please answer yes or no" in text


def test_ask_merge() -> None:
    questioner, output = interactive("y")
    assert questioner.ask_merge("shop") is True
    assert "Should these migration branches be merged" in output.getvalue()


def test_not_null_addition_takes_a_python_default() -> None:
    questioner, output = interactive("1", "42")
    assert questioner.ask_not_null_addition("age", "author") == 42
    text = output.getvalue()
    assert "non-nullable field 'age' to author" in text
    assert "timezone.now" in text


def test_not_null_addition_accepts_timezone_now() -> None:
    questioner, _ = interactive("1", "timezone.now")
    assert questioner.ask_not_null_addition("created", "post") is timezone.now
    questioner, _ = interactive("1", "datetime.date(2026, 1, 2)")
    assert questioner.ask_not_null_addition("day", "post") == datetime.date(2026, 1, 2)


def test_invalid_default_is_asked_again() -> None:
    questioner, output = interactive(
        "1", "", "not valid python(", "undefined_name", "'ok'"
    )
    assert questioner.ask_not_null_addition("title", "book") == "ok"
    text = output.getvalue()
    assert "Please enter some code" in text
    assert text.count("Invalid input") == 2


def test_invalid_choice_is_asked_again() -> None:
    questioner, output = interactive("9", "x", "1", "5")
    assert questioner.ask_not_null_addition("n", "m") == 5
    assert "Please select a valid option" in output.getvalue()


def test_quitting_exits_with_status_3() -> None:
    questioner, _ = interactive("2")
    with pytest.raises(SystemExit) as excinfo:
        questioner.ask_not_null_addition("age", "author")
    assert excinfo.value.code == 3


def test_typing_exit_leaves_the_prompt() -> None:
    questioner, _ = interactive("1", "exit")
    with pytest.raises(SystemExit) as excinfo:
        questioner.ask_not_null_addition("age", "author")
    assert excinfo.value.code == 1


def test_not_null_alteration_choices() -> None:
    questioner, _ = interactive("1", "'x'")
    assert questioner.ask_not_null_alteration("name", "author") == "x"
    questioner, _ = interactive("2")
    assert questioner.ask_not_null_alteration("name", "author") is models.NOT_PROVIDED
    questioner, _ = interactive("3")
    with pytest.raises(SystemExit):
        questioner.ask_not_null_alteration("name", "author")


def test_auto_now_add_defaults_to_timezone_now() -> None:
    questioner, output = interactive("1", "")
    assert questioner.ask_auto_now_add_addition("created", "post") is timezone.now
    assert "[default: timezone.now]" in output.getvalue()


def test_unique_callable_default_warns() -> None:
    questioner, output = interactive("1")
    assert questioner.ask_unique_callable_default_addition("code", "item") is None
    assert "will not generate unique values" in output.getvalue()
    questioner, _ = interactive("2")
    with pytest.raises(SystemExit):
        questioner.ask_unique_callable_default_addition("code", "item")


def test_dry_run_asks_nothing() -> None:
    questioner = InteractiveMigrationQuestioner(
        dry_run=True, prompt_output=io.StringIO(), input_function=answers()
    )
    assert questioner.ask_not_null_addition("a", "b") is None
    assert questioner.ask_not_null_alteration("a", "b") is None
    assert questioner.ask_auto_now_add_addition("a", "b") is None


def noninteractive(
    verbosity: int = 1,
) -> tuple[NonInteractiveMigrationQuestioner, list[str]]:
    logged: list[str] = []
    return NonInteractiveMigrationQuestioner(
        verbosity=verbosity, log=logged.append
    ), logged


def test_noinput_not_null_addition_explains_and_exits() -> None:
    questioner, logged = noninteractive()
    with pytest.raises(SystemExit) as excinfo:
        questioner.ask_not_null_addition("age", "author")
    assert excinfo.value.code == 3
    assert logged == [
        "Field 'age' on model 'author' not migrated: it is impossible to add a "
        "non-nullable field without specifying a default."
    ]


def test_noinput_auto_now_add_exits() -> None:
    questioner, logged = noninteractive()
    with pytest.raises(SystemExit):
        questioner.ask_auto_now_add_addition("created", "post")
    assert "auto_now_add=True" in logged[0]


def test_noinput_not_null_alteration_is_not_provided() -> None:
    questioner, logged = noninteractive()
    assert questioner.ask_not_null_alteration("name", "author") is models.NOT_PROVIDED
    assert "given a default of NOT PROVIDED" in logged[0]


def test_noinput_never_renames_and_says_so() -> None:
    questioner, logged = noninteractive()
    field: Any = models.IntegerField()
    assert questioner.ask_rename("book", "pages", "page_count", field) is False
    assert (
        questioner.ask_rename_model(
            FakeState("shop", "Item"), FakeState("shop", "Product")
        )
        is False
    )
    assert len(logged) == 2
    assert "--noinput" in logged[0]
    assert "book.pages" in logged[0]
    assert "--noinput" in logged[1]
    assert "shop.Item" in logged[1]


def test_noinput_quiet_at_verbosity_0() -> None:
    questioner, logged = noninteractive(verbosity=0)
    questioner.ask_rename("book", "a", "b", models.IntegerField())
    with pytest.raises(SystemExit):
        questioner.ask_not_null_addition("age", "author")
    assert logged == []


def test_control_c_at_a_prompt_cancels_the_command() -> None:
    def interrupt(prompt: str) -> str:
        raise KeyboardInterrupt

    output = io.StringIO()
    questioner = InteractiveMigrationQuestioner(
        prompt_output=output, input_function=interrupt
    )
    with pytest.raises(SystemExit) as exit_info:
        questioner.ask_rename("book", "title", "name", models.CharField())
    assert exit_info.value.code == 1
    assert "Cancelled." in output.getvalue()


def test_input_is_looked_up_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    questioner = InteractiveMigrationQuestioner(prompt_output=io.StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert questioner.ask_merge("shop") is True
