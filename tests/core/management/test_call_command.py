"""call_command: option names, required options, errors, output streams."""

from __future__ import annotations

from io import StringIO

import pytest

from manouche.core.management import call_command, get_commands, load_command_class
from manouche.core.management.base import BaseCommand, CommandError

pytestmark = pytest.mark.usefixtures("test_apps")


def test_app_commands_are_discovered_and_first_app_wins() -> None:
    commands = get_commands()
    assert commands["dance"] == "tests.core.management.testapp"
    assert commands["required"] == "tests.core.management.testapp"
    assert commands["check"] == "tests.core.management.otherapp"
    assert commands["startproject"] == "manouche.core"


def test_options_by_dest_name_or_option_name() -> None:
    out = StringIO()
    result = call_command("dance", "one", "two", style="waltz", speed=3, stdout=out)
    assert result == "waltz x3 steps=['one', 'two']"
    assert out.getvalue() == "secret=None\nwaltz x3 steps=['one', 'two']\n"
    with pytest.raises(TypeError, match="Unknown option"):
        call_command("dance", s="salsa")  # short option strings are not names
    assert call_command("dance", speed="7", stdout=StringIO()).startswith("tango x7")


def test_command_line_style_arguments() -> None:
    result = call_command("dance", "--style=jive", "--speed", "2", stdout=StringIO())
    assert result == "jive x2 steps=[]"


def test_stealth_option_is_accepted() -> None:
    out = StringIO()
    call_command("dance", secret="s3", stdout=out)
    assert "secret=s3" in out.getvalue()


def test_unknown_option_lists_valid_options() -> None:
    with pytest.raises(TypeError) as excinfo:
        call_command("dance", colour="red")
    message = str(excinfo.value)
    assert message.startswith("Unknown option(s) for dance command: colour. ")
    assert "Valid options are: " in message
    assert message.endswith(
        "Valid options are: count, fail, force_color, help, no_color, pythonpath, "
        "secret, settings, speed, stderr, stdout, steps, style, traceback, "
        "verbosity, version."
    )


def test_unknown_command() -> None:
    with pytest.raises(CommandError, match="Unknown command: 'tango'"):
        call_command("tango")
    # A one-item tuple names the command it holds, as in Django.
    with pytest.raises(CommandError) as excinfo:
        call_command(("explode",))  # type: ignore[arg-type]
    assert str(excinfo.value) == "Unknown command: 'explode'"


def test_bad_argument_raises_command_error_with_message() -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("dance", "--speed", "fast")
    assert str(excinfo.value) == ("Error: argument --speed: invalid int value: 'fast'")


def test_command_error_keeps_returncode() -> None:
    with pytest.raises(CommandError, match=r"I can't dance.") as excinfo:
        call_command("dance", fail=True)
    assert excinfo.value.returncode == 3


def test_required_options_and_required_group_by_dest() -> None:
    result = call_command("required", needed="x", right=4)
    assert result == "needed=x left=False right=4"
    assert call_command("required", need="y", left=True) == (
        "needed=y left=True right=None"
    )


def test_missing_required_option_is_a_command_error() -> None:
    with pytest.raises(CommandError, match="the following arguments are required"):
        call_command("required", left=True)


def test_command_instance_can_be_passed() -> None:
    command = load_command_class("tests.core.management.testapp", "dance")
    assert call_command(command, speed=5, stdout=StringIO()) == "tango x5 steps=[]"


def test_stderr_and_no_color() -> None:
    err = StringIO()
    command = load_command_class("manouche.core", "check")
    command.stderr.write("x")  # the default stream still works
    call_command("version", stderr=err, stdout=StringIO(), no_color=True)
    assert err.getvalue() == ""


def test_no_color_and_force_color_together_are_refused() -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("version", no_color=True, force_color=True)
    assert str(excinfo.value) == (
        "The --no-color and --force-color options can't be used together."
    )


def test_base_command_handle_must_be_overridden() -> None:
    with pytest.raises(NotImplementedError, match="must provide a handle"):
        call_command(BaseCommand())


def test_requires_system_checks_must_be_a_list() -> None:
    class Broken(BaseCommand):
        requires_system_checks = "urls"

    with pytest.raises(TypeError, match="requires_system_checks must be a list"):
        Broken()
