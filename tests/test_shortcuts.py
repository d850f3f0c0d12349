"""redirect() and resolve_url()."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from manouche.shortcuts import redirect, resolve_url
from manouche.test.utils import override_settings
from manouche.urls import NoReverseMatch, reverse_lazy
from tests.views.urls import article

pytestmark = pytest.mark.usefixtures("views_urlconf")


@pytest.fixture
def views_urlconf() -> Any:
    with override_settings(ROOT_URLCONF="tests.views.urls"):
        yield


class Model:
    def get_absolute_url(self) -> str:
        return "/model/1/"


def test_resolve_url_model() -> None:
    assert resolve_url(Model()) == "/model/1/"


def test_resolve_url_view_name_with_arguments() -> None:
    assert resolve_url("article", 5) == "/articles/5/"
    assert resolve_url("article", pk=6) == "/articles/6/"
    assert resolve_url("home") == "/"


def test_resolve_url_view_function() -> None:
    assert resolve_url(article, pk=1) == "/articles/1/"


def test_resolve_url_lazy_string() -> None:
    assert resolve_url(reverse_lazy("home")) == "/"


@pytest.mark.parametrize(
    "url", ["./relative/", "../up/", "/absolute/", "https://example.com/", "page.html"]
)
def test_resolve_url_passes_urls_through(url: str) -> None:
    assert resolve_url(url) == url


def test_resolve_url_unknown_name_raises() -> None:
    with pytest.raises(NoReverseMatch):
        resolve_url("unknown-view-name")


def test_resolve_url_callable_that_does_not_reverse_raises() -> None:
    def not_routed(request: Any) -> None:
        pass

    with pytest.raises(NoReverseMatch):
        resolve_url(not_routed)


def test_redirect_temporary_and_permanent() -> None:
    response = redirect("article", pk=2)
    assert isinstance(response, HttpResponseRedirect)
    assert response.status_code == 302
    assert response["Location"] == "/articles/2/"
    permanent = redirect("/x/", permanent=True)
    assert isinstance(permanent, HttpResponsePermanentRedirect)
    assert permanent.status_code == 301


def test_redirect_preserve_request() -> None:
    assert redirect("/x/", preserve_request=True).status_code == 307
    assert redirect("/x/", permanent=True, preserve_request=True).status_code == 308


def test_redirect_to_model() -> None:
    assert redirect(Model())["Location"] == "/model/1/"


def test_redirect_refuses_unsafe_schemes() -> None:
    from manouche.core.exceptions import DisallowedRedirect

    with pytest.raises(DisallowedRedirect):
        redirect("javascript://example.com/%0Aalert(1)")
