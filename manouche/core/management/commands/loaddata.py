"""loaddata: install fixtures into the database, all or nothing."""

from __future__ import annotations

import glob
import os
import sys
import warnings
import zipfile
from typing import Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.core import serializers
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.management._fixtures import (
    check_constraints,
    relaxed_constraints,
    reset_sequences,
)
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connections,
    router,
    transaction,
)

__all__ = ["Command", "READ_STDIN"]

READ_STDIN = "-"


class _SingleZipReader(zipfile.ZipFile):
    """A zip archive holding exactly one fixture file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(self.namelist()) != 1:
            raise ValueError("Zip-compressed fixtures must contain one file.")

    def read(self, name: Any = None, pwd: Any = None) -> bytes:
        """Return the bytes of the only member."""
        return zipfile.ZipFile.read(self, self.namelist()[0])


def _compression_formats() -> dict[str | None, Any]:
    import bz2
    import gzip
    import lzma

    return {
        None: lambda path: open(path, "rb"),
        "stdin": lambda path: sys.stdin.buffer,
        "gz": lambda path: gzip.GzipFile(path, "rb"),
        "zip": lambda path: _SingleZipReader(path),
        "bz2": lambda path: bz2.BZ2File(path, "rb"),
        "xz": lambda path: lzma.LZMAFile(path, "rb"),
        "lzma": lambda path: lzma.LZMAFile(path, "rb"),
    }


class Command(BaseCommand):
    """Install the named fixtures in one transaction."""

    help = "Installs the named fixture(s) in the database."
    missing_args_message = (
        "No database fixture specified. Please provide the path of at least "
        "one fixture in the command line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args", metavar="fixture", nargs="+", help="Fixture labels."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a specific database to load fixtures into. "
            'Defaults to the "default" database.',
        )
        parser.add_argument(
            "--app",
            dest="app_label",
            help="Only look for fixtures in the specified app.",
        )
        parser.add_argument(
            "--ignorenonexistent",
            "-i",
            action="store_true",
            dest="ignore",
            help="Ignores entries in the serialized data for fields that do not "
            "currently exist on the model.",
        )
        parser.add_argument(
            "-e",
            "--exclude",
            action="append",
            default=[],
            help="An app_label or app_label.ModelName to exclude. Can be used "
            "multiple times.",
        )
        parser.add_argument(
            "--format",
            help="Format of serialized data when reading from stdin.",
        )

    def handle(self, *fixture_labels: str, **options: Any) -> None:
        self.ignore = options["ignore"]
        self.using = options["database"]
        self.app_label = options["app_label"]
        self.verbosity = options["verbosity"]
        self.format = options["format"]
        self.excluded_apps, self.excluded_models = _parse_excludes(options["exclude"])
        if self.app_label:
            _app_config(self.app_label)
        if self.using not in connections:
            raise CommandError(f"The database '{self.using}' is not configured.")
        connection = connections[self.using]
        with transaction.atomic(using=self.using), relaxed_constraints(connection):
            self.loaddata(fixture_labels)

    def loaddata(self, fixture_labels: tuple[str, ...]) -> None:
        """Load every label; check keys and sequences (inside the transaction)."""
        connection = connections[self.using]
        self.fixture_count = 0
        self.loaded_object_count = 0
        self.fixture_object_count = 0
        self.models: set[Any] = set()
        self.model_files: dict[Any, list[str]] = {}
        self.objs_with_deferred_fields: list[Any] = []
        self.serialization_formats = serializers.get_public_serializer_formats()
        if READ_STDIN in fixture_labels and not self.format:
            raise CommandError("--format must be specified when reading from stdin.")
        for fixture_label in fixture_labels:
            if fixture_label != READ_STDIN:
                # Resolve every label first: a missing one fails before writing.
                self.find_fixtures(fixture_label)
        for fixture_label in fixture_labels:
            self.load_label(fixture_label)
        for obj in self.objs_with_deferred_fields:
            try:
                obj.save_deferred_fields(using=self.using)
            except (serializers.DeserializationError, DatabaseError) as exc:
                raise CommandError(f"Problem installing fixtures: {exc}") from exc
        for model, source in _with_through_models(self.models):
            try:
                check_constraints(connection, [model])
            except DatabaseError as exc:
                files = ", ".join(f"'{name}'" for name in self.model_files[source])
                raise CommandError(
                    f"Problem installing fixture {files}: {exc}"
                ) from exc
        if self.loaded_object_count > 0:
            reset_sequences(connection, self.models)
        if self.verbosity >= 1:
            if self.fixture_object_count == self.loaded_object_count:
                self.stdout.write(
                    f"Installed {self.loaded_object_count} object(s) from "
                    f"{self.fixture_count} fixture(s)"
                )
            else:
                self.stdout.write(
                    f"Installed {self.loaded_object_count} object(s) (of "
                    f"{self.fixture_object_count}) from {self.fixture_count} "
                    "fixture(s)"
                )

    def load_label(self, fixture_label: str) -> None:
        """Load the fixture files found for one label."""
        for fixture_file, fixture_dir, fixture_name in self.find_fixtures(
            fixture_label
        ):
            _, ser_fmt, cmp_fmt = self.parse_name(os.path.basename(fixture_file))
            if ser_fmt is None:
                raise CommandError(
                    f"Problem installing fixture '{fixture_file}': no format "
                    "could be told from its name."
                )
            opener = _compression_formats()[cmp_fmt]
            fixture = opener(fixture_file)
            self.fixture_count += 1
            if self.verbosity >= 2:
                self.stdout.write(
                    f"Installing {ser_fmt} fixture '{fixture_name}' from "
                    f"{_humanize(fixture_dir)}."
                )
            try:
                count = self._load_file(fixture, fixture_file, ser_fmt)
            finally:
                if fixture is not sys.stdin.buffer:
                    fixture.close()
            if count == 0:
                warnings.warn(
                    f"No fixture data found for '{fixture_name}'. (File format "
                    "may be invalid.)",
                    RuntimeWarning,
                    stacklevel=2,
                )

    def _load_file(self, fixture: Any, fixture_file: str, ser_fmt: str) -> int:
        """Deserialize and save one file; return the number of objects read."""
        count = 0
        try:
            objects = serializers.deserialize(
                ser_fmt,
                fixture.read(),
                using=self.using,
                ignorenonexistent=self.ignore,
                handle_forward_references=True,
                dependency_order=True,
            )
            for obj in objects:
                count += 1
                self._save(obj, fixture_file)
        except CommandError:
            raise
        except Exception as exc:
            raise CommandError(
                f"Problem installing fixture '{fixture_file}': {exc}"
            ) from exc
        return count

    def _save(self, obj: Any, fixture_file: str) -> None:
        model = type(obj.object)
        self.fixture_object_count += 1
        if model._meta.app_config in self.excluded_apps or (
            model in self.excluded_models
        ):
            return
        if not router.allow_migrate_model(self.using, model):
            return
        self.loaded_object_count += 1
        self.models.add(model)
        files = self.model_files.setdefault(model, [])
        if fixture_file not in files:
            files.append(fixture_file)
        try:
            obj.save(using=self.using)
        except Exception as exc:
            raise CommandError(
                f"Could not load {model._meta.label}(pk={obj.object.pk}) from "
                f"fixture '{fixture_file}': {exc}"
            ) from exc
        if self.verbosity >= 3:
            self.stdout.write(f"Processed object: {obj.object!r}")
        if obj.deferred_fields:
            self.objs_with_deferred_fields.append(obj)

    # Finding fixture files.

    def parse_name(self, fixture_name: str) -> tuple[str, str | None, str | None]:
        """Split ``name[.format][.compression]`` into its parts."""
        if fixture_name == READ_STDIN:
            if not self.format:
                raise CommandError(
                    "--format must be specified when reading from stdin."
                )
            return READ_STDIN, self.format, "stdin"
        parts = fixture_name.rsplit(".", 2)
        cmp_fmt: str | None = None
        if len(parts) > 1 and parts[-1] in _compression_formats():
            cmp_fmt = parts[-1]
            parts = parts[:-1]
        ser_fmt: str | None = None
        if len(parts) > 1:
            if parts[-1] in self.serialization_formats:
                ser_fmt = parts[-1]
                parts = parts[:-1]
            else:
                raise CommandError(
                    f"Problem installing fixture '{'.'.join(parts[:-1])}': "
                    f"{parts[-1]} is not a known serialization format."
                )
        return ".".join(parts), ser_fmt, cmp_fmt

    def find_fixtures(self, fixture_label: str) -> list[tuple[str, str, str]]:
        """Return (path, directory, name) of the files matching the label."""
        if fixture_label == READ_STDIN:
            return [(READ_STDIN, "", READ_STDIN)]
        fixture_name, ser_fmt, cmp_fmt = self.parse_name(
            os.path.basename(fixture_label)
        )
        if (
            os.path.isabs(fixture_label)
            or os.sep in fixture_label
            or ("/" in fixture_label)
        ):
            fixture_dirs = [os.path.dirname(fixture_label)]
        else:
            fixture_dirs = self.fixture_dirs()
        targets = self.get_targets(fixture_name, ser_fmt, cmp_fmt)
        found: list[tuple[str, str, str]] = []
        for fixture_dir in fixture_dirs:
            files = _matching_files(fixture_dir, fixture_name, targets)
            if len(files) > 1:
                raise CommandError(
                    f"Multiple fixtures named '{fixture_name}' in "
                    f"{_humanize(fixture_dir)}. Aborting."
                )
            found.extend((path, fixture_dir, fixture_name) for path in files)
        if not found:
            raise CommandError(f"No fixture named '{fixture_name}' found.")
        return found

    def get_targets(
        self, fixture_name: str, ser_fmt: str | None, cmp_fmt: str | None
    ) -> set[str]:
        """The file names a label may have (formats and compressions filled in)."""
        databases = [self.using, None]
        formats = [ser_fmt] if ser_fmt else self.serialization_formats
        compressions = [cmp_fmt] if cmp_fmt else list(_compression_formats())
        names = set()
        for database in databases:
            for format in formats:
                for compression in compressions:
                    if compression == "stdin":
                        continue
                    parts = [fixture_name, database, format, compression]
                    names.add(".".join(part for part in parts if part))
        return names

    def fixture_dirs(self) -> list[str]:
        """Each app's fixtures/ directory, FIXTURE_DIRS, then the current one."""
        dirs: list[str] = []
        fixture_dirs = [str(path) for path in getattr(settings, "FIXTURE_DIRS", [])]
        if len(fixture_dirs) != len(set(fixture_dirs)):
            raise ImproperlyConfigured("settings.FIXTURE_DIRS contains duplicates.")
        for app_config in apps.get_app_configs():
            app_dir = os.path.join(app_config.path, "fixtures")
            if app_dir in fixture_dirs:
                raise ImproperlyConfigured(
                    f"'{app_dir}' is a default fixture directory for the "
                    f"'{app_config.label}' app and cannot be listed in "
                    "settings.FIXTURE_DIRS."
                )
            if self.app_label and app_config.label != self.app_label:
                continue
            if os.path.isdir(app_dir):
                dirs.append(app_dir)
        dirs.extend(fixture_dirs)
        dirs.append("")
        return [os.path.realpath(d) if d else d for d in dirs]


def _matching_files(
    fixture_dir: str, fixture_name: str, targets: set[str]
) -> list[str]:
    pattern = os.path.join(glob.escape(fixture_dir or "."), glob.escape(fixture_name))
    found = []
    for candidate in glob.iglob(pattern + "*"):
        if os.path.basename(candidate) in targets and os.path.isfile(candidate):
            found.append(candidate if fixture_dir else os.path.relpath(candidate))
    return sorted(found)


def _humanize(dirname: str) -> str:
    return f"'{dirname}'" if dirname else "absolute path"


def _app_config(label: str) -> Any:
    try:
        return apps.get_app_config(label)
    except LookupError:
        raise CommandError(f"No installed app with label '{label}'.") from None


def _parse_excludes(labels: list[str]) -> tuple[set[Any], set[Any]]:
    excluded_apps: set[Any] = set()
    excluded_models: set[Any] = set()
    for label in labels:
        if "." in label:
            try:
                excluded_models.add(apps.get_model(label))
            except LookupError:
                raise CommandError(f"Unknown model: {label}") from None
        else:
            excluded_apps.add(_app_config(label))
    return excluded_apps, excluded_models


def _with_through_models(models: set[Any]) -> list[tuple[Any, Any]]:
    """(model to check, loaded model it came from), M2M tables included."""
    result = [(model, model) for model in models]
    for model in models:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                result.append((through, model))
    return result
