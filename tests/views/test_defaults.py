"""The default error views."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from manouche.core.exceptions import PermissionDenied
from manouche.http import Http404
from manouche.views import defaults
from tests.middleware.helpers import make_request

HAS_TEMPLATES = importlib.util.find_spec("manouche.template") is not None


def page(title: str, details: str = "") -> bytes:
    return (
        defaults.ERROR_PAGE_TEMPLATE % {"title": title, "details": details}
    ).encode()


def test_page_not_found() -> None:
    response = defaults.page_not_found(make_request(path="/missing/"), Http404("nope"))
    assert response.status_code == 404
    assert response.content == page(
        "Not Found", "The requested resource was not found on this server."
    )
    assert (
        b"<h1>Not Found</h1><p>The requested resource was not found on this server.</p>"
        in response.content
    )


def test_page_not_found_never_echoes_the_path_or_message() -> None:
    hostile = "/<script>alert(1)</script>"
    response = defaults.page_not_found(make_request(path=hostile), Http404(hostile))
    assert b"<script>" not in response.content


@pytest.mark.parametrize(
    ("view", "args", "status", "title"),
    [
        (defaults.server_error, (), 500, "Server Error (500)"),
        (defaults.bad_request, (ValueError("secret"),), 400, "Bad Request (400)"),
        (
            defaults.permission_denied,
            (PermissionDenied("secret"),),
            403,
            "403 Forbidden",
        ),
    ],
)
def test_error_pages(view: Any, args: tuple[Any, ...], status: int, title: str) -> None:
    response = view(make_request(), *args)
    assert response.status_code == status
    assert response.content == page(title)
    assert b"secret" not in response.content


def test_template_name_constants() -> None:
    assert (
        defaults.ERROR_400_TEMPLATE_NAME,
        defaults.ERROR_403_TEMPLATE_NAME,
        defaults.ERROR_404_TEMPLATE_NAME,
        defaults.ERROR_500_TEMPLATE_NAME,
    ) == ("400.html", "403.html", "404.html", "500.html")


@pytest.mark.skipif(HAS_TEMPLATES, reason="checks the no-template-layer fallback")
def test_custom_template_name_without_template_layer_is_an_error() -> None:
    with pytest.raises(Exception, match=r"custom\.html"):
        defaults.server_error(make_request(), template_name="custom.html")
