"""Colours for management command output, chosen by MANOUCHE_COLORS."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any

from manouche.utils import termcolors

__all__ = ["Style", "color_style", "make_style", "no_style", "supports_color"]


class Style:
    """One style function per palette role: ``style.ERROR(text)``, ``style.SUCCESS``."""

    ERROR: Callable[[str], str]
    ERROR_OUTPUT: Callable[[str], str]
    SUCCESS: Callable[[str], str]
    WARNING: Callable[[str], str]
    NOTICE: Callable[[str], str]
    SQL_FIELD: Callable[[str], str]
    SQL_COLTYPE: Callable[[str], str]
    SQL_KEYWORD: Callable[[str], str]
    SQL_TABLE: Callable[[str], str]
    HTTP_INFO: Callable[[str], str]
    HTTP_SUCCESS: Callable[[str], str]
    HTTP_REDIRECT: Callable[[str], str]
    HTTP_NOT_MODIFIED: Callable[[str], str]
    HTTP_BAD_REQUEST: Callable[[str], str]
    HTTP_NOT_FOUND: Callable[[str], str]
    HTTP_SERVER_ERROR: Callable[[str], str]
    MIGRATE_HEADING: Callable[[str], str]
    MIGRATE_LABEL: Callable[[str], str]

    def __getattr__(self, name: str) -> Any:
        # Unknown roles stay readable rather than crash a command.
        if name.isupper():
            return _identity
        raise AttributeError(name)


def _identity(text: str) -> str:
    return text


def supports_color() -> bool:
    """Tell whether stdout is a terminal that shows ANSI colours."""
    if os.environ.get("NO_COLOR"):
        return False
    is_a_tty = hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
    if not is_a_tty:
        return False
    if os.name != "nt":
        return True
    return bool(
        "ANSICON" in os.environ
        or "WT_SESSION" in os.environ
        or os.environ.get("TERM_PROGRAM") == "vscode"
        or os.environ.get("TERM", "").startswith("xterm")
    )


def make_style(config_string: str = "") -> Style:
    """Build a Style from a MANOUCHE_COLORS-like configuration string."""
    style = Style()
    color_settings = termcolors.parse_color_setting(config_string)
    for role in termcolors.PALETTES[termcolors.NOCOLOR_PALETTE]:
        if color_settings:
            style_func = termcolors.make_style(**color_settings.get(role, {}))
        else:
            style_func = _identity
        setattr(style, role, style_func)
    style.ERROR_OUTPUT = style.ERROR
    return style


@functools.cache
def no_style() -> Style:
    """Return a Style that leaves text alone."""
    return make_style("nocolor")


def color_style(force_color: bool = False) -> Style:
    """Return the MANOUCHE_COLORS style, or no colours when the terminal has none."""
    if not force_color and not supports_color():
        return no_style()
    return make_style(os.environ.get("MANOUCHE_COLORS", ""))
