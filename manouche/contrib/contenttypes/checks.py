"""System checks for generic relations (``contenttypes.E001``-``E004``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["check_generic_foreign_keys"]


def check_generic_foreign_keys(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[Any]:
    """Run ``GenericForeignKey.check()`` on every installed model's keys."""
    from manouche.apps import apps
    from manouche.contrib.contenttypes.fields import GenericForeignKey

    if app_configs is None:
        models = apps.get_models()
    else:
        models = [m for config in app_configs for m in config.get_models()]
    errors: list[Any] = []
    for model in models:
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                errors.extend(field.check())
    return errors
