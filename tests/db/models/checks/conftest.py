"""Throwaway models for the system check tests, in a registry of their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.db import models

MakeModel = Callable[..., Any]


@pytest.fixture
def registry() -> Apps:
    """Return a fresh app registry holding only the (empty) modelapp."""
    return Apps(["tests.db.models.modelapp"])


@pytest.fixture
def make_model(registry: Apps) -> MakeModel:
    """Return a factory: ``make_model("Name", field=..., Meta={...})``."""

    def make(
        model_name: str,
        /,
        base: Any = models.Model,
        meta: dict[str, Any] | None = None,
        **attrs: Any,
    ) -> Any:
        options = {"app_label": "modelapp", "apps": registry, **(meta or {})}
        meta_class = type("Meta", (), options)
        body = {"__module__": __name__, "Meta": meta_class, **attrs}
        return type(model_name, (base,), body)

    return make


def ids(messages: list[Any]) -> list[str]:
    """Return the ids of check messages, in order."""
    return [message.id for message in messages]
