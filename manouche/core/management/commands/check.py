"""check: run the system checks and report what they find."""

from __future__ import annotations

from typing import Any, ClassVar

from manouche.apps import apps
from manouche.core import checks
from manouche.core.checks.registry import registry
from manouche.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["Command"]


class Command(BaseCommand):
    """Check the project for problems."""

    help = "Checks the entire manouche project for potential problems."
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("args", metavar="app_label", nargs="*")
        parser.add_argument(
            "--tag",
            "-t",
            action="append",
            dest="tags",
            help="Run only checks labeled with given tag.",
        )
        parser.add_argument(
            "--list-tags", action="store_true", help="List available tags."
        )
        parser.add_argument(
            "--deploy", action="store_true", help="Check deployment settings."
        )
        parser.add_argument(
            "--fail-level",
            default="ERROR",
            choices=["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"],
            help="Message level that will cause the command to exit with a non-zero "
            "status. Default is ERROR.",
        )
        parser.add_argument(
            "--database",
            action="append",
            dest="databases",
            help="Run database related checks against these aliases.",
        )

    def handle(self, *app_labels: str, **options: Any) -> None:
        include_deployment_checks = bool(options.get("deploy"))
        if options.get("list_tags"):
            available = registry.tags_available(include_deployment_checks)
            self.stdout.write("\n".join(sorted(available)))
            return
        app_configs = None
        if app_labels:
            try:
                app_configs = [apps.get_app_config(label) for label in app_labels]
            except LookupError as error:
                raise CommandError(str(error).strip("'\""))
        tags = options.get("tags")
        if tags:
            for tag in tags:
                if not checks.tag_exists(tag, include_deployment_checks):
                    raise CommandError(
                        f'There is no system check with the "{tag}" tag.'
                    )
        self.check(
            app_configs=app_configs,
            tags=tags,
            display_num_errors=True,
            include_deployment_checks=include_deployment_checks,
            fail_level=getattr(checks, options.get("fail_level", "ERROR")),
            databases=options.get("databases"),
        )
