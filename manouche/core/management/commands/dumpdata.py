"""dumpdata: write the database's contents as a fixture."""

from __future__ import annotations

import gzip
import warnings
from collections.abc import Iterator
from typing import IO, Any

from manouche.apps import apps
from manouche.core import serializers
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, router

__all__ = ["Command", "ProxyModelWarning"]


class ProxyModelWarning(Warning):
    """A proxy model was named: its rows are dumped through its concrete model."""


def _open_output(path: str) -> IO[str]:
    """Open ``path`` for text writing, compressed according to its extension."""
    import bz2
    import lzma

    openers: dict[str, Any] = {
        ".gz": gzip.open,
        ".bz2": bz2.open,
        ".xz": lzma.open,
        ".lzma": lambda name, mode: lzma.open(  # noqa: SIM115 - caller closes
            name, mode, format=lzma.FORMAT_ALONE
        ),
    }
    for extension, opener in openers.items():
        if path.endswith(extension):
            stream: IO[str] = opener(path, "wt")
            return stream
    if path.endswith(".zip"):
        warnings.warn(
            "Unsupported file extension (.zip). Fixtures saved in 'file.json'.",
            RuntimeWarning,
            stacklevel=2,
        )
        path = path.removesuffix(".zip")
    return open(path, "w", encoding="utf-8")


class Command(BaseCommand):
    """Dump the database's rows (all apps, some apps or some models)."""

    help = (
        "Output the contents of the database as a fixture of the given format "
        "(using each model's default manager unless --all is specified)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="app_label[.ModelName]",
            nargs="*",
            help="Restricts dumped data to the specified app_label or "
            "app_label.ModelName.",
        )
        parser.add_argument(
            "--format",
            default="json",
            help="Specifies the output serialization format for fixtures.",
        )
        parser.add_argument(
            "--indent",
            type=int,
            help="Specifies the indent level to use when pretty-printing output.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a specific database to dump fixtures from. "
            'Defaults to the "default" database.',
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            help="An app_label or app_label.ModelName to exclude (use multiple "
            "--exclude to exclude multiple apps/models).",
        )
        parser.add_argument(
            "--natural-foreign",
            action="store_true",
            dest="use_natural_foreign_keys",
            help="Use natural foreign keys if they are available.",
        )
        parser.add_argument(
            "--natural-primary",
            action="store_true",
            dest="use_natural_primary_keys",
            help="Use natural primary keys if they are available.",
        )
        parser.add_argument(
            "-a",
            "--all",
            action="store_true",
            dest="use_base_manager",
            help="Use Manouche's base manager to dump all models stored in the "
            "database, including those that would otherwise be filtered or "
            "modified by a custom manager.",
        )
        parser.add_argument(
            "--pks",
            dest="primary_keys",
            help="Only dump objects with given primary keys. Accepts a "
            "comma-separated list of keys. This option only works when you "
            "specify one model.",
        )
        parser.add_argument(
            "-o", "--output", help="Specifies file to which the output is written."
        )

    def handle(self, *app_labels: str, **options: Any) -> None:
        format = options["format"]
        using = options["database"]
        output = options.get("output")
        primary_keys = _split_pks(options.get("primary_keys"))
        if primary_keys and len(app_labels) != 1:
            raise CommandError("You can only use --pks option with one model")
        excluded_apps, excluded_models = _excluded(options["exclude"])
        app_list = self._app_list(app_labels, excluded_apps, excluded_models)
        if primary_keys and (
            len(app_list) != 1 or app_list[0][1] is None or len(app_list[0][1]) != 1
        ):
            raise CommandError("You can only use --pks option with one model")
        try:
            serializer_class = serializers.get_serializer(format)
        except serializers.SerializerDoesNotExist:
            raise CommandError(f"Unknown serialization format: {format}") from None
        if getattr(serializer_class, "internal_use_only", False):
            raise CommandError(f"Unknown serialization format: {format}")
        if options["use_natural_foreign_keys"]:
            try:
                models = serializers.sort_dependencies(app_list, allow_cycles=True)
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
        else:
            models = _flatten(app_list)
        models = [m for m in models if m not in excluded_models]
        stream: IO[str] | None = _open_output(output) if output else None
        progress_output = None
        object_count = 0
        if stream is not None and options["verbosity"] > 0 and self.stdout.isatty():
            progress_output = self.stdout
            object_count = sum(
                self._queryset(model, using, options, primary_keys).count()
                for model in self._dumpable(models, using)
            )
        # The serializer writes fragments: no newline after each one.
        self.stdout.ending = ""
        try:
            serializers.serialize(
                format,
                self._objects(models, using, options, primary_keys),
                indent=options["indent"],
                use_natural_foreign_keys=options["use_natural_foreign_keys"],
                use_natural_primary_keys=options["use_natural_primary_keys"],
                stream=stream or self.stdout,
                progress_output=progress_output,
                object_count=object_count,
            )
        except CommandError:
            raise
        except Exception as exc:
            if options["traceback"]:
                raise
            raise CommandError(f"Unable to serialize database: {exc}") from exc
        finally:
            if stream is not None:
                stream.close()

    def _app_list(
        self,
        labels: tuple[str, ...],
        excluded_apps: set[Any],
        excluded_models: set[Any],
    ) -> list[tuple[Any, list[Any] | None]]:
        """Return [(app_config, models or None for all)] for ``labels``."""
        if not labels:
            return [
                (config, None)
                for config in apps.get_app_configs()
                if config.models_module is not None and config not in excluded_apps
            ]
        result: dict[Any, list[Any] | None] = {}
        for label in labels:
            app_label, _, model_name = label.partition(".")
            config = _app_config(app_label)
            if config in excluded_apps:
                continue
            if not model_name:
                result[config] = None
                continue
            try:
                model = config.get_model(model_name)
            except LookupError:
                raise CommandError(f"Unknown model: {app_label}.{model_name}") from None
            if config in result and result[config] is None:
                continue
            chosen = result.setdefault(config, [])
            assert chosen is not None
            if model not in chosen:
                chosen.append(model)
        return list(result.items())

    def _dumpable(self, models: list[Any], using: str) -> Iterator[Any]:
        for model in models:
            if model._meta.proxy:
                concrete = model._meta.concrete_model
                if concrete not in models:
                    warnings.warn(
                        f"{model._meta.label} is a proxy model and won't be "
                        "serialized.",
                        ProxyModelWarning,
                        stacklevel=2,
                    )
                continue
            if not router.allow_migrate_model(using, model):
                continue
            yield model

    def _queryset(
        self, model: Any, using: str, options: dict[str, Any], pks: list[str]
    ) -> Any:
        manager = (
            model._base_manager
            if options["use_base_manager"]
            else model._default_manager
        )
        queryset = manager.using(using).order_by(model._meta.pk.name)
        if pks:
            queryset = queryset.filter(pk__in=pks)
        return queryset

    def _objects(
        self, models: list[Any], using: str, options: dict[str, Any], pks: list[str]
    ) -> Iterator[Any]:
        for model in self._dumpable(models, using):
            yield from self._queryset(model, using, options, pks).iterator()


def _split_pks(value: str | None) -> list[str]:
    if not value:
        return []
    return [pk.strip() for pk in value.split(",") if pk.strip()]


def _app_config(app_label: str) -> Any:
    try:
        return apps.get_app_config(app_label)
    except LookupError as exc:
        raise CommandError(str(exc).strip("'\"")) from None


def _excluded(labels: list[str]) -> tuple[set[Any], set[Any]]:
    excluded_apps: set[Any] = set()
    excluded_models: set[Any] = set()
    for label in labels:
        if "." in label:
            try:
                excluded_models.add(apps.get_model(label))
            except LookupError:
                raise CommandError(f"Unknown model in excludes: {label}") from None
        else:
            try:
                excluded_apps.add(apps.get_app_config(label))
            except LookupError:
                raise CommandError(f"No installed app with label '{label}'.") from None
    return excluded_apps, excluded_models


def _flatten(app_list: list[tuple[Any, list[Any] | None]]) -> list[Any]:
    models: list[Any] = []
    for config, chosen in app_list:
        for model in chosen if chosen is not None else config.get_models():
            if model not in models:
                models.append(model)
    return models
