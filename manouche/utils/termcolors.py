"""ANSI terminal colours and the palettes that MANOUCHE_COLORS selects from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "DARK_PALETTE",
    "DEFAULT_PALETTE",
    "LIGHT_PALETTE",
    "NOCOLOR_PALETTE",
    "PALETTES",
    "background",
    "color_names",
    "colorize",
    "foreground",
    "make_style",
    "opt_dict",
    "parse_color_setting",
]

color_names = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
foreground = {name: f"3{index}" for index, name in enumerate(color_names)}
background = {name: f"4{index}" for index, name in enumerate(color_names)}

RESET = "0"
opt_dict = {
    "bold": "1",
    "underscore": "4",
    "blink": "5",
    "reverse": "7",
    "conceal": "8",
}


def colorize(text: str = "", opts: tuple[str, ...] = (), **kwargs: str) -> str:
    """Wrap ``text`` in ANSI codes for ``fg``/``bg`` colours and ``opts``.

    ``opts`` may hold bold, underscore, blink, reverse, conceal; ``noreset``
    leaves the style on after the text; ``colorize(opts=("reset",))`` resets.
    """
    if text == "" and opts == ("reset",):
        return f"\x1b[{RESET}m"
    codes: list[str] = []
    for key, value in kwargs.items():
        if key == "fg":
            codes.append(foreground[value])
        elif key == "bg":
            codes.append(background[value])
    codes.extend(opt_dict[option] for option in opts if option in opt_dict)
    if "noreset" not in opts:
        text = f"{text or ''}\x1b[{RESET}m"
    return f"\x1b[{';'.join(codes)}m{text or ''}"


def make_style(opts: tuple[str, ...] = (), **kwargs: str) -> Callable[[str], str]:
    """Return a function that colourises its argument with these settings."""
    return lambda text: colorize(text, opts, **kwargs)


NOCOLOR_PALETTE = "nocolor"
DARK_PALETTE = "dark"
LIGHT_PALETTE = "light"

_ROLES = (
    "ERROR",
    "SUCCESS",
    "WARNING",
    "NOTICE",
    "SQL_FIELD",
    "SQL_COLTYPE",
    "SQL_KEYWORD",
    "SQL_TABLE",
    "HTTP_INFO",
    "HTTP_SUCCESS",
    "HTTP_REDIRECT",
    "HTTP_NOT_MODIFIED",
    "HTTP_BAD_REQUEST",
    "HTTP_NOT_FOUND",
    "HTTP_SERVER_ERROR",
    "MIGRATE_HEADING",
    "MIGRATE_LABEL",
)

PALETTES: dict[str, dict[str, dict[str, Any]]] = {
    NOCOLOR_PALETTE: {role: {} for role in _ROLES},
    DARK_PALETTE: {
        "ERROR": {"fg": "red", "opts": ("bold",)},
        "SUCCESS": {"fg": "green", "opts": ("bold",)},
        "WARNING": {"fg": "yellow", "opts": ("bold",)},
        "NOTICE": {"fg": "red"},
        "SQL_FIELD": {"fg": "green", "opts": ("bold",)},
        "SQL_COLTYPE": {"fg": "green"},
        "SQL_KEYWORD": {"fg": "yellow"},
        "SQL_TABLE": {"opts": ("bold",)},
        "HTTP_INFO": {"opts": ("bold",)},
        "HTTP_SUCCESS": {},
        "HTTP_REDIRECT": {"fg": "green"},
        "HTTP_NOT_MODIFIED": {"fg": "cyan"},
        "HTTP_BAD_REQUEST": {"fg": "red", "opts": ("bold",)},
        "HTTP_NOT_FOUND": {"fg": "yellow"},
        "HTTP_SERVER_ERROR": {"fg": "magenta", "opts": ("bold",)},
        "MIGRATE_HEADING": {"fg": "cyan", "opts": ("bold",)},
        "MIGRATE_LABEL": {"opts": ("bold",)},
    },
    LIGHT_PALETTE: {
        "ERROR": {"fg": "red", "opts": ("bold",)},
        "SUCCESS": {"fg": "green", "opts": ("bold",)},
        "WARNING": {"fg": "yellow", "opts": ("bold",)},
        "NOTICE": {"fg": "red"},
        "SQL_FIELD": {"fg": "green", "opts": ("bold",)},
        "SQL_COLTYPE": {"fg": "green"},
        "SQL_KEYWORD": {"fg": "blue"},
        "SQL_TABLE": {"opts": ("bold",)},
        "HTTP_INFO": {"opts": ("bold",)},
        "HTTP_SUCCESS": {},
        "HTTP_REDIRECT": {"fg": "green", "opts": ("bold",)},
        "HTTP_NOT_MODIFIED": {"fg": "green"},
        "HTTP_BAD_REQUEST": {"fg": "red", "opts": ("bold",)},
        "HTTP_NOT_FOUND": {"fg": "red"},
        "HTTP_SERVER_ERROR": {"fg": "magenta", "opts": ("bold",)},
        "MIGRATE_HEADING": {"fg": "cyan", "opts": ("bold",)},
        "MIGRATE_LABEL": {"opts": ("bold",)},
    },
}
DEFAULT_PALETTE = DARK_PALETTE


def _parse_role(definition: str) -> dict[str, Any] | None:
    """Parse ``fg/bg,opt,opt`` into make_style() keyword arguments."""
    styles = definition.split(",")
    colours = styles.pop(0).split("/")
    definition_dict: dict[str, Any] = {}
    foreground_name = colours.pop(0)
    if foreground_name in color_names:
        definition_dict["fg"] = foreground_name
    if colours and colours[-1] in color_names:
        definition_dict["bg"] = colours[-1]
    options = tuple(style for style in styles if style in opt_dict)
    if options:
        definition_dict["opts"] = options
    return definition_dict or None


def parse_color_setting(config_string: str) -> dict[str, dict[str, Any]] | None:
    """Turn a MANOUCHE_COLORS value into a palette; None means no colours.

    The value is a palette name (dark, light, nocolor) and/or ``;``-separated
    ``role=fg/bg,option`` entries, e.g. ``"light;error=yellow/blue,blink"``.
    """
    if not config_string:
        return PALETTES[DEFAULT_PALETTE]
    palette = dict(PALETTES[NOCOLOR_PALETTE])
    for part in config_string.lower().split(";"):
        if part in PALETTES:
            palette.update(PALETTES[part])
        elif "=" in part:
            role, definition = part.split("=", 1)
            role = role.upper()
            if role in palette:
                parsed = _parse_role(definition)
                if parsed is not None:
                    palette[role] = parsed
    if palette == PALETTES[NOCOLOR_PALETTE]:
        return None
    return palette
