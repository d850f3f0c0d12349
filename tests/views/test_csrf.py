"""The CSRF failure page."""

from __future__ import annotations

import pytest

from manouche.template import TemplateDoesNotExist
from manouche.test import RequestFactory
from manouche.test.utils import override_settings
from manouche.views import csrf
from manouche.views.csrf import CSRF_FAILURE_TEMPLATE_NAME, csrf_failure


def test_builtin_page_is_403_with_summary() -> None:
    response = csrf_failure(RequestFactory().post("/"))
    assert response.status_code == 403
    content = response.content.decode()
    assert "Forbidden" in content
    assert "CSRF verification failed. Request aborted." in content
    assert "More information is available with DEBUG=True." in content
    assert "Help" not in content


def test_no_referer_reason_explains_and_escapes_the_meta_tag() -> None:
    response = csrf_failure(RequestFactory().post("/"), reason=csrf.REASON_NO_REFERER)
    content = response.content.decode()
    assert "requires a “Referer header” to be sent" in content
    assert "&lt;meta name=&quot;referrer&quot;" in content
    assert "CSRF cookie when submitting forms" not in content


def test_no_cookie_reason_explains_cookies() -> None:
    response = csrf_failure(
        RequestFactory().post("/"), reason=csrf.REASON_NO_CSRF_COOKIE
    )
    assert "requires a CSRF cookie when submitting forms" in response.content.decode()


def test_debug_shows_help_and_escaped_reason() -> None:
    with override_settings(DEBUG=True):
        response = csrf_failure(
            RequestFactory().post("/"), reason="<script>alert(1)</script>"
        )
    content = response.content.decode()
    assert "Reason given for failure" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>" not in content
    assert "CSRF_FAILURE_VIEW" in content


def test_reason_is_hidden_without_debug() -> None:
    response = csrf_failure(RequestFactory().post("/"), reason="secret detail")
    assert "secret detail" not in response.content.decode()


def test_builtin_page_needs_no_templates_setting() -> None:
    with override_settings(TEMPLATES=[]):
        assert csrf_failure(RequestFactory().post("/")).status_code == 403


def _locmem(templates: dict[str, str]) -> list[dict[str, object]]:
    loader = ("manouche.template.loaders.locmem.Loader", templates)
    return [
        {
            "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
            "OPTIONS": {"loaders": [loader]},
        }
    ]


def test_project_template_wins() -> None:
    templates = _locmem({CSRF_FAILURE_TEMPLATE_NAME: "custom {{ reason }}"})
    with override_settings(TEMPLATES=templates):
        response = csrf_failure(RequestFactory().post("/"), reason="why")
    assert response.status_code == 403
    assert response.content == b"custom why"


def test_missing_custom_template_raises() -> None:
    with pytest.raises(TemplateDoesNotExist):
        csrf_failure(RequestFactory().post("/"), template_name="nonexistent.html")


def test_reason_constants() -> None:
    assert csrf.REASON_NO_REFERER == "Referer checking failed - no Referer."
    assert csrf.REASON_BAD_ORIGIN % "http://evil" == (
        "Origin checking failed - http://evil does not match any trusted origins."
    )
    assert csrf.REASON_NO_CSRF_COOKIE == "CSRF cookie not set."
    assert csrf.REASON_CSRF_TOKEN_MISSING == "CSRF token missing."
