"""Site and SiteManager: get_current() by SITE_ID and by host, the cache."""

from __future__ import annotations

import pytest

from manouche.conf import settings
from manouche.contrib.sites import models as site_models
from manouche.contrib.sites.models import Site, clear_site_cache
from manouche.core.exceptions import (
    ImproperlyConfigured,
    SynchronousOnlyOperation,
    ValidationError,
)
from manouche.http import HttpRequest
from manouche.test.utils import CaptureQueriesContext, override_settings
from tests.db.conftest import DatabaseFixture


def cached() -> dict[object, Site]:
    """Return a copy of the site cache."""
    return dict(site_models.SITE_CACHE)


def host_request(host: str) -> HttpRequest:
    request = HttpRequest()
    request.META = {"HTTP_HOST": host}
    return request


def test_get_current_uses_site_id_and_caches_it(tables: DatabaseFixture) -> None:
    site = Site.objects.get_current()
    assert (site.pk, site.domain) == (1, "example.com")
    with CaptureQueriesContext(tables.connection) as queries:
        assert Site.objects.get_current() == site
    assert len(queries) == 0
    assert cached() == {1: site}


def test_get_current_does_not_return_a_deleted_site(tables: DatabaseFixture) -> None:
    Site.objects.get_current().delete()
    with pytest.raises(Site.DoesNotExist):
        Site.objects.get_current()


def test_saving_a_site_refreshes_the_cached_one(tables: DatabaseFixture) -> None:
    Site.objects.get_current()
    row = Site.objects.get(pk=1)
    row.name = "Example site"
    row.save()
    assert Site.objects.get_current().name == "Example site"


def test_deleting_every_site_empties_the_cache(tables: DatabaseFixture) -> None:
    Site.objects.get_current()
    Site.objects.all().delete()
    assert cached() == {}
    with pytest.raises(Site.DoesNotExist):
        Site.objects.get_current()


@override_settings(SITE_ID=None, ALLOWED_HOSTS=["example.com", "example.net"])
def test_get_current_by_host_prefers_the_exact_host_then_the_domain(
    tables: DatabaseFixture,
) -> None:
    default = Site.objects.get(pk=1)
    with_port = Site.objects.create(domain="example.com:8000", name="port")
    assert Site.objects.get_current(host_request("EXAMPLE.com")) == default
    assert Site.objects.get_current(host_request("example.com:8000")) == with_port
    # No site for the port: the domain alone matches.
    assert Site.objects.get_current(host_request("example.com:81")) == default
    assert set(site_models.SITE_CACHE) == {
        "EXAMPLE.com",
        "example.com:8000",
        "example.com",
    }
    with pytest.raises(Site.DoesNotExist):
        Site.objects.get_current(host_request("example.net"))


@override_settings(SITE_ID=None, ALLOWED_HOSTS=["example.com"])
def test_get_current_matches_a_host_with_a_trailing_dot(
    tables: DatabaseFixture,
) -> None:
    request = HttpRequest()
    request.META = {"SERVER_NAME": "example.com.", "SERVER_PORT": "80"}
    assert Site.objects.get_current(request).domain == "example.com"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_get_current_without_site_id_or_request_is_misconfigured(
    tables: DatabaseFixture,
) -> None:
    del settings.SITE_ID
    with pytest.raises(ImproperlyConfigured, match="without having set the SITE_ID"):
        Site.objects.get_current()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_clear_cache_forgets_every_site(tables: DatabaseFixture) -> None:
    site = Site.objects.get_current()
    Site.objects.clear_cache()
    assert cached() == {}
    with CaptureQueriesContext(tables.connection) as queries:
        assert Site.objects.get_current() == site
    assert len(queries) == 1


@override_settings(ALLOWED_HOSTS=["example.com"])
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_clear_site_cache_drops_id_and_host_keys_of_its_database(
    tables: DatabaseFixture,
) -> None:
    site = Site.objects.get_current()
    with override_settings(SITE_ID=None):
        Site.objects.get_current(host_request("example.com"))
    assert cached() == {1: site, "example.com": site}
    other = Site(pk=2, domain="other.example.com")
    clear_site_cache(Site, instance=other, using="default")
    assert len(site_models.SITE_CACHE) == 2
    # The id key goes whatever the database; host keys only for their own.
    clear_site_cache(Site, instance=site, using="other")
    assert cached() == {"example.com": site}
    clear_site_cache(Site, instance=site, using="default")
    assert cached() == {}


def test_domain_is_unique_and_without_whitespace(tables: DatabaseFixture) -> None:
    with pytest.raises(ValidationError, match="Site with this Domain name already"):
        Site(domain="example.com", name="again").validate_unique()
    for domain in ("test test", "test\ttest", "test\ntest"):
        with pytest.raises(ValidationError, match="cannot contain any spaces"):
            Site(domain=domain, name="x").full_clean()
    Site(domain="example.org", name="x").full_clean()


def test_natural_key_round_trips(tables: DatabaseFixture) -> None:
    site = Site.objects.get_by_natural_key("example.com")
    assert site.pk == 1
    assert site.natural_key() == ("example.com",)
    assert str(site) == "example.com"


def test_meta_matches_django() -> None:
    assert Site._meta.db_table == "django_site"
    assert Site._meta.app_label == "sites"
    assert Site._meta.ordering == ["domain"]
    assert Site._meta.get_field("domain").unique


async def test_aget_current_fills_the_cache_sync_reads(
    tables: DatabaseFixture,
) -> None:
    with pytest.raises(SynchronousOnlyOperation, match="aget_current"):
        Site.objects.get_current()
    site = await Site.objects.aget_current()
    assert site.domain == "example.com"
    # Cached now: the sync call needs no query, so it works in async code.
    assert Site.objects.get_current() is site
