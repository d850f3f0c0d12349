"""RequestSite and get_current_site() with and without the sites app."""

from __future__ import annotations

import pytest

from manouche.contrib.sites.models import Site
from manouche.contrib.sites.requests import RequestSite
from manouche.contrib.sites.shortcuts import aget_current_site, get_current_site
from manouche.http import HttpRequest
from manouche.test.utils import override_settings
from tests.db.conftest import DatabaseFixture


def host_request(host: str) -> HttpRequest:
    request = HttpRequest()
    request.META = {"HTTP_HOST": host}
    return request


@override_settings(ALLOWED_HOSTS=["example.com"])
def test_request_site_takes_domain_and_name_from_the_host() -> None:
    site = RequestSite(host_request("example.com:8000"))
    assert (site.domain, site.name, str(site)) == (
        "example.com:8000",
        "example.com:8000",
        "example.com:8000",
    )


@override_settings(ALLOWED_HOSTS=["example.com"])
def test_request_site_cannot_be_saved_or_deleted() -> None:
    site = RequestSite(host_request("example.com"))
    with pytest.raises(NotImplementedError, match="RequestSite cannot be saved."):
        site.save()
    with pytest.raises(NotImplementedError, match="RequestSite cannot be deleted."):
        site.delete()


@override_settings(ALLOWED_HOSTS=["example.com"])
async def test_get_current_site_without_the_app_is_a_request_site() -> None:
    request = host_request("example.com")
    assert isinstance(get_current_site(request), RequestSite)
    site = await aget_current_site(request)
    assert isinstance(site, RequestSite)
    assert site.domain == "example.com"


@override_settings(ALLOWED_HOSTS=["example.com"])
def test_get_current_site_with_the_app_is_the_site_row(
    tables: DatabaseFixture,
) -> None:
    request = host_request("example.com")
    site = get_current_site(request)
    assert isinstance(site, Site)
    assert site.pk == 1
    site.delete()
    with pytest.raises(Site.DoesNotExist):
        get_current_site(request)


@override_settings(ALLOWED_HOSTS=["example.com"])
async def test_aget_current_site_with_the_app_is_the_site_row(
    tables: DatabaseFixture,
) -> None:
    site = await aget_current_site(host_request("example.com"))
    assert isinstance(site, Site)
    assert site.pk == 1
