"""Test helpers that touch the model layer: isolated app registries, lookups."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from manouche.test.utils import TestContextDecorator

__all__ = ["Approximate", "isolate_apps", "register_lookup"]


class isolate_apps(TestContextDecorator):
    """Register models defined inside the block in a registry of their own.

    Models declared in a test then never leak into the global registry;
    ``attr_name``/``kwarg_name`` hand the registry to the test.
    """

    def __init__(
        self,
        *installed_apps: str,
        attr_name: str | None = None,
        kwarg_name: str | None = None,
    ) -> None:
        self.installed_apps = installed_apps
        super().__init__(attr_name=attr_name, kwarg_name=kwarg_name)

    def enable(self) -> Any:
        from manouche.apps.registry import Apps
        from manouche.db.models.options import Options

        self.old_apps = Options.default_apps
        apps = Apps(self.installed_apps)
        Options.default_apps = apps
        return apps

    def disable(self) -> None:
        from manouche.db.models.options import Options

        Options.default_apps = self.old_apps


@contextlib.contextmanager
def register_lookup(
    field: Any, *lookups: Any, lookup_name: str | None = None
) -> Iterator[None]:
    """Register ``lookups`` on ``field`` for the block, then remove them."""
    try:
        for lookup in lookups:
            field.register_lookup(lookup, lookup_name)
        yield
    finally:
        for lookup in lookups:
            field._unregister_lookup(lookup, lookup_name)


class Approximate:
    """Compare equal to numbers within ``places`` decimal places."""

    def __init__(self, val: Any, places: int = 7) -> None:
        self.val = val
        self.places = places

    def __repr__(self) -> str:
        return repr(self.val)

    def __eq__(self, other: object) -> bool:
        if self.val == other:
            return True
        try:
            return bool(round(abs(self.val - other), self.places) == 0)
        except TypeError:
            return False

    __hash__ = None  # type: ignore[assignment]
