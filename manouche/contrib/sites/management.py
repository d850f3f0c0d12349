"""Create the default ``example.com`` site after ``migrate`` (post_migrate)."""

from __future__ import annotations

from typing import Any

from manouche.apps import AppConfig
from manouche.apps import apps as global_apps
from manouche.conf import settings
from manouche.core.management.color import no_style
from manouche.db import DEFAULT_DB_ALIAS, connections, router

__all__ = ["create_default_site"]


def create_default_site(
    app_config: AppConfig,
    verbosity: int = 2,
    interactive: bool = True,
    using: str = DEFAULT_DB_ALIAS,
    apps: Any = global_apps,
    **kwargs: Any,
) -> None:
    """Create the ``example.com`` Site on ``using`` if that table has no site.

    Its pk is ``SITE_ID`` (1 without it), so a fresh project's ``SITE_ID``
    points at it. Backends with sequences get theirs moved past that pk.
    """
    try:
        Site = apps.get_model("sites", "Site")
    except LookupError:
        return
    if not router.allow_migrate_model(using, Site):
        return
    if Site.objects.using(using).exists():
        return
    if verbosity >= 2:
        print("Creating example.com Site object")
    Site(
        pk=getattr(settings, "SITE_ID", 1), domain="example.com", name="example.com"
    ).save(using=using)
    # The explicit pk left the sequence behind: the next insert would reuse it.
    connection = connections[using]
    sequence_sql = connection.ops.sequence_reset_sql(no_style(), [Site])
    if sequence_sql:
        if verbosity >= 2:
            print("Resetting sequence")
        with connection.cursor() as cursor:
            for statement in sequence_sql:
                cursor.execute(statement)
