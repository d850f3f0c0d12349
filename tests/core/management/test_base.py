"""BaseCommand pieces: OutputWrapper, parsers, AppCommand, LabelCommand, colours."""

from __future__ import annotations

import io
from typing import Any

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import (
    AppCommand,
    CommandError,
    CommandParser,
    LabelCommand,
    OutputWrapper,
)
from manouche.core.management.color import color_style, make_style, no_style
from manouche.utils import termcolors


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_output_wrapper_adds_ending_once() -> None:
    out = io.StringIO()
    wrapper = OutputWrapper(out)
    wrapper.write("a")
    wrapper.write("b\n")
    wrapper.write("c", ending="")
    assert out.getvalue() == "a\nb\nc"


def test_output_wrapper_styles_only_ttys() -> None:
    plain, tty = io.StringIO(), TTY()
    for stream in (plain, tty):
        wrapper = OutputWrapper(stream)
        wrapper.style_func = str.upper
        wrapper.write("x")
    assert plain.getvalue() == "x\n"
    assert tty.getvalue() == "X\n"


def test_parser_error_outside_command_line_raises() -> None:
    parser = CommandParser(prog="p", missing_args_message="Give me something.")
    with pytest.raises(CommandError, match=r"Error: Give me something."):
        parser.parse_args([])


class Greeter(LabelCommand):
    label = "name"
    requires_system_checks: Any = []

    def handle_label(self, label: str, **options: Any) -> str:
        return f"hello {label}"


def test_label_command() -> None:
    assert call_command(Greeter(), "a", "b", stdout=io.StringIO()) == "hello a\nhello b"
    with pytest.raises(CommandError, match=r"Error: Enter at least one name."):
        call_command(Greeter())


class Labels(AppCommand):
    requires_system_checks: Any = []

    def handle_app_config(self, app_config: Any, **options: Any) -> str:
        return app_config.label


@pytest.mark.usefixtures("test_apps")
def test_app_command() -> None:
    assert call_command(Labels(), "testapp", stdout=io.StringIO()) == "testapp"
    with pytest.raises(CommandError) as excinfo:
        call_command(Labels(), "nope")
    assert str(excinfo.value) == (
        "No installed app with label 'nope'.. Are you sure your INSTALLED_APPS "
        "setting is correct?"
    )


def test_output_transaction_wraps_output() -> None:
    class Sql(LabelCommand):
        output_transaction = True
        requires_system_checks: Any = []

        def handle_label(self, label: str, **options: Any) -> str:
            return f"SELECT {label};"

    out = io.StringIO()
    call_command(Sql(), "1", stdout=out, no_color=True)
    assert out.getvalue() == "BEGIN;\nSELECT 1;\nCOMMIT;\n"


def test_colorize_and_palettes() -> None:
    assert termcolors.colorize("x", fg="red") == "\x1b[31mx\x1b[0m"
    assert termcolors.colorize("x", opts=("bold", "noreset")) == "\x1b[1mx"
    assert termcolors.parse_color_setting("nocolor") is None
    palette = termcolors.parse_color_setting("light;error=yellow/blue,blink")
    assert palette is not None
    assert palette["ERROR"] == {"fg": "yellow", "bg": "blue", "opts": ("blink",)}
    assert palette["SQL_KEYWORD"] == {"fg": "blue"}
    style = make_style("error=green")
    assert style.ERROR("e") == "\x1b[32me\x1b[0m"
    assert style.SUCCESS("s") == "\x1b[ms\x1b[0m"
    assert no_style().ERROR("e") == "e"


def test_color_style_respects_manouche_colors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MANOUCHE_COLORS", "nocolor")
    assert color_style(force_color=True).ERROR("e") == "e"
    monkeypatch.setenv("MANOUCHE_COLORS", "error=red")
    assert color_style(force_color=True).ERROR("e") == "\x1b[31me\x1b[0m"
    assert color_style().ERROR("e") == "e"  # not a terminal
