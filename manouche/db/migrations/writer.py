"""Write a Migration instance out as the source of a migration module.

``MigrationWriter`` owns the layout of generated files (header, imports,
``class Migration``) and where they go on disk; the values inside come from
``serializer``. It never loads migrations or talks to a database.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from importlib import import_module
from typing import Any

import manouche
from manouche.apps import apps
from manouche.conf import settings
from manouche.db.migrations.serializer import Serializer, serializer_factory
from manouche.utils import timezone

__all__ = ["MigrationWriter", "OperationWriter", "format_source", "migrations_module"]

_INDENT = "    "
_MIGRATIONS_IMPORT = "from manouche.db import migrations"
_MODELS_IMPORT = "from manouche.db import models"


class OperationWriter:
    """Render one operation as ``migrations.Name(arg=value, ...)`` lines."""

    def __init__(self, operation: Any, indentation: int = 2) -> None:
        self.operation = operation
        self.buff: list[str] = []
        self.indentation = indentation

    def serialize(self) -> tuple[str, set[str]]:
        """Return the operation's source (ending in a comma) and its imports."""
        imports: set[str] = set()
        name, args, kwargs = self.operation.deconstruct()
        operation_class = self.operation.__class__
        migrations = import_module("manouche.db.migrations")
        if getattr(migrations, name, None) is operation_class:
            self.feed(f"migrations.{name}(")
        else:
            module = operation_class.__module__
            imports.add(f"import {module}")
            self.feed(f"{module}.{name}(")
        self.indent()
        parameters = list(
            inspect.signature(operation_class.__init__).parameters.values()
        )[1:]
        positional = [
            parameter
            for parameter in parameters
            if parameter.kind
            in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD)
        ]
        for index, arg in enumerate(args):
            if index < len(positional):
                self._write_argument(positional[index].name, arg, imports)
            else:
                string, arg_imports = serializer_factory(arg).serialize()
                imports.update(arg_imports)
                self.feed(f"{string},")
        keyword_order = [parameter.name for parameter in parameters]
        for key in sorted(
            kwargs,
            key=lambda k: keyword_order.index(k) if k in keyword_order else 999,
        ):
            self._write_argument(key, kwargs[key], imports)
        self.unindent()
        self.feed("),")
        return self.render(), imports

    def _write_argument(self, name: str, value: Any, imports: set[str]) -> None:
        """Write ``name=value``, one item a line for lists and dicts."""
        if isinstance(value, dict) and value:
            self.feed(f"{name}={{")
            self.indent()
            for key, item in value.items():
                key_string, key_imports = serializer_factory(key).serialize()
                item_string, item_imports = serializer_factory(item).serialize()
                imports.update(key_imports | item_imports)
                self._feed_multiline(f"{key_string}: {item_string},")
            self.unindent()
            self.feed("},")
        elif isinstance(value, (list, tuple, set)) and value:
            opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
            if isinstance(value, set):
                opening, closing = "{", "}"
            self.feed(f"{name}={opening}")
            self.indent()
            for item in _stable_order(value):
                item_string, item_imports = serializer_factory(item).serialize()
                imports.update(item_imports)
                self._feed_multiline(f"{item_string},")
            self.unindent()
            self.feed(f"{closing},")
        else:
            string, value_imports = serializer_factory(value).serialize()
            imports.update(value_imports)
            self._feed_multiline(f"{name}={string},")

    def _feed_multiline(self, text: str) -> None:
        # Nested operations (SeparateDatabaseAndState) arrive as several lines.
        for line in text.split("\n"):
            self.feed(line)

    def indent(self) -> None:
        """Indent the following lines one level deeper."""
        self.indentation += 1

    def unindent(self) -> None:
        """Indent the following lines one level shallower."""
        self.indentation -= 1

    def feed(self, line: str) -> None:
        """Append one line at the current indentation."""
        self.buff.append(_INDENT * self.indentation + line)

    def render(self) -> str:
        """Return the lines written so far."""
        return "\n".join(self.buff)


class MigrationWriter:
    """Render a Migration as a module and know where its file belongs."""

    def __init__(self, migration: Any, include_header: bool = True) -> None:
        self.migration = migration
        self.include_header = include_header
        self.needs_manual_porting = False

    def as_string(self) -> str:
        """Return the migration module's source, ready to write."""
        imports: set[str] = set()
        operation_lines = []
        for operation in self.migration.operations:
            string, operation_imports = OperationWriter(operation).serialize()
            imports.update(operation_imports)
            operation_lines.append(string)
        dependency_lines = []
        for dependency in self.migration.dependencies:
            setting = _swappable_setting(dependency)
            if setting is not None:
                dependency_lines.append(
                    f"{_INDENT * 2}migrations.swappable_dependency(settings.{setting}),"
                )
                imports.add("from manouche.conf import settings")
            else:
                dependency_lines.append(f"{_INDENT * 2}{tuple(dependency)!r},")
        if _MODELS_IMPORT in imports:
            imports.discard(_MODELS_IMPORT)
            imports.add("from manouche.db import migrations, models")
        else:
            imports.add(_MIGRATIONS_IMPORT)
        return self._render(imports, dependency_lines, operation_lines)

    def _render(
        self, imports: set[str], dependency_lines: list[str], operation_lines: list[str]
    ) -> str:
        parts: list[str] = []
        if self.include_header:
            now = timezone.now().strftime("%Y-%m-%d %H:%M")
            parts.append(f"# Generated by manouche {manouche.__version__} on {now}\n\n")
        parts.append("\n".join(_sorted_imports(imports)) + "\n\n\n")
        parts.append("class Migration(migrations.Migration):\n")
        body: list[str] = []
        if self.migration.replaces:
            replaces = "".join(
                f"{_INDENT * 2}{tuple(item)!r},\n" for item in self.migration.replaces
            )
            body.append(f"{_INDENT}replaces = [\n{replaces}{_INDENT}]\n")
        if self.migration.initial:
            body.append(f"{_INDENT}initial = True\n")
        if not getattr(self.migration, "atomic", True):
            body.append(f"{_INDENT}atomic = False\n")
        body.append(_block("dependencies", dependency_lines))
        body.append(_block("operations", operation_lines))
        parts.append("\n" + "\n".join(body))
        return "".join(parts)

    @property
    def basedir(self) -> str:
        """Return the migrations package directory.

        A MIGRATION_MODULES package outside the app is created (with
        ``__init__.py`` files) under its nearest importable parent.
        """
        app_label = self.migration.app_label
        package_name, _ = migrations_module(app_label)
        if package_name is None:
            raise ValueError(
                f"Manouche can't create migrations for app '{app_label}' because "
                "migrations have been disabled via the MIGRATION_MODULES setting."
            )
        try:
            return _module_dir(import_module(package_name))
        except (ImportError, ValueError):
            pass
        app_config = apps.get_app_config(app_label)
        parent, _, basename = package_name.rpartition(".")
        if parent == app_config.name:
            # The command creates it (with __init__.py) when it writes a file.
            return os.path.join(app_config.path, basename)
        return _create_package_path(package_name)

    @property
    def filename(self) -> str:
        """Return the file name, ``<name>.py``."""
        return f"{self.migration.name}.py"

    @property
    def path(self) -> str:
        """Return the full path the migration file is written to."""
        return os.path.join(self.basedir, self.filename)

    @classmethod
    def serialize(cls, value: Any) -> tuple[str, set[str]]:
        """Return ``value`` as source text plus the imports it needs."""
        return serializer_factory(value).serialize()

    @classmethod
    def register_serializer(cls, type_: Any, serializer: Any) -> None:
        """Use ``serializer`` for values of ``type_``."""
        Serializer.register(type_, serializer)

    @classmethod
    def unregister_serializer(cls, type_: Any) -> None:
        """Forget the serializer registered for ``type_``."""
        Serializer.unregister(type_)


def _stable_order(values: Any) -> list[Any]:
    """Keep lists in order; sort sets so files do not change between runs."""
    if not isinstance(values, set):
        return list(values)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def _swappable_setting(dependency: Any) -> str | None:
    """Return the setting behind a swappable dependency, else None.

    The autodetector marks one as ``("__setting__", "AUTH_USER_MODEL")``; a
    loaded migration carries a SwappableTuple remembering the model label.
    """
    if dependency[0] == "__setting__":
        return str(dependency[1])
    value = getattr(dependency, "setting", None)
    if value and value == getattr(settings, "AUTH_USER_MODEL", None):
        return "AUTH_USER_MODEL"
    return None


def _block(name: str, lines: list[str]) -> str:
    if not lines:
        return f"{_INDENT}{name} = []\n"
    return f"{_INDENT}{name} = [\n" + "\n".join(lines) + f"\n{_INDENT}]\n"


def _sorted_imports(imports: set[str]) -> list[str]:
    """Sort ``import x`` before ``from x import y``, each by module name."""
    return sorted(
        imports, key=lambda line: (line.split()[0] == "from", line.split()[1])
    )


def migrations_module(app_label: str) -> tuple[str | None, bool]:
    """Return (module name, explicitly configured) for an app's migrations.

    ``MIGRATION_MODULES`` overrides the default ``<app>.migrations``; a
    ``None`` there disables migrations for the app.
    """
    configured: dict[str, str | None] = getattr(settings, "MIGRATION_MODULES", {}) or {}
    if app_label in configured:
        return configured[app_label], True
    return f"{apps.get_app_config(app_label).name}.migrations", False


def _module_dir(module: Any) -> str:
    """Return the single directory of a (possibly namespace) package."""
    paths = list(getattr(module, "__path__", []))
    if len(paths) == 1:
        return str(paths[0])
    filename: str | None = getattr(module, "__file__", None)
    if filename is not None:
        return os.path.dirname(filename)
    raise ValueError(f"Cannot determine directory containing {module}")


def _ensure_package(base_dir: str, missing: list[str]) -> str:
    """Create ``missing`` directories below ``base_dir`` as packages."""
    directory = base_dir
    for name in missing:
        directory = os.path.join(directory, name)
        os.makedirs(directory, exist_ok=True)
        init = os.path.join(directory, "__init__.py")
        if not os.path.exists(init):
            with open(init, "w", encoding="utf-8"):
                pass
    return directory


def _create_package_path(package_name: str) -> str:
    """Create a MIGRATION_MODULES package under its nearest importable parent."""
    existing = package_name.split(".")
    missing: list[str] = []
    while existing:
        missing.insert(0, existing.pop())
        try:
            return _ensure_package(
                _module_dir(import_module(".".join(existing))), missing
            )
        except (ImportError, ValueError):
            continue
    raise ValueError(
        "Could not locate an appropriate location to create migrations package "
        f"{package_name}. Make sure the toplevel package exists and can be imported."
    )


def format_source(source: str) -> str:
    """Format ``source`` with ruff or black when one is installed, else as is."""
    bin_dir = os.path.dirname(sys.executable)
    for tool, arguments in (("ruff", ["format", "-"]), ("black", ["-q", "-"])):
        executable = shutil.which(tool, path=bin_dir) or shutil.which(tool)
        if executable is None:
            continue
        try:
            result = subprocess.run(
                [executable, *arguments],
                input=source,
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if result.returncode == 0 and result.stdout:
            return result.stdout
    return source
