"""The default example.com site: create_default_site() and migrate."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps import apps
from manouche.apps.registry import Apps
from manouche.conf import settings
from manouche.contrib.contenttypes.models import ContentType
from manouche.contrib.sites.management import create_default_site
from manouche.contrib.sites.models import Site
from manouche.core.management import call_command
from manouche.db.models.signals import post_migrate
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture


@pytest.fixture
def empty(sites_installed: None, database: DatabaseFixture) -> DatabaseFixture:
    """The database with an empty site table."""
    database.create_models(Site)
    return database


def test_creates_one_site_once(
    empty: DatabaseFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    create_default_site(apps.get_app_config("sites"))
    assert "Creating example.com Site object" in capsys.readouterr().out
    create_default_site(apps.get_app_config("sites"))
    assert capsys.readouterr().out == ""
    site = Site.objects.get()
    assert (site.pk, site.domain, site.name) == (1, "example.com", "example.com")


def test_another_site_can_be_created_after_it(empty: DatabaseFixture) -> None:
    # The explicit pk must not leave a sequence about to hand out 1 again.
    create_default_site(apps.get_app_config("sites"), verbosity=0)
    assert Site.objects.create(domain="example2.com", name="2").pk == 2


@override_settings(SITE_ID=35696)
def test_uses_site_id_as_pk(empty: DatabaseFixture) -> None:
    create_default_site(apps.get_app_config("sites"), verbosity=0)
    assert Site.objects.get().pk == 35696


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_pk_is_1_without_site_id(empty: DatabaseFixture) -> None:
    del settings.SITE_ID
    create_default_site(apps.get_app_config("sites"), verbosity=0)
    assert Site.objects.get().pk == 1


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_post_migrate_signal_creates_it(empty: DatabaseFixture) -> None:
    # Every post_migrate receiver runs: contenttypes' needs its table too.
    empty.create_models(ContentType)
    config = apps.get_app_config("sites")
    post_migrate.send(sender=config, app_config=config, verbosity=0)
    assert Site.objects.exists()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_nothing_without_the_model_or_when_the_router_refuses(
    empty: DatabaseFixture,
) -> None:
    class Refuse:
        def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
            return False

    create_default_site(apps.get_app_config("sites"), verbosity=0, apps=Apps())
    with override_settings(DATABASE_ROUTERS=[Refuse()]):
        create_default_site(apps.get_app_config("sites"), verbosity=0)
    assert not Site.objects.exists()


def test_migrate_creates_the_table_and_the_default_site(
    sites_installed: None, database: DatabaseFixture
) -> None:
    call_command("migrate", "sites", verbosity=0)
    site = Site.objects.get()
    assert (site.pk, site.domain) == (1, "example.com")
    assert Site.objects.create(domain="example2.com", name="2").pk == 2
    call_command("migrate", "sites", "zero", verbosity=0)
    assert "django_site" not in database.connection.introspection.table_names()
