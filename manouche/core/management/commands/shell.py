"""shell: an interactive Python shell (IPython when installed) with settings loaded."""

from __future__ import annotations

import os
import select
import sys
import traceback
from typing import Any, ClassVar

from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.utils.module_loading import import_string

__all__ = ["Command"]


class Command(BaseCommand):
    """Start a Python shell, or run code given with -c or on stdin."""

    help = (
        "Runs a Python interactive interpreter. Tries to use IPython, if it's "
        "available. Any standard input is executed as code."
    )
    requires_system_checks: ClassVar[Any] = []
    shells: ClassVar[list[str]] = ["ipython", "python"]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-startup",
            action="store_true",
            help="When using plain Python, ignore the PYTHONSTARTUP environment "
            "variable and ~/.pythonrc.py script.",
        )
        parser.add_argument(
            "--no-imports",
            action="store_true",
            help="Disable automatic imports.",
        )
        parser.add_argument(
            "-i",
            "--interface",
            choices=self.shells,
            help="Specify an interactive interpreter interface. Available options: "
            '"ipython" and "python".',
        )
        parser.add_argument(
            "-c",
            "--command",
            help="Instead of opening an interactive shell, run a command as manouche "
            "and exit.",
        )

    def get_auto_imports(self) -> list[str]:
        """Return the dotted paths imported into the shell's namespace."""
        return ["manouche.conf.settings"]

    def get_namespace(self, **options: Any) -> dict[str, Any]:
        """Return the shell's namespace: the auto-imports, unless --no-imports."""
        if options.get("no_imports"):
            return {}
        namespace: dict[str, Any] = {}
        for path in self.get_auto_imports():
            try:
                namespace[path.rpartition(".")[2]] = import_string(path)
            except ImportError as error:
                if int(options.get("verbosity", 1)) >= 1:
                    self.stdout.write(
                        f"{path} could not be automatically imported: {error}"
                    )
        verbosity = int(options.get("verbosity", 1))
        if verbosity >= 1 and namespace:
            count = len(namespace)
            noun = "object" if count == 1 else "objects"
            detail = "" if verbosity >= 2 else " (use -v 2 for details)"
            self.stdout.write(f"{count} {noun} imported automatically{detail}.")
            if verbosity >= 2:
                self.stdout.write(
                    "\n".join(
                        f"  from {p.rpartition('.')[0]} import {p.rpartition('.')[2]}"
                        for p in self.get_auto_imports()
                    )
                )
        return namespace

    def ipython(self, **options: Any) -> None:
        """Start IPython."""
        from IPython import start_ipython

        start_ipython(argv=[], user_ns=self.get_namespace(**options))

    def python(self, **options: Any) -> None:
        """Start the standard interpreter, with tab completion and PYTHONSTARTUP."""
        import code

        namespace = self.get_namespace(**options)
        if not options.get("no_startup"):
            for path in (os.environ.get("PYTHONSTARTUP"), "~/.pythonrc.py"):
                if not path:
                    continue
                expanded = os.path.expanduser(path)
                if not os.path.isfile(expanded):
                    continue
                try:
                    with open(expanded) as handle:
                        exec(compile(handle.read(), expanded, "exec"), namespace)
                except Exception:
                    traceback.print_exc()
        try:
            import readline
            import rlcompleter

            readline.set_completer(rlcompleter.Completer(namespace).complete)
            readline.parse_and_bind("tab: complete")
        except ImportError:
            pass
        code.interact(local=namespace)

    def handle(self, *args: Any, **options: Any) -> None:
        command = options.get("command")
        if command:
            exec(command, {"__name__": "__main__", **self.get_namespace(**options)})
            return
        if (
            os.name != "nt"
            and not sys.stdin.isatty()
            and select.select([sys.stdin], [], [], 0)[0]
        ):
            code = sys.stdin.read()
            exec(code, {"__name__": "__main__", **self.get_namespace(**options)})
            return
        available = [options["interface"]] if options.get("interface") else self.shells
        for shell in available:
            try:
                getattr(self, shell)(**options)
                return
            except ImportError:
                pass
        raise CommandError(f"Couldn't import {available[0]} interface.")
