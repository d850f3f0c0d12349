"""diffsettings: show how the project's settings differ from the defaults."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from manouche.core.management.base import BaseCommand, CommandParser

__all__ = ["Command", "module_to_dict"]


def module_to_dict(
    module: Any, omittable: Callable[[str], bool] = lambda k: k.startswith("_")
) -> dict[str, str]:
    """Return ``{NAME: repr(value)}`` for the upper-case names of ``module``."""
    return {
        name: repr(getattr(module, name))
        for name in dir(module)
        if name.isupper() and not omittable(name)
    }


class Command(BaseCommand):
    """Print the settings that differ from the defaults."""

    help = (
        "Displays differences between the current settings.py and manouche's default "
        "settings."
    )
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help='Display all settings, regardless of their value. In "hash" mode, '
            'default values are prefixed by "###".',
        )
        parser.add_argument(
            "--default",
            metavar="MODULE",
            help="The settings module to compare the current settings against. Leave "
            "empty to compare against manouche's default settings.",
        )
        parser.add_argument(
            "--output",
            default="hash",
            choices=("hash", "unified"),
            help="Selects the output format. 'hash' mode displays each changed "
            "setting, with the settings that don't appear in the defaults followed "
            "by ###. 'unified' mode prefixes the default setting with a minus sign, "
            "followed by the changed setting prefixed with a plus sign.",
        )

    def handle(self, *args: Any, **options: Any) -> str:
        from manouche.conf import Settings, global_settings, settings

        if not settings.configured:
            settings._setup()
        user_settings = module_to_dict(settings._wrapped)
        default = options.get("default")
        default_settings = module_to_dict(
            Settings(default) if default else global_settings
        )
        output_func = {"hash": self.output_hash, "unified": self.output_unified}[
            options.get("output", "hash")
        ]
        return "\n".join(output_func(user_settings, default_settings, **options))

    def output_hash(
        self,
        user_settings: dict[str, str],
        default_settings: dict[str, str],
        **options: Any,
    ) -> list[str]:
        """Changed settings as ``NAME = value``; ``###`` marks non-default names."""
        output = []
        for key in sorted(user_settings):
            if key not in default_settings:
                output.append(f"{key} = {user_settings[key]}  ###")
            elif user_settings[key] != default_settings[key]:
                output.append(f"{key} = {user_settings[key]}")
            elif options.get("all"):
                output.append(f"### {key} = {user_settings[key]}")
        return output

    def output_unified(
        self,
        user_settings: dict[str, str],
        default_settings: dict[str, str],
        **options: Any,
    ) -> list[str]:
        """Changed settings as a diff: ``- default`` then ``+ current``."""
        output = []
        for key in sorted(user_settings):
            if key not in default_settings:
                output.append(self.style.SUCCESS(f"+ {key} = {user_settings[key]}"))
            elif user_settings[key] != default_settings[key]:
                output.append(self.style.ERROR(f"- {key} = {default_settings[key]}"))
                output.append(self.style.SUCCESS(f"+ {key} = {user_settings[key]}"))
            elif options.get("all"):
                output.append(f"  {key} = {user_settings[key]}")
        return output
