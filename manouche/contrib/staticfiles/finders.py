"""Finders: where a static file named by its URL path lives on disk.

Each finder in STATICFILES_FINDERS is asked in turn: FileSystemFinder looks
in STATICFILES_DIRS (entries may be ``(prefix, path)`` pairs),
AppDirectoriesFinder in the ``static/`` folder of each installed app.
Finder instances are cached; the cache is cleared when the settings they
read change (see ``manouche.test.signals``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from typing import Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.files.storage import FileSystemStorage, Storage
from manouche.core.management.utils import is_ignored_path
from manouche.utils._os import safe_join
from manouche.utils.module_loading import import_string

__all__ = [
    "AppDirectoriesFinder",
    "BaseFinder",
    "FileSystemFinder",
    "find",
    "get_finder",
    "get_finders",
    "searched_locations",
]

# Every location searched by find(), for debugging ("findstatic --verbosity 2").
searched_locations: list[str] = []


class BaseFinder:
    """The finder protocol: find a path, list every file."""

    def check(self, **kwargs: Any) -> list[Any]:
        """System-check messages about this finder's configuration."""
        return []

    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        """The absolute path of ``path`` (every match when ``find_all``)."""
        raise NotImplementedError(
            "subclasses of BaseFinder must provide a find() method"
        )

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, Storage]]:
        """Yield (relative path, storage) for every file this finder knows."""
        raise NotImplementedError(
            "subclasses of BaseFinder must provide a list() method"
        )


def _walk(
    storage: Storage, ignore_patterns: list[str], path: str = ""
) -> Iterator[str]:
    directories, files = storage.listdir(path)
    for name in files:
        candidate = os.path.join(path, name) if path else name
        if not is_ignored_path(candidate, ignore_patterns):
            yield candidate
    for name in directories:
        candidate = os.path.join(path, name) if path else name
        if not is_ignored_path(candidate, ignore_patterns):
            yield from _walk(storage, ignore_patterns, candidate)


class _LocationsFinder(BaseFinder):
    """Shared lookup over (prefix, root) locations."""

    locations: list[tuple[str, str]]
    storages: dict[str, FileSystemStorage]

    def _find_in(self, prefix: str, root: str, path: str) -> str | None:
        if prefix:
            prefix = f"{prefix}/"
            if not path.startswith(prefix):
                return None
            path = path.removeprefix(prefix)
        try:
            candidate = safe_join(root, path)
        except Exception:  # a path escaping the root is simply not found here
            return None
        return candidate if os.path.exists(candidate) else None

    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        matches: list[str] = []
        for prefix, root in self.locations:
            if root not in searched_locations:
                searched_locations.append(root)
            match = self._find_in(prefix, root, path)
            if match:
                if not find_all:
                    return match
                matches.append(match)
        return matches if find_all else None

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, Storage]]:
        for _prefix, root in self.locations:
            if os.path.isdir(root):
                storage = self.storages[root]
                for path in _walk(storage, list(ignore_patterns or ())):
                    yield path, storage


class FileSystemFinder(_LocationsFinder):
    """Find files in the directories listed in STATICFILES_DIRS."""

    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        self.locations = []
        self.storages = {}
        for entry in settings.STATICFILES_DIRS:
            if isinstance(entry, list | tuple):
                prefix, root = entry
            else:
                prefix, root = "", entry
            root = os.fspath(root)
            if (prefix, root) not in self.locations:
                self.locations.append((prefix, root))
        for prefix, root in self.locations:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix  # type: ignore[attr-defined]
            self.storages[root] = storage

    def check(self, **kwargs: Any) -> list[Any]:
        from manouche.core.checks import Error

        dirs = settings.STATICFILES_DIRS
        if not isinstance(dirs, list | tuple):
            return [
                Error(
                    "The STATICFILES_DIRS setting is not a tuple or list.",
                    hint="Perhaps you forgot a trailing comma?",
                    id="staticfiles.E001",
                )
            ]
        errors = []
        static_root = settings.STATIC_ROOT
        for prefix, root in self.locations:
            if static_root and os.path.abspath(static_root) == os.path.abspath(root):
                errors.append(
                    Error(
                        "The STATICFILES_DIRS setting should not contain the "
                        "STATIC_ROOT setting.",
                        id="staticfiles.E002",
                    )
                )
            if prefix.endswith("/"):
                errors.append(
                    Error(
                        f"The prefix {prefix!r} in the STATICFILES_DIRS setting must "
                        "not end with a slash.",
                        id="staticfiles.E003",
                    )
                )
        return errors


class AppDirectoriesFinder(_LocationsFinder):
    """Find files in the ``static`` folder of each installed app."""

    source_dir = "static"

    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        self.locations = []
        self.storages = {}
        self.apps: list[str] = []
        for app_config in apps.get_app_configs():
            if app_names and app_config.name not in app_names:
                continue
            root = os.path.join(app_config.path, self.source_dir)
            if os.path.isdir(root):
                self.locations.append(("", root))
                self.storages[root] = FileSystemStorage(location=root)
                self.apps.append(app_config.name)


def find(path: str, find_all: bool = False) -> str | list[str] | None:
    """Ask every configured finder for ``path``; the first match (or all of them)."""
    searched_locations.clear()
    matches: list[str] = []
    for finder in get_finders():
        result = finder.find(path, find_all=find_all)
        if not find_all and result:
            return result if isinstance(result, str) else result[0]
        if isinstance(result, list):
            matches.extend(result)
        elif result:
            matches.append(result)
    return matches if find_all else None


def get_finders() -> Iterator[BaseFinder]:
    """The finder instances of STATICFILES_FINDERS, in order."""
    for import_path in settings.STATICFILES_FINDERS:
        yield get_finder(import_path)


@functools.cache
def get_finder(import_path: str) -> BaseFinder:
    """The (cached) finder instance for a dotted path."""
    finder_class = import_string(import_path)
    if not (isinstance(finder_class, type) and issubclass(finder_class, BaseFinder)):
        raise ImproperlyConfigured(
            f'Finder "{finder_class}" is not a subclass of "{BaseFinder}"'
        )
    finder: BaseFinder = finder_class()
    return finder
