"""A command of the test app: options of every kind, for call_command tests."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Dance around."
    requires_system_checks: Any = []
    stealth_options = ("secret",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("steps", nargs="*")
        parser.add_argument("-s", "--style", default="tango")
        parser.add_argument("--speed", type=int, default=1)
        parser.add_argument("--fail", action="store_true")
        parser.add_argument("--count", action="count", default=0)

    def handle(self, *args: str, **options: Any) -> str:
        steps = options["steps"]
        if options["fail"]:
            raise CommandError("I can't dance.", returncode=3)
        self.stdout.write(f"secret={options.get('secret')}")
        return f"{options['style']} x{options['speed']} steps={list(steps)}"
