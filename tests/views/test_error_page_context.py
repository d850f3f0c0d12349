"""Error pages hand their template context to the test client.

The default 400/403/404/500 pages and the DEBUG 404 page render through the
template engine, so ``response.context`` holds what a project template would
get, while the page itself still shows none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core.exceptions import PermissionDenied, SuspiciousOperation
from manouche.http import Http404, HttpResponse
from manouche.test import Client
from manouche.test.utils import override_settings
from manouche.urls import path
from manouche.views import defaults


def missing_month(request: Any) -> HttpResponse:
    raise Http404("No month specified")


def hostile_404(request: Any) -> HttpResponse:
    raise Http404("{% debug %}{{ request }}<b>bold</b>")


def forbidden(request: Any) -> HttpResponse:
    raise PermissionDenied("members only")


def suspicious(request: Any) -> HttpResponse:
    raise SuspiciousOperation("secret detail")


def broken(request: Any) -> HttpResponse:
    raise ValueError("secret detail")


urlpatterns = [
    path("archive/2008/", missing_month, name="archive"),
    path("hostile/", hostile_404),
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("broken/", broken),
]

BAD_REQUEST_TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                ("manouche.template.loaders.locmem.Loader", {"400.html": "bad"}),
            ],
        },
    }
]


def builtin_page(title: str, details: str = "") -> bytes:
    return (
        defaults.ERROR_PAGE_TEMPLATE % {"title": title, "details": details}
    ).encode()


@pytest.fixture(autouse=True)
def _urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__):
        yield


def test_404_page_context_has_the_path_and_the_exception_message() -> None:
    response = Client().get("/archive/2008/")
    assert response.status_code == 404
    assert response.context["exception"] == "No month specified"
    assert response.context["request_path"] == "/archive/2008/"
    assert len(response.templates) == 1
    assert response.content == builtin_page(
        "Not Found", "The requested resource was not found on this server."
    )


def test_404_page_for_an_unknown_url_names_the_exception_class() -> None:
    response = Client().get("/no/<script>/")
    assert response.status_code == 404
    assert response.context["exception"] == "Resolver404"
    assert response.context["request_path"] == "/no/%3Cscript%3E/"
    assert b"<script>" not in response.content
    assert b"Resolver404" not in response.content


def test_403_400_and_500_builtin_pages_stay_plain_text_as_in_django() -> None:
    client = Client(raise_request_exception=False)
    for url, status, title in [
        ("/forbidden/", 403, "403 Forbidden"),
        ("/suspicious/", 400, "Bad Request (400)"),
        ("/broken/", 500, "Server Error (500)"),
    ]:
        response = client.get(url)
        assert response.status_code == status
        assert response.context is None
        assert response.content == builtin_page(title)
        assert b"secret detail" not in response.content
        assert b"members only" not in response.content


@override_settings(TEMPLATES=BAD_REQUEST_TEMPLATES)
def test_custom_400_template_renders_with_the_request() -> None:
    response = Client().get("/suspicious/")
    assert response.status_code == 400
    assert response.content == b"bad"
    assert response.context.request is response.wsgi_request
    assert response.context.get("exception") is None


def test_builtin_page_stays_plain_when_the_template_engine_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_context(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("template layer broken")

    monkeypatch.setattr("manouche.template.Context", broken_context)
    response = Client().get("/archive/2008/")
    assert response.status_code == 404
    assert response.context is None
    assert response.content == builtin_page(
        "Not Found", "The requested resource was not found on this server."
    )


@override_settings(DEBUG=True)
def test_debug_404_page_context_has_the_reason_and_the_raising_view() -> None:
    response = Client().get("/archive/2008/")
    assert response.status_code == 404
    assert response.context["reason"] == "No month specified"
    assert response.context["resolved"] is True
    assert response.context["request_path"] == "archive/2008/"
    assert response.context["request"] is response.wsgi_request
    assert response.context["raising_view_name"] == f"{__name__}.missing_month"
    assert b'<pre class="exception_value">No month specified</pre>' in (
        response.content
    )


@override_settings(DEBUG=True)
def test_debug_404_page_context_for_an_unknown_url_lists_the_patterns() -> None:
    response = Client().get("/nowhere/")
    assert response.status_code == 404
    assert response.context["resolved"] is False
    assert response.context["request_path"] == "nowhere/"
    assert response.context["urlconf"] == __name__
    assert len(response.context["urlpatterns"]) == len(urlpatterns)
    assert b"archive/2008/ [name=&#x27;archive&#x27;]" in response.content


@override_settings(DEBUG=True)
def test_debug_404_page_shows_template_syntax_as_escaped_text() -> None:
    response = Client().get("/hostile/")
    content = response.content.decode()
    assert "{% debug %}{{ request }}&lt;b&gt;bold&lt;/b&gt;" in content
    assert "<b>bold</b>" not in content
