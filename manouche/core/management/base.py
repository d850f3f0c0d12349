"""BaseCommand and its kin: what every ``manouche <command>`` is built on.

A command parses its arguments with CommandParser, runs the system checks it
asks for, then calls ``handle()``. Errors meant for the user are CommandError;
from the command line they print one line and exit with ``returncode``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from io import TextIOBase
from typing import IO, Any, ClassVar, TypeVar

import manouche
from manouche.core import checks
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.management.color import Style, color_style, no_style

__all__ = [
    "ALL_CHECKS",
    "AppCommand",
    "BaseCommand",
    "CommandError",
    "CommandParser",
    "DjangoHelpFormatter",
    "LabelCommand",
    "OutputWrapper",
    "SystemCheckError",
    "handle_default_options",
    "no_translations",
]

ALL_CHECKS = "__all__"

_F = TypeVar("_F", bound=Callable[..., Any])


class CommandError(Exception):
    """A problem the user should fix; printed without a traceback."""

    def __init__(self, *args: Any, returncode: int = 1, **kwargs: Any) -> None:
        self.returncode = returncode
        super().__init__(*args, **kwargs)


class SystemCheckError(CommandError):
    """The system checks found serious problems."""


class CommandParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors become CommandError outside the command line."""

    def __init__(
        self,
        *,
        missing_args_message: str | None = None,
        called_from_command_line: bool | None = None,
        **kwargs: Any,
    ) -> None:
        self.missing_args_message = missing_args_message
        self.called_from_command_line = called_from_command_line
        super().__init__(**kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: Any = None
    ) -> argparse.Namespace:
        if self.missing_args_message and not (
            args or any(not arg.startswith("-") for arg in args or ())
        ):
            self.error(self.missing_args_message)
        return super().parse_args(args, namespace)  # type: ignore[no-any-return]

    def error(self, message: str) -> Any:
        if self.called_from_command_line:
            super().error(message)
        raise CommandError(f"Error: {message}")

    def add_subparsers(self, **kwargs: Any) -> Any:
        parser_class = kwargs.get("parser_class", type(self))
        if issubclass(parser_class, CommandParser):
            kwargs["parser_class"] = functools.partial(
                parser_class, called_from_command_line=self.called_from_command_line
            )
        return super().add_subparsers(**kwargs)


def handle_default_options(options: argparse.Namespace) -> None:
    """Apply --settings and --pythonpath before settings are first read."""
    if getattr(options, "settings", None):
        os.environ["MANOUCHE_SETTINGS_MODULE"] = options.settings
    if getattr(options, "pythonpath", None):
        sys.path.insert(0, options.pythonpath)


def no_translations(handle_func: _F) -> _F:
    """Run ``handle()`` with translations deactivated, when i18n is available."""

    @functools.wraps(handle_func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            translation = importlib.import_module("manouche.utils.translation")
        except ImportError:
            return handle_func(*args, **kwargs)
        saved_locale = translation.get_language()
        translation.deactivate_all()
        try:
            return handle_func(*args, **kwargs)
        finally:
            if saved_locale is not None:
                translation.activate(saved_locale)

    return wrapper  # type: ignore[return-value]


class DjangoHelpFormatter(argparse.HelpFormatter):
    """List a command's own options before the options every command shares."""

    show_last = {
        "--version",
        "--verbosity",
        "--traceback",
        "--settings",
        "--pythonpath",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }

    def _reordered_actions(
        self, actions: Iterable[argparse.Action]
    ) -> list[argparse.Action]:
        return sorted(
            actions,
            key=lambda action: bool(set(action.option_strings) & self.show_last),
        )

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, self._reordered_actions(actions), groups, prefix)

    def add_arguments(self, actions: Iterable[argparse.Action]) -> None:
        super().add_arguments(self._reordered_actions(actions))


class OutputWrapper(TextIOBase):
    """A stream wrapper that adds ``ending`` and styles text when writing to a tty."""

    def __init__(self, out: IO[str], ending: str = "\n") -> None:
        self._out = out
        self._style_func: Callable[[str], str] = _identity
        self.ending = ending

    @property
    def style_func(self) -> Callable[[str], str]:
        """The function applied to each message (identity unless writing to a tty)."""
        return self._style_func

    @style_func.setter
    def style_func(self, style_func: Callable[[str], str] | None) -> None:
        if style_func and self.isatty():
            self._style_func = style_func
        else:
            self._style_func = _identity

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)

    def flush(self) -> None:
        if hasattr(self._out, "flush"):
            self._out.flush()

    def isatty(self) -> bool:
        return hasattr(self._out, "isatty") and bool(self._out.isatty())

    def write(  # type: ignore[override]
        self,
        msg: str = "",
        style_func: Callable[[str], str] | None = None,
        ending: str | None = None,
    ) -> None:
        ending = self.ending if ending is None else ending
        if ending and not msg.endswith(ending):
            msg += ending
        style_func = style_func or self.style_func
        self._out.write(style_func(msg))


def _identity(text: str) -> str:
    return text


class BaseCommand:
    """The base of every management command; subclasses implement ``handle()``."""

    help = ""
    _called_from_command_line = False
    output_transaction = False
    requires_migrations_checks = False
    requires_system_checks: ClassVar[str | Sequence[str]] = ALL_CHECKS
    base_stealth_options: ClassVar[tuple[str, ...]] = ("stderr", "stdout")
    stealth_options: ClassVar[tuple[str, ...]] = ()
    suppressed_base_arguments: ClassVar[set[str]] = set()
    missing_args_message: str | None = None

    def __init__(
        self,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        no_color: bool = False,
        force_color: bool = False,
    ) -> None:
        self.stdout = OutputWrapper(stdout or sys.stdout)
        self.stderr = OutputWrapper(stderr or sys.stderr)
        if no_color and force_color:
            raise CommandError("'no_color' and 'force_color' can't be used together.")
        self.style: Style = no_style() if no_color else color_style(force_color)
        if not no_color:
            self.stderr.style_func = self.style.ERROR
        if self.requires_system_checks != ALL_CHECKS and not isinstance(
            self.requires_system_checks, list | tuple
        ):
            raise TypeError("requires_system_checks must be a list or tuple.")

    def get_version(self) -> str:
        """Return the version shown by ``--version``."""
        return manouche.get_version()

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        """Build the parser: the shared options, then the command's own."""
        kwargs.setdefault("formatter_class", DjangoHelpFormatter)
        parser = CommandParser(
            prog=f"{os.path.basename(prog_name)} {subcommand}",
            description=self.help or None,
            missing_args_message=self.missing_args_message,
            called_from_command_line=self._called_from_command_line,
            **kwargs,
        )
        self.add_base_argument(
            parser,
            "--version",
            action="version",
            version=self.get_version(),
            help="Show program's version number and exit.",
        )
        self.add_base_argument(
            parser,
            "-v",
            "--verbosity",
            default=1,
            type=int,
            choices=[0, 1, 2, 3],
            help=(
                "Verbosity level; 0=minimal output, 1=normal output, 2=verbose output, "
                "3=very verbose output"
            ),
        )
        self.add_base_argument(
            parser,
            "--settings",
            help=(
                'The Python path to a settings module, e.g. "myproject.settings.main". '
                "If this isn't provided, the MANOUCHE_SETTINGS_MODULE environment "
                "variable will be used."
            ),
        )
        self.add_base_argument(
            parser,
            "--pythonpath",
            help='A directory to add to the Python path, e.g. "/home/me/myproject".',
        )
        self.add_base_argument(
            parser,
            "--traceback",
            action="store_true",
            help="Display a full stack trace on CommandError exceptions.",
        )
        self.add_base_argument(
            parser,
            "--no-color",
            action="store_true",
            help="Don't colorize the command output.",
        )
        self.add_base_argument(
            parser,
            "--force-color",
            action="store_true",
            help="Force colorization of the command output.",
        )
        if self.requires_system_checks:
            parser.add_argument(
                "--skip-checks", action="store_true", help="Skip system checks."
            )
        self.add_arguments(parser)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        """Add the command's own arguments; override it."""

    def add_base_argument(
        self, parser: CommandParser, *args: str, **kwargs: Any
    ) -> None:
        """Add a shared option, hidden if named in ``suppressed_base_arguments``."""
        if (
            self.suppressed_base_arguments
            and set(args) & self.suppressed_base_arguments
        ):
            kwargs["help"] = argparse.SUPPRESS
        parser.add_argument(*args, **kwargs)

    def print_help(self, prog_name: str, subcommand: str) -> None:
        """Print the command's help."""
        parser = self.create_parser(prog_name, subcommand)
        parser.print_help()

    def run_from_argv(self, argv: list[str]) -> None:
        """Parse ``argv`` (program, command, arguments); exit on CommandError."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as error:
            if options.traceback:
                raise
            if isinstance(error, SystemCheckError):
                self.stderr.write(str(error), _identity)
            else:
                self.stderr.write(f"{type(error).__name__}: {error}")
            sys.exit(error.returncode)
        finally:
            _close_connections()

    def execute(self, *args: Any, **options: Any) -> str | None:
        """Run checks as asked, then ``handle()``; write what it returns."""
        if options.get("force_color") and options.get("no_color"):
            raise CommandError(
                "The --no-color and --force-color options can't be used together."
            )
        if options.get("force_color"):
            self.style = color_style(force_color=True)
        elif options.get("no_color"):
            self.style = no_style()
            self.stderr.style_func = None
        if options.get("stdout"):
            self.stdout = OutputWrapper(options["stdout"])
        if options.get("stderr"):
            self.stderr = OutputWrapper(options["stderr"])
        if self.requires_system_checks and not options.get("skip_checks"):
            if self.requires_system_checks == ALL_CHECKS:
                self.check()
            else:
                self.check(tags=self.requires_system_checks)
        if self.requires_migrations_checks:
            self.check_migrations()
        output = self.handle(*args, **options)
        if output:
            if self.output_transaction:
                output = (
                    f"{self.style.SQL_KEYWORD('BEGIN;')}\n{output}\n"
                    f"{self.style.SQL_KEYWORD('COMMIT;')}"
                )
            self.stdout.write(output)
        return output

    def check(
        self,
        app_configs: Sequence[Any] | None = None,
        tags: Iterable[str] | None = None,
        display_num_errors: bool = False,
        include_deployment_checks: bool = False,
        fail_level: int = checks.ERROR,
        databases: Sequence[str] | None = None,
    ) -> None:
        """Run the system checks; raise SystemCheckError on serious findings."""
        all_issues = checks.run_checks(
            app_configs=app_configs,
            tags=tags,
            include_deployment_checks=include_deployment_checks,
            databases=databases,
        )
        visible = [issue for issue in all_issues if not issue.is_silenced()]
        body = self._format_issues(visible)
        header = "System check identified some issues:\n" if visible else ""
        footer = ""
        if display_num_errors:
            if visible:
                footer += "\n"
            count = len(visible)
            described = (
                "no issues"
                if count == 0
                else "1 issue"
                if count == 1
                else f"{count} issues"
            )
            silenced = len(all_issues) - count
            footer += f"System check identified {described} ({silenced} silenced)."
        if any(issue.is_serious(fail_level) for issue in visible):
            message = self.style.ERROR(f"SystemCheckError: {header}") + body + footer
            raise SystemCheckError(message)
        message = header + body + footer
        if message:
            if visible:
                self.stderr.write(message, _identity)
            else:
                self.stdout.write(message)

    def _format_issues(self, issues: list[checks.CheckMessage]) -> str:
        groups = (
            ("CRITICALS", checks.CRITICAL, None),
            ("ERRORS", checks.ERROR, checks.CRITICAL),
            ("WARNINGS", checks.WARNING, checks.ERROR),
            ("INFOS", checks.INFO, checks.WARNING),
            ("DEBUGS", None, checks.INFO),
        )
        body = ""
        for name, low, high in groups:
            members = [
                issue
                for issue in issues
                if (low is None or issue.level >= low)
                and (high is None or issue.level < high)
            ]
            if members:
                formatted = sorted(
                    self.style.ERROR(str(issue))
                    if issue.is_serious()
                    else self.style.WARNING(str(issue))
                    for issue in members
                )
                body += f"\n{name}:\n" + "\n".join(formatted) + "\n"
        return body

    def check_migrations(self) -> None:
        """Warn about unapplied migrations on the default database."""
        from manouche.db import DEFAULT_DB_ALIAS, connections
        from manouche.db.migrations.executor import MigrationExecutor

        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        except ImproperlyConfigured:
            # No database configured: nothing to migrate.
            return
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            return
        waiting = ", ".join(sorted({migration.app_label for migration, _ in plan}))
        self.stdout.write(
            self.style.NOTICE(
                f"\nYou have {len(plan)} unapplied migration(s). Your project may "
                "not work properly until you apply the migrations for app(s): "
                f"{waiting}."
            )
        )
        self.stdout.write(self.style.NOTICE("Run 'manouche migrate' to apply them."))

    def handle(self, *args: Any, **options: Any) -> str | None:
        """Do the command's work; return text to print, or None."""
        raise NotImplementedError(
            "subclasses of BaseCommand must provide a handle() method"
        )


class AppCommand(BaseCommand):
    """A command that takes one or more installed app labels."""

    missing_args_message = "Enter at least one application label."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="app_label",
            nargs="+",
            help="One or more application label.",
        )

    def handle(self, *app_labels: str, **options: Any) -> str | None:
        from manouche.apps import apps

        try:
            app_configs = [apps.get_app_config(label) for label in app_labels]
        except (LookupError, ImportError) as error:
            raise CommandError(
                f"{error}. Are you sure your INSTALLED_APPS setting is correct?"
            )
        output = []
        for app_config in app_configs:
            app_output = self.handle_app_config(app_config, **options)
            if app_output:
                output.append(app_output)
        return "\n".join(output)

    def handle_app_config(self, app_config: Any, **options: Any) -> str | None:
        """Do the work for one app; override it."""
        raise NotImplementedError(
            "Subclasses of AppCommand must provide a handle_app_config() method."
        )


class LabelCommand(BaseCommand):
    """A command that takes one or more arbitrary labels."""

    label = "label"
    missing_args_message = "Enter at least one %s."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.missing_args_message and "%s" in self.missing_args_message:
            self.missing_args_message = self.missing_args_message % self.label

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", metavar=self.label, nargs="+")

    def handle(self, *labels: str, **options: Any) -> str | None:
        output = []
        for label in labels:
            label_output = self.handle_label(label, **options)
            if label_output:
                output.append(label_output)
        return "\n".join(output)

    def handle_label(self, label: str, **options: Any) -> str | None:
        """Do the work for one label; override it."""
        raise NotImplementedError(
            "Subclasses of LabelCommand must provide a handle_label() method"
        )


def _close_connections() -> None:
    """Close database connections once the database layer exists."""
    db = sys.modules.get("manouche.db")
    if db is None or not hasattr(db, "connections"):
        return
    try:
        db.connections.close_all()
    except ImproperlyConfigured:
        pass
