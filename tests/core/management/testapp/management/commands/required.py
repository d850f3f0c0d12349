"""A command with a required option and a required mutually exclusive group."""

from __future__ import annotations

from typing import Any

from manouche.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    requires_system_checks: Any = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--need", required=True, dest="needed")
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--left", action="store_true")
        group.add_argument("--right", type=int)

    def handle(self, *args: Any, **options: Any) -> str:
        needed, left, right = options["needed"], options["left"], options["right"]
        return f"needed={needed} left={left} right={right}"
