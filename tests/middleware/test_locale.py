"""LocaleMiddleware: activate the request's language, redirect to a prefix."""

from __future__ import annotations

import types
from collections.abc import Iterator

import pytest

from manouche.conf.urls.i18n import i18n_patterns
from manouche.http import HttpRequest, HttpResponse
from manouche.test import Client
from manouche.test.utils import override_settings
from manouche.urls import path
from manouche.utils import translation

LOCALE = "manouche.middleware.locale.LocaleMiddleware"


def language_view(request: HttpRequest) -> HttpResponse:
    """Answer with the active language and the one the request recorded."""
    return HttpResponse(f"{translation.get_language()}|{request.LANGUAGE_CODE}")  # type: ignore[attr-defined]


def _urlconf(name: str, patterns: list[object]) -> types.ModuleType:
    module = types.ModuleType(name)
    module.urlpatterns = patterns  # type: ignore[attr-defined]
    return module


PREFIXED = _urlconf("locale_prefixed_urls", [])
UNPREFIXED_DEFAULT = _urlconf("locale_unprefixed_default_urls", [])
PLAIN = _urlconf("locale_plain_urls", [path("page/", language_view)])


@pytest.fixture(autouse=True)
def locale_settings() -> Iterator[None]:
    with override_settings(
        USE_I18N=True,
        LANGUAGE_CODE="en",
        LANGUAGES=[("en", "English"), ("fr", "French")],
        MIDDLEWARE=[LOCALE],
        ROOT_URLCONF=PREFIXED,
    ):
        # i18n_patterns() reads USE_I18N, so the patterns are built here.
        PREFIXED.urlpatterns = i18n_patterns(  # type: ignore[attr-defined]
            path("page/", language_view)
        )
        UNPREFIXED_DEFAULT.urlpatterns = i18n_patterns(  # type: ignore[attr-defined]
            path("page/", language_view), prefix_default_language=False
        )
        yield


def test_unprefixed_url_redirects_to_the_default_language() -> None:
    response = Client().get("/page/?q=1")
    assert response.status_code == 302
    assert response["Location"] == "/en/page/?q=1"
    assert response["Vary"] == "Accept-Language, Cookie"


def test_redirect_follows_the_accept_language_header() -> None:
    response = Client().get("/page/", headers={"accept-language": "fr"})
    assert response["Location"] == "/fr/page/"


@override_settings(APPEND_SLASH=True)
def test_redirect_adds_the_missing_slash_when_only_that_resolves() -> None:
    assert Client().get("/page")["Location"] == "/en/page/"


def test_unknown_path_stays_a_404() -> None:
    assert Client().get("/nowhere/").status_code == 404


def test_prefixed_url_activates_its_language() -> None:
    response = Client().get("/fr/page/", headers={"accept-language": "en"})
    assert response.content == b"fr|fr"
    assert response["Content-Language"] == "fr"
    # The language came from the URL, not the header: no Vary on it.
    assert not response.has_header("Vary")


@override_settings(ROOT_URLCONF=UNPREFIXED_DEFAULT)
def test_unprefixed_default_language_ignores_the_browser() -> None:
    response = Client().get("/page/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    assert response.content == b"en|en"
    assert Client().get("/fr/page/").content == b"fr|fr"


@override_settings(ROOT_URLCONF=PLAIN)
def test_without_i18n_patterns_the_header_picks_the_language() -> None:
    response = Client().get("/page/", headers={"accept-language": "fr"})
    assert response.content == b"fr|fr"
    assert response["Content-Language"] == "fr"
    assert response["Vary"] == "Accept-Language"


@override_settings(ROOT_URLCONF=PLAIN)
def test_the_language_cookie_wins_over_the_header() -> None:
    client = Client()
    client.cookies["manouche_language"] = "fr"
    response = client.get("/page/", headers={"accept-language": "en"})
    assert response.content == b"fr|fr"


@override_settings(ROOT_URLCONF=PLAIN)
def test_a_content_language_set_by_the_view_is_kept() -> None:
    from manouche.middleware.locale import LocaleMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(headers={"Content-Language": "de"})

    request = HttpRequest()
    request.path = request.path_info = "/page/"
    response = LocaleMiddleware(view)(request)
    assert response["Content-Language"] == "de"
