"""The technical 500 page shows where a template failed while rendering."""

from __future__ import annotations

from manouche.test.client import Client
from manouche.test.utils import override_settings
from tests.template.conftest import APPS, TEMPLATES


@override_settings(
    DEBUG=True,
    INSTALLED_APPS=APPS,
    TEMPLATES=TEMPLATES,
    ROOT_URLCONF="tests.template.urls",
)
def test_technical_500_shows_the_template_error_section() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", headers={"accept": "text/html"})
    assert response.status_code == 500
    body = response.content.decode()
    assert '<section id="template"><h2>Template error</h2>' in body
    assert "broken.html</code>, error at line 2</p>" in body
    # The failing token is highlighted, and everything is escaped.
    assert (
        '<tr class="error"><th>2</th><td>&lt;p&gt;'
        '<span class="during">{{ item.explode }}</span>&lt;/p&gt;\n</td></tr>'
    ) in body
    assert "<tr><th>1</th><td>&lt;h1&gt;{{ title }}&lt;/h1&gt;\n</td></tr>" in body
    assert "<pre>&lt;bad value&gt;</pre>" in body
    assert "<bad value>" not in body


@override_settings(
    DEBUG=True,
    INSTALLED_APPS=APPS,
    TEMPLATES=TEMPLATES,
    ROOT_URLCONF="tests.template.urls",
)
def test_technical_500_text_report_has_the_template_error() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", headers={"accept": "text/plain"})
    text = response.content.decode()
    assert "Template error:" in text
    assert "error at line 2" in text
    # The failing token stands apart from the text around it.
    assert "   2 : <p> {{ item.explode }} </p>" in text


@override_settings(DEBUG=True, ROOT_URLCONF="tests.template.urls")
def test_technical_500_has_no_template_section_for_other_errors() -> None:
    from manouche.test.client import RequestFactory
    from manouche.views.debug import technical_500_response

    try:
        raise ValueError("plain")
    except ValueError as exc:
        response = technical_500_response(
            RequestFactory().get("/"), type(exc), exc, exc.__traceback__
        )
    assert b'id="template"' not in response.content
