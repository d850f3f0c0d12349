"""Fixtures for the sites tests: the app installed, its table, a clean cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.apps import apps
from manouche.conf import settings
from manouche.contrib.sites.management import create_default_site
from manouche.contrib.sites.models import Site
from manouche.db.models.signals import post_migrate
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture, _server_databases, database

__all__ = ["_server_databases", "database", "sites_installed", "tables"]

SITES_APP = "manouche.contrib.sites"


@pytest.fixture
def sites_installed() -> Iterator[None]:
    """Install the sites app (with SITE_ID=1), cache cleared before and after."""
    Site.objects.clear_cache()
    installed = [*settings.INSTALLED_APPS, SITES_APP]
    with override_settings(INSTALLED_APPS=installed, SITE_ID=1):
        try:
            yield
        finally:
            Site.objects.clear_cache()
            # Undo ready()'s receiver (tests/contrib/conftest.py restores checks).
            post_migrate.disconnect(
                create_default_site, sender=apps.get_app_config("sites")
            )


@pytest.fixture
def tables(sites_installed: None, database: DatabaseFixture) -> DatabaseFixture:
    """The database with the site table, holding ``example.com`` as pk 1.

    The tables of every model related to Site are created too: manouche keeps
    the reverse relations of an imported model even while its app is not
    installed (Django drops them), so deleting a Site cascades to them.
    """
    database.create_models(Site, *site_related_models())
    # Not an explicit pk: that would leave PostgreSQL's sequence behind.
    assert Site.objects.create(domain="example.com", name="example.com").pk == 1
    return database


def site_related_models() -> list[Any]:
    """Return the models with a relation to Site, the ones they point at first."""
    related = {
        relation.related_model
        for relation in Site._meta.related_objects
        if not relation.related_model._meta.auto_created
    }

    def depends_on_another(model: Any) -> bool:
        return any(
            field.related_model in related and field.related_model is not model
            for field in model._meta.get_fields()
            if field.is_relation and field.concrete
        )

    return sorted(
        related, key=lambda model: (depends_on_another(model), model._meta.label)
    )
