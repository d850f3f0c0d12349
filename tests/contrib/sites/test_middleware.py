"""CurrentSiteMiddleware through the test clients."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest

from manouche.http import HttpRequest, HttpResponse
from manouche.test import AsyncClient, Client
from manouche.test.utils import override_settings
from manouche.urls import path
from tests.db.conftest import DatabaseFixture

MIDDLEWARE = ["manouche.contrib.sites.middleware.CurrentSiteMiddleware"]


def site_view(request: HttpRequest) -> HttpResponse:
    """Answer with the class, pk and domain of ``request.site``."""
    site = request.site  # type: ignore[attr-defined]
    return HttpResponse(f"{type(site).__name__}|{getattr(site, 'pk', '-')}|{site}")


async def async_site_view(request: HttpRequest) -> HttpResponse:
    """The same, as a coroutine view (the chain is async)."""
    return site_view(request)


urls = types.ModuleType("sites_middleware_urls")
urls.urlpatterns = [  # type: ignore[attr-defined]
    path("site/", site_view),
    path("async-site/", async_site_view),
]


@pytest.fixture(autouse=True)
def middleware_settings() -> Iterator[None]:
    with override_settings(MIDDLEWARE=MIDDLEWARE, ROOT_URLCONF=urls):
        yield


def test_sets_request_site_to_the_current_site(tables: DatabaseFixture) -> None:
    response = Client().get("/site/")
    assert response.content == b"Site|1|example.com"


@override_settings(SITE_ID=None, ALLOWED_HOSTS=["example.com"])
def test_picks_the_site_by_host_without_site_id(tables: DatabaseFixture) -> None:
    response = Client().get("/site/", headers={"host": "example.com"})
    assert response.content == b"Site|1|example.com"


def test_sets_a_request_site_without_the_app() -> None:
    response = Client().get("/site/")
    assert response.content == b"RequestSite|-|testserver"


async def test_async_chain_awaits_the_lookup(tables: DatabaseFixture) -> None:
    response = await AsyncClient().get("/async-site/")
    assert response.content == b"Site|1|example.com"
