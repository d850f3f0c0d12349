"""The default error views."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from manouche.core.exceptions import ImproperlyConfigured, PermissionDenied
from manouche.http import Http404
from manouche.test.utils import override_settings
from manouche.views import defaults
from tests.middleware.helpers import make_request


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


EMPTY_TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": False,
    }
]


@override_settings(TEMPLATES=EMPTY_TEMPLATES)
def test_missing_default_template_falls_back_to_the_builtin_page() -> None:
    response = defaults.server_error(make_request())
    assert response.content == page("Server Error (500)")


@override_settings(TEMPLATES=EMPTY_TEMPLATES)
def test_missing_custom_template_name_is_an_error() -> None:
    from manouche.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist, match=r"custom\.html"):
        defaults.server_error(make_request(), template_name="custom.html")


def test_custom_template_name_without_template_layer_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A None entry makes the import fail as if the template layer were absent.
    monkeypatch.setitem(sys.modules, "manouche.template.loader", None)
    with pytest.raises(ImproperlyConfigured, match=r"'custom\.html'"):
        defaults.server_error(make_request(), template_name="custom.html")
    assert defaults.server_error(make_request()).content == page("Server Error (500)")


def test_error_templates_found_by_the_loader_are_rendered(tmp_path: Path) -> None:
    (tmp_path / "500.html").write_text("custom <500>")
    templates = [{**EMPTY_TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    with override_settings(TEMPLATES=templates):
        response = defaults.server_error(make_request())
    assert response.status_code == 500
    assert response.content == b"custom <500>"
