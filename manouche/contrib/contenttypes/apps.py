"""App config for manouche.contrib.contenttypes, and content type creation.

``create_contenttypes(app_config)`` inserts the missing ContentType rows of
an app. The migrations framework will call it after ``migrate`` (through a
``post_migrate`` signal, connected here as soon as it exists); until then,
call it yourself after creating tables, as the tests do.
"""

from __future__ import annotations

from typing import Any

from manouche.apps import AppConfig
from manouche.apps import apps as global_apps

__all__ = ["ContentTypesConfig", "create_contenttypes"]


class ContentTypesConfig(AppConfig):
    """The contenttypes app."""

    default_auto_field = "manouche.db.models.AutoField"
    name = "manouche.contrib.contenttypes"
    label = "contenttypes"
    verbose_name = "Content Types"

    def ready(self) -> None:
        """Connect the cache reset, the generic-key checks and post_migrate."""
        from manouche.contrib.contenttypes.checks import check_generic_foreign_keys
        from manouche.core import checks
        from manouche.core.signals import setting_changed
        from manouche.db.models import signals

        checks.register(check_generic_foreign_keys, checks.Tags.models)

        setting_changed.connect(_clear_cache_on_databases_change)
        post_migrate = getattr(signals, "post_migrate", None)
        if post_migrate is not None:
            post_migrate.connect(create_contenttypes)


def _clear_cache_on_databases_change(*, setting: str, **kwargs: Any) -> None:
    if setting in ("DATABASES", "DATABASE_ROUTERS"):
        from manouche.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


def create_contenttypes(
    app_config: AppConfig,
    verbosity: int = 2,
    interactive: bool = True,
    using: str = "default",
    apps: Any = global_apps,
    **kwargs: Any,
) -> list[Any]:
    """Create the ContentType rows missing for ``app_config``'s models.

    Returns the created rows. Safe to call again: existing rows are kept.
    """
    from manouche.contrib.contenttypes.models import ContentType as CurrentContentType
    from manouche.db import router

    if not app_config.models_module:
        return []
    try:
        app_config = apps.get_app_config(app_config.label)
        # After ``migrate``, ``apps`` holds the historical models: the table
        # may be gone (contenttypes migrated to zero) or still have old columns.
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return []
    if not router.allow_migrate_model(using, ContentType):
        return []
    CurrentContentType.objects.clear_cache()
    manager = ContentType.objects.db_manager(using)
    existing = set(
        manager.filter(app_label=app_config.label).values_list("model", flat=True)
    )
    missing = [
        ContentType(app_label=app_config.label, model=model._meta.model_name)
        for model in app_config.get_models()
        if model._meta.model_name not in existing
    ]
    if missing:
        manager.bulk_create(missing)
        if verbosity >= 2:
            for ct in missing:
                print(f"Adding content type '{ct.app_label} | {ct.model}'")
    return missing
