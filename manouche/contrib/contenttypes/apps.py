"""App config for manouche.contrib.contenttypes.

``ready()`` connects ``create_contenttypes`` (from ``.management``, re-exported
here) to ``post_migrate`` so every app gets its ContentType rows after its
tables are built, and registers the contenttypes system checks.
"""

from __future__ import annotations

from typing import Any

from manouche.apps import AppConfig
from manouche.contrib.contenttypes.management import (
    create_contenttypes,
    inject_rename_contenttypes_operations,
)

__all__ = ["ContentTypesConfig", "create_contenttypes"]


class ContentTypesConfig(AppConfig):
    """The contenttypes app."""

    default_auto_field = "manouche.db.models.AutoField"
    name = "manouche.contrib.contenttypes"
    label = "contenttypes"
    verbose_name = "Content Types"

    def ready(self) -> None:
        """Connect the cache reset, the checks and the migrate handlers."""
        from manouche.contrib.contenttypes.checks import (
            check_generic_foreign_keys,
            check_model_name_lengths,
        )
        from manouche.core import checks
        from manouche.core.signals import setting_changed
        from manouche.db.models import signals

        checks.register(check_generic_foreign_keys, checks.Tags.models)
        checks.register(check_model_name_lengths, checks.Tags.models)

        setting_changed.connect(_clear_cache_on_databases_change)
        signals.pre_migrate.connect(inject_rename_contenttypes_operations)
        signals.post_migrate.connect(create_contenttypes)


def _clear_cache_on_databases_change(*, setting: str, **kwargs: Any) -> None:
    # The cache is kept per database alias: other routers still find the
    # same rows under the same alias, other DATABASES may not.
    if setting == "DATABASES":
        from manouche.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
