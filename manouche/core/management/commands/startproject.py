"""startproject: create a project directory from the project template."""

from __future__ import annotations

from typing import Any

from manouche.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from manouche.core.management.templates import TemplateCommand
from manouche.core.management.utils import get_random_secret_key

__all__ = ["Command"]


class Command(TemplateCommand):
    """Create a project."""

    help = (
        "Creates a manouche project directory structure for the given project name "
        "in the current directory or optionally in the given directory."
    )
    missing_args_message = "You must provide a project name."

    def handle(self, *args: Any, **options: Any) -> None:
        project_name = options.pop("name")
        target = options.pop("directory")
        # A development key, marked insecure so "check --deploy" flags it.
        options["secret_key"] = SECRET_KEY_INSECURE_PREFIX + get_random_secret_key()
        super().handle("project", project_name, target, **options)
