"""System checks of the contenttypes app.

Generic relations (``contenttypes.E001``-``E004``) and model names that do not
fit ``ContentType.model`` (``contenttypes.E005``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["check_generic_foreign_keys", "check_model_name_lengths"]


def _models(app_configs: Iterable[Any] | None) -> list[Any]:
    from manouche.apps import apps

    if app_configs is None:
        return list(apps.get_models())
    return [model for config in app_configs for model in config.get_models()]


def check_generic_foreign_keys(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[Any]:
    """Run ``GenericForeignKey.check()`` on every installed model's keys."""
    from manouche.contrib.contenttypes.fields import GenericForeignKey

    models = _models(app_configs)
    errors: list[Any] = []
    for model in models:
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                errors.extend(field.check())
    return errors


def check_model_name_lengths(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[Any]:
    """Report models whose name is too long for ``ContentType.model``.

    Such a model would make ``create_contenttypes`` fail at ``migrate`` time;
    the check says so before that.
    """
    from manouche.contrib.contenttypes.models import ContentType
    from manouche.core import checks

    max_length = ContentType._meta.get_field("model").max_length
    return [
        checks.Error(
            f"Model names must be at most {max_length} characters "
            f"(got {len(model._meta.model_name)}).",
            obj=model,
            id="contenttypes.E005",
        )
        for model in _models(app_configs)
        if len(model._meta.model_name) > max_length
    ]
