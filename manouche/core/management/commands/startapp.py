"""startapp: create an application directory from the app template."""

from __future__ import annotations

from typing import Any

from manouche.core.management.templates import TemplateCommand

__all__ = ["Command"]


class Command(TemplateCommand):
    """Create an app."""

    help = (
        "Creates a manouche app directory structure for the given app name in the "
        "current directory or optionally in the given directory."
    )
    missing_args_message = "You must provide an application name."

    def handle(self, *args: Any, **options: Any) -> None:
        app_name = options.pop("name")
        target = options.pop("directory")
        super().handle("app", app_name, target, **options)
