"""The TEMPLATES setting turned into engine instances, and app template dirs."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

__all__ = ["EngineHandler", "InvalidTemplateEngineError", "get_app_template_dirs"]


class InvalidTemplateEngineError(ImproperlyConfigured):
    """No engine has the alias asked for."""


class EngineHandler:
    """Lazily build one backend per TEMPLATES entry, keyed by alias."""

    def __init__(self, templates: list[dict[str, Any]] | None = None) -> None:
        self._templates = templates
        self._engines: dict[str, Any] = {}

    @cached_property
    def templates(self) -> dict[str, dict[str, Any]]:
        """The TEMPLATES entries, completed with defaults and keyed by alias."""
        if self._templates is None:
            from manouche.conf import settings

            self._templates = settings.TEMPLATES
        templates: dict[str, dict[str, Any]] = {}
        backend_names = []
        for tpl in self._templates:
            try:
                default_name = tpl["BACKEND"].rsplit(".", 2)[-2]
            except Exception:
                invalid_backend = tpl.get("BACKEND", "<not defined>")
                raise ImproperlyConfigured(
                    "Invalid BACKEND for a template engine: "
                    f"{invalid_backend}. Check your TEMPLATES setting."
                ) from None
            tpl = {
                "NAME": default_name,
                "DIRS": [],
                "APP_DIRS": False,
                "OPTIONS": {},
                **tpl,
            }
            templates[tpl["NAME"]] = tpl
            backend_names.append(tpl["NAME"])
        counts = Counter(backend_names)
        duplicates = [alias for alias, count in counts.most_common() if count > 1]
        if duplicates:
            raise ImproperlyConfigured(
                "Template engine aliases aren't unique, duplicates: "
                f"{', '.join(duplicates)}. Set a unique NAME for each engine "
                "in settings.TEMPLATES."
            )
        return templates

    def __getitem__(self, alias: str) -> Any:
        try:
            return self._engines[alias]
        except KeyError:
            try:
                params = self.templates[alias]
            except KeyError:
                raise InvalidTemplateEngineError(
                    f"Could not find config for '{alias}' in settings.TEMPLATES"
                ) from None
            params = params.copy()
            backend = params.pop("BACKEND")
            engine_cls = import_string(backend)
            engine = engine_cls(params)
            self._engines[alias] = engine
            return engine

    def __iter__(self) -> Any:
        return iter(self.templates)

    def all(self) -> list[Any]:
        """Every configured engine."""
        return [self[alias] for alias in self]


@functools.lru_cache
def get_app_template_dirs(dirname: str) -> tuple[Path, ...]:
    """Return the existing ``<app>/<dirname>`` directories, in app order."""
    from manouche.apps import apps

    return tuple(
        path
        for app_config in apps.get_app_configs()
        if app_config.path and (path := Path(app_config.path) / dirname).is_dir()
    )
