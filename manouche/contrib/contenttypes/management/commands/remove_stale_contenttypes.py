"""remove_stale_contenttypes: delete ContentType rows whose model is gone.

Deleting a content type cascades to every object that points at it (generic
relations, permissions...), so in interactive mode the command lists those
objects first and asks for confirmation.
"""

from __future__ import annotations

from typing import Any

from manouche.apps import apps
from manouche.contrib.contenttypes.management import get_contenttypes_and_models
from manouche.contrib.contenttypes.models import ContentType
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.models._io import run
from manouche.db.models.deletion import Collector

__all__ = ["Command"]


class _ListingCollector(Collector):
    """A collector that loads every dependent object, so they can be counted."""

    def can_fast_delete(self, objs: Any, from_field: Any = None) -> bool:
        return False


class Command(BaseCommand):
    """Delete the stale content types of the installed apps, after confirmation."""

    help = "Deletes stale content types in the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells Manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates the database to use. Defaults to the "default" database.',
        )
        parser.add_argument(
            "--include-stale-apps",
            action="store_true",
            default=False,
            help=(
                "Deletes stale content types including ones from previously "
                "installed apps that have been removed from INSTALLED_APPS."
            ),
        )

    def handle(self, **options: Any) -> None:
        using = options["database"]
        if using not in connections:
            raise CommandError(f"The database '{using}' is not configured.")
        stale = self._stale_content_types(using, options["include_stale_apps"])
        if not stale:
            return
        verbosity = options["verbosity"]
        if options["interactive"]:
            self.stdout.write(self._confirmation_text(stale, using))
            answer = input("Type 'yes' to continue, or 'no' to cancel: ")
        else:
            answer = "yes"
        if answer != "yes":
            if verbosity >= 2:
                self.stdout.write("Stale content types remain.")
            return
        for content_type in stale:
            if verbosity >= 2:
                self.stdout.write(
                    "Deleting stale content type "
                    f"'{content_type.app_label} | {content_type.model}'"
                )
            content_type.delete(using=using)

    def _stale_content_types(self, using: str, include_stale_apps: bool) -> list[Any]:
        """Return the rows of installed apps without a model, then stale apps'."""
        stale: list[Any] = []
        for app_config in apps.get_app_configs():
            content_types, app_models = get_contenttypes_and_models(
                app_config, using, ContentType
            )
            if content_types is None or app_models is None:
                continue
            stale.extend(
                row for name, row in content_types.items() if name not in app_models
            )
        if include_stale_apps:
            installed = {config.label for config in apps.get_app_configs()}
            stale.extend(
                ContentType.objects.using(using)
                .exclude(app_label__in=installed)
                .order_by("app_label", "model")
            )
        return stale

    def _confirmation_text(self, stale: list[Any], using: str) -> str:
        lines = []
        for content_type in stale:
            lines.append(
                f"    - Content type for {content_type.app_label}.{content_type.model}"
            )
            collector = _ListingCollector(using=using, origin=content_type)
            run(collector.collect([content_type]))
            for model, objects in collector.data.items():
                if model is ContentType._meta.concrete_model:
                    continue
                lines.append(f"    - {len(objects)} {model._meta.label} object(s)")
        listing = "\n".join(lines)
        return (
            "Some content types in your database are stale and can be deleted.\n"
            "Any objects that depend on these content types will also be "
            "deleted.\nThe content types and dependent objects that would be "
            f"deleted are:\n\n{listing}\n\n"
            "This list doesn't include any cascade deletions to data outside "
            "of Manouche's models (uncommon).\n\n"
            "Are you sure you want to delete these content types?\n"
            "If you're unsure, answer 'no'."
        )
