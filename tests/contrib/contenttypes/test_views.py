"""The "view on site" shortcut: redirects, 404s and the domain it picks."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from manouche.conf import settings
from manouche.contrib.contenttypes.models import ContentType
from manouche.contrib.contenttypes.views import shortcut
from manouche.contrib.sites.models import Site
from manouche.http import Http404, HttpRequest
from manouche.test import Client
from manouche.test.utils import override_settings
from tests.contrib.contenttypes.linkapp.models import (
    ALL_MODELS,
    BrokenPage,
    Draft,
    ExternalPage,
    Page,
    SharedPage,
    SitePage,
)
from tests.db.conftest import DatabaseFixture

LINKAPP = "tests.contrib.contenttypes.linkapp"
SITES = "manouche.contrib.sites"
URLCONF = "tests.contrib.contenttypes.urls"


def _apps(*extra: str) -> list[str]:
    return [*settings.INSTALLED_APPS, *extra]


@pytest.fixture
def pages(database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """linkapp installed without the sites app, its tables, the test URLconf."""
    ContentType.objects.clear_cache()
    with override_settings(INSTALLED_APPS=_apps(SITES, LINKAPP)):
        # Site's table exists for the foreign keys; the app is removed below.
        database.create_models(ContentType, Site, *ALL_MODELS)
    with override_settings(INSTALLED_APPS=_apps(LINKAPP), ROOT_URLCONF=URLCONF):
        yield database
    ContentType.objects.clear_cache()


@pytest.fixture
def sites(database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    """Like ``pages`` with the sites app installed: example.com is SITE_ID."""
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    installed = _apps(SITES, LINKAPP)
    with override_settings(INSTALLED_APPS=installed, ROOT_URLCONF=URLCONF):
        database.create_models(ContentType, Site, *ALL_MODELS)
        # No explicit pk: it would leave server sequences about to reuse it.
        current = Site.objects.create(domain="example.com", name="example")
        with override_settings(SITE_ID=current.pk):
            yield database
    Site.objects.clear_cache()
    ContentType.objects.clear_cache()


def _url(model: type, pk: object) -> str:
    return f"/r/{ContentType.objects.get_for_model(model).pk}/{pk}/"


def test_relative_url_gets_the_request_host_without_sites(
    pages: DatabaseFixture,
) -> None:
    page = Page.objects.create(slug="intro")
    response = Client().get(_url(Page, page.pk))
    assert response.status_code == 302
    assert response.headers["Location"] == "http://testserver/pages/intro/"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_request_scheme_is_kept(pages: DatabaseFixture) -> None:
    page = Page.objects.create(slug="intro")
    response = Client().get(_url(Page, page.pk), secure=True)
    assert response.headers["Location"] == "https://testserver/pages/intro/"


@pytest.mark.parametrize(
    "url",
    ["http://elsewhere.test/a/", "https://elsewhere.test/b/", "//elsewhere.test/c/"],
)
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_absolute_urls_are_kept_as_they_are(pages: DatabaseFixture, url: str) -> None:
    page = ExternalPage.objects.create(url=url)
    response = Client().get(_url(ExternalPage, page.pk))
    assert response.status_code == 302
    assert response.headers["Location"] == url


def test_unknown_objects_and_models_without_url_are_404(
    pages: DatabaseFixture,
) -> None:
    client = Client()
    draft = Draft.objects.create(title="x")
    page = Page.objects.create(slug="intro")
    assert client.get(_url(Draft, draft.pk)).status_code == 404
    assert client.get(_url(Page, 424242)).status_code == 404
    assert client.get(_url(Page, "not/a-number")).status_code == 404
    assert client.get(f"/r/424242/{page.pk}/").status_code == 404


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_direct_calls_raise_http404_with_a_reason(pages: DatabaseFixture) -> None:
    request = _request()
    draft = Draft.objects.create(title="x")
    draft_type = ContentType.objects.get_for_model(Draft)
    with pytest.raises(Http404, match="Draft objects don't have a get_absolute_url"):
        shortcut(request, draft_type.pk, draft.pk)
    with pytest.raises(Http404, match="object 99 doesn't exist"):
        shortcut(request, draft_type.pk, 99)
    with pytest.raises(Http404, match="doesn't exist"):
        shortcut(request, "spam", draft.pk)
    ghost = ContentType.objects.create(app_label="linkapp", model="ghost")
    with pytest.raises(Http404, match="has no associated model"):
        shortcut(request, ghost.pk, 1)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_bug_inside_get_absolute_url_is_not_hidden(pages: DatabaseFixture) -> None:
    page = BrokenPage.objects.create()
    page_type = ContentType.objects.get_for_model(BrokenPage)
    with pytest.raises(AttributeError, match="slug"):
        shortcut(_request(), page_type.pk, page.pk)


def test_current_site_domain_when_sites_is_installed(sites: DatabaseFixture) -> None:
    page = Page.objects.create(slug="intro")
    response = Client().get(_url(Page, page.pk))
    assert response.headers["Location"] == "http://example.com/pages/intro/"


def test_foreign_key_to_site_wins_over_the_current_site(
    sites: DatabaseFixture,
) -> None:
    other = Site.objects.create(domain="other.test", name="other")
    client = Client()
    linked = SitePage.objects.create(slug="a", site=other)
    unlinked = SitePage.objects.create(slug="b", site=None)
    location = client.get(_url(SitePage, linked.pk)).headers["Location"]
    assert location == "http://other.test/site-pages/a/"
    location = client.get(_url(SitePage, unlinked.pk)).headers["Location"]
    assert location == "http://example.com/site-pages/b/"


def test_many_to_many_sites_prefer_the_current_one(sites: DatabaseFixture) -> None:
    current = Site.objects.get(domain="example.com")
    # Sorted before example.com: first() alone would pick it.
    other = Site.objects.create(domain="aaa.test", name="other")
    client = Client()
    elsewhere = SharedPage.objects.create(slug="a")
    elsewhere.sites.add(other)
    everywhere = SharedPage.objects.create(slug="b")
    everywhere.sites.set([other, current])
    nowhere = SharedPage.objects.create(slug="c")
    location = client.get(_url(SharedPage, elsewhere.pk)).headers["Location"]
    assert location == "http://aaa.test/shared/a/"
    location = client.get(_url(SharedPage, everywhere.pk)).headers["Location"]
    assert location == "http://example.com/shared/b/"
    location = client.get(_url(SharedPage, nowhere.pk)).headers["Location"]
    assert location == "http://example.com/shared/c/"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_no_current_site_leaves_the_url_relative(sites: DatabaseFixture) -> None:
    Site.objects.all().delete()
    Site.objects.clear_cache()
    page = Page.objects.create(slug="intro")
    response = Client().get(_url(Page, page.pk))
    assert response.headers["Location"] == "/pages/intro/"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_documented_urlconf_works(
    pages: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = Path(__file__).resolve().parents[3] / "docs/ref/contrib/contenttypes.md"
    (block,) = re.findall(r"```python\n(.*?)```", docs.read_text(), re.DOTALL)
    module = types.ModuleType("documented_urls")
    exec(compile(block, str(docs), "exec"), module.__dict__)
    monkeypatch.setitem(sys.modules, "documented_urls", module)
    page = Page.objects.create(slug="intro")
    page_type = ContentType.objects.get_for_model(Page)
    with override_settings(ROOT_URLCONF="documented_urls"):
        response = Client().get(f"/r/{page_type.pk}/{page.pk}/")
    assert response.headers["Location"] == "http://testserver/pages/intro/"


def _request() -> HttpRequest:
    request = HttpRequest()
    request.META = {"SERVER_NAME": "testserver", "SERVER_PORT": "80"}
    return request
