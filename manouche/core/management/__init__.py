"""The ``manouche`` command line: finding, loading and running management commands.

Commands come from ``manouche/core/management/commands`` and from each
installed app's ``management/commands`` package; an app listed earlier in INSTALLED_APPS
wins over later ones, and any app wins over manouche's own commands.
"""

from __future__ import annotations

import functools
import os
import pkgutil
import sys
from argparse import (
    Action,
    ArgumentParser,
    _AppendConstAction,
    _CountAction,
    _StoreConstAction,
    _SubParsersAction,
)
from collections import defaultdict
from collections.abc import Iterator
from difflib import get_close_matches
from importlib import import_module
from typing import Any

import manouche
from manouche.apps import apps
from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    handle_default_options,
)
from manouche.core.management.color import color_style

__all__ = [
    "ManagementUtility",
    "call_command",
    "execute_from_command_line",
    "find_commands",
    "get_commands",
    "load_command_class",
]

CORE_APP = "manouche.core"


def find_commands(management_dir: str) -> list[str]:
    """Return the command names in ``<management_dir>/commands``."""
    command_dir = os.path.join(management_dir, "commands")
    return [
        name
        for _, name, is_package in pkgutil.iter_modules([command_dir])
        if not is_package and not name.startswith("_")
    ]


def load_command_class(app_name: str, name: str) -> BaseCommand:
    """Import ``<app_name>.management.commands.<name>`` and return its Command()."""
    module = import_module(f"{app_name}.management.commands.{name}")
    command: BaseCommand = module.Command()
    return command


@functools.cache
def get_commands() -> dict[str, str]:
    """Map each command name to the app that provides it (``manouche.core`` for ours).

    Cached; the cache is cleared when INSTALLED_APPS changes in tests.
    """
    commands = dict.fromkeys(find_commands(__path__[0]), CORE_APP)
    if not settings.configured:
        return commands
    for app_config in reversed(apps.get_app_configs()):
        path = os.path.join(app_config.path, "management")
        commands.update(dict.fromkeys(find_commands(path), app_config.name))
    return commands


def _walk_actions(parser: ArgumentParser) -> Iterator[Action]:
    for action in parser._actions:
        if isinstance(action, _SubParsersAction):
            for subparser in action.choices.values():
                yield from _walk_actions(subparser)
        else:
            yield action


def _shown_name(command_name: Any) -> Any:
    """The name to report: a one-item tuple, as Django's ``%r`` formatting
    unpacks it, shows as the name it holds."""
    if isinstance(command_name, tuple) and len(command_name) == 1:
        return command_name[0]
    return command_name


def call_command(command_name: str | BaseCommand, *args: Any, **options: Any) -> Any:
    """Run a command from Python, as if typed on the command line.

    Options go by dest name (``call_command("check", fail_level="WARNING")``)
    or option name (``call_command("check", **{"fail-level": "WARNING"})``);
    positional ``args`` are passed as strings. Checks are skipped unless
    ``skip_checks=False`` is given.
    """
    if isinstance(command_name, BaseCommand):
        command = command_name
        command_name = type(command).__module__.rpartition(".")[2]
    else:
        try:
            app_name = get_commands()[command_name]
        except KeyError:
            raise CommandError(f"Unknown command: {_shown_name(command_name)!r}")
        command = load_command_class(app_name, command_name)

    parser = command.create_parser("", command_name)
    opt_mapping = {
        min(action.option_strings).lstrip("-").replace("-", "_"): action.dest
        for action in parser._actions
        if action.option_strings
    }
    arg_options = {opt_mapping.get(key, key): value for key, value in options.items()}
    parse_args: list[str] = []
    for arg in args:
        if isinstance(arg, list | tuple):
            parse_args.extend(map(str, arg))
        else:
            parse_args.append(str(arg))

    parser_actions = list(_walk_actions(parser))
    required_in_groups = {
        action
        for group in parser._mutually_exclusive_groups
        if group.required
        for action in group._group_actions
    }
    # Required options must reach argparse, or it refuses the command line.
    for action in parser_actions:
        if action.dest not in arg_options or not (
            action.required or action in required_in_groups
        ):
            continue
        if sum(dest == action.dest for dest in opt_mapping.values()) > 1:
            raise TypeError(
                f"Cannot pass the dest {action.dest!r} that matches multiple "
                "arguments via **options."
            )
        parse_args.append(min(action.option_strings))
        if isinstance(action, _AppendConstAction | _CountAction | _StoreConstAction):
            continue
        value = arg_options[action.dest]
        if isinstance(value, list | tuple):
            parse_args.extend(map(str, value))
        else:
            parse_args.append(str(value))

    defaults = dict(vars(parser.parse_args(args=parse_args)), **arg_options)
    stealth_options = set(command.base_stealth_options + command.stealth_options)
    dest_parameters = {action.dest for action in parser_actions}
    valid_options = (dest_parameters | stealth_options).union(opt_mapping)
    unknown_options = set(options) - valid_options
    if unknown_options:
        raise TypeError(
            f"Unknown option(s) for {command_name} command: "
            f"{', '.join(sorted(unknown_options))}. "
            f"Valid options are: {', '.join(sorted(valid_options))}."
        )
    positional = defaults.pop("args", ())
    if "skip_checks" not in options:
        defaults["skip_checks"] = True
    return command.execute(*positional, **defaults)


class ManagementUtility:
    """What ``manouche`` and ``manage.py`` run: pick the command and hand it argv."""

    def __init__(self, argv: list[str] | None = None) -> None:
        self.argv = argv or sys.argv[:]
        self.prog_name = os.path.basename(self.argv[0])
        if self.prog_name == "__main__.py":
            self.prog_name = "python -m manouche"
        self.settings_exception: Exception | None = None

    def main_help_text(self, commands_only: bool = False) -> str:
        """Return the list of commands, grouped by the app providing them."""
        if commands_only:
            return "\n".join(sorted(get_commands()))
        usage = [
            "",
            f"Type '{self.prog_name} help <subcommand>' for help on a specific "
            "subcommand.",
            "",
            "Available subcommands:",
        ]
        commands_dict: defaultdict[str, list[str]] = defaultdict(list)
        for name, app in get_commands().items():
            label = "manouche" if app == CORE_APP else app.rpartition(".")[2]
            commands_dict[label].append(name)
        style = color_style()
        for app in sorted(commands_dict):
            usage.append("")
            usage.append(style.NOTICE(f"[{app}]"))
            usage.extend(f"    {name}" for name in sorted(commands_dict[app]))
        if self.settings_exception is not None:
            usage.append(
                style.NOTICE(
                    "Note that only manouche core commands are listed as settings are "
                    f"not properly configured (error: {self.settings_exception})."
                )
            )
        return "\n".join(usage)

    def fetch_command(self, subcommand: str) -> BaseCommand:
        """Return the command object; exit with a suggestion if there is none."""
        commands = get_commands()
        try:
            app_name = commands[subcommand]
        except KeyError:
            if os.environ.get("MANOUCHE_SETTINGS_MODULE"):
                # Surface a broken settings module rather than "unknown command".
                settings.INSTALLED_APPS  # noqa: B018
            elif not settings.configured:
                sys.stderr.write("No manouche settings specified.\n")
            possible_matches = get_close_matches(subcommand, commands)
            sys.stderr.write(f"Unknown command: {subcommand!r}")
            if possible_matches:
                sys.stderr.write(f". Did you mean {possible_matches[0]}?")
            sys.stderr.write(f"\nType '{self.prog_name} help' for usage.\n")
            sys.exit(1)
        return load_command_class(app_name, subcommand)

    def execute(self) -> None:
        """Run the command named in argv, or print help or the version."""
        try:
            subcommand = self.argv[1]
        except IndexError:
            subcommand = "help"
        parser = CommandParser(
            prog=self.prog_name,
            usage="%(prog)s subcommand [options] [args]",
            add_help=False,
            allow_abbrev=False,
        )
        parser.add_argument("--settings")
        parser.add_argument("--pythonpath")
        parser.add_argument("args", nargs="*")
        try:
            options, _ = parser.parse_known_args(self.argv[2:])
            handle_default_options(options)
        except CommandError:
            options = None
        try:
            settings.INSTALLED_APPS  # noqa: B018 - loads settings, or says why not
        except (ImproperlyConfigured, ImportError) as exc:
            self.settings_exception = exc
        if settings.configured:
            manouche.setup()
        self._dispatch(subcommand, options)

    def _dispatch(self, subcommand: str, options: Any) -> None:
        positional = list(getattr(options, "args", None) or [])
        if subcommand == "help":
            if "--commands" in self.argv[2:]:
                sys.stdout.write(self.main_help_text(commands_only=True) + "\n")
            elif not positional:
                sys.stdout.write(self.main_help_text() + "\n")
            else:
                command = self.fetch_command(positional[0])
                command.print_help(self.prog_name, positional[0])
        elif subcommand == "version" or self.argv[1:] == ["--version"]:
            sys.stdout.write(manouche.get_version() + "\n")
        elif self.argv[1:] in (["--help"], ["-h"]):
            sys.stdout.write(self.main_help_text() + "\n")
        else:
            self.fetch_command(subcommand).run_from_argv(self.argv)


def execute_from_command_line(argv: list[str] | None = None) -> None:
    """Run the management utility on ``argv`` (``sys.argv`` by default)."""
    utility = ManagementUtility(argv)
    utility.execute()
