"""The DEBUG 500 page: template-loader postmortem, report templates of one's own,
and the copy-and-paste traceback, all through the test client."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from manouche.http import HttpResponse
from manouche.shortcuts import render
from manouche.test.client import Client, RequestFactory
from manouche.test.utils import override_settings
from manouche.urls import path
from manouche.views.debug import ExceptionReporter

REPORT_TEMPLATES = Path(__file__).parent / "debug_report_templates"


class TemplateReporter(ExceptionReporter):
    """A project's own report pages, read from template files."""

    html_template_path = REPORT_TEMPLATES / "report.html"
    text_template_path = str(REPORT_TEMPLATES / "report.txt")


def missing_template(request: Any) -> HttpResponse:
    response: HttpResponse = render(request, "nowhere/missing.html")
    return response


def fails(request: Any) -> HttpResponse:
    raise ValueError("it's <broken>")


urlpatterns = [
    path("missing/", missing_template),
    path("fails/", fails),
]


def templates_in(directory: Path) -> list[dict[str, Any]]:
    return [
        {
            "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
            "DIRS": [str(directory)],
        }
    ]


@pytest.mark.parametrize("accept", ["text/html", "text/plain"])
def test_missing_template_page_lists_every_path_tried(
    tmp_path: Path, accept: str
) -> None:
    tried = tmp_path / "nowhere" / "missing.html"
    with override_settings(
        DEBUG=True, ROOT_URLCONF=__name__, TEMPLATES=templates_in(tmp_path)
    ):
        client = Client(raise_request_exception=False)
        response = client.get("/missing/", headers={"accept": accept})
    assert response.status_code == 500
    body = response.content.decode()
    assert "Template-loader postmortem" in body
    assert "Using engine manouche" in body or "Using engine <code>manouche" in body
    loader = "manouche.template.loaders.filesystem.Loader"
    if accept == "text/html":
        assert (
            f"<li><code>{loader}</code>: {tried} (Source does not exist)</li>" in body
        )
        # Listed in the page and again in its copy-and-paste text.
        assert body.count(f"{tried} (Source does not exist)") == 2
    else:
        assert f"    * {loader}: {tried} (Source does not exist)" in body


@override_settings(DEBUG=True, ROOT_URLCONF=__name__)
def test_other_errors_have_no_postmortem() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/fails/", headers={"accept": "text/html"})
    assert response.status_code == 500
    assert b"postmortem" not in response.content


@override_settings(
    DEBUG=True,
    ROOT_URLCONF=__name__,
    DEFAULT_EXCEPTION_REPORTER=f"{__name__}.TemplateReporter",
)
def test_reporter_subclass_renders_its_own_template_files() -> None:
    client = Client(raise_request_exception=False)
    html = client.get("/fails/", headers={"accept": "text/html"})
    assert html.status_code == 500
    # The HTML template autoescapes; the text one does not.
    assert html.content.decode() == (
        "<h1>Custom report: ValueError &amp; it&#x27;s &lt;broken&gt;</h1>\n"
    )
    text = client.get("/fails/", headers={"accept": "text/plain"})
    assert text.content.decode() == "Custom text report: ValueError it's <broken>\n"


@override_settings(DEBUG=True)
def test_copy_and_paste_traceback_keeps_quotes_readable() -> None:
    try:
        source = "def generated_function():\n    raise ValueError('x')\n"
        namespace: dict[str, Any] = {}
        exec(compile(source, "generated", "exec"), namespace)
        namespace["generated_function"]()
    except ValueError:
        exc_info = sys.exc_info()
    reporter = ExceptionReporter(RequestFactory().get("/"), *exc_info)
    html = reporter.get_traceback_html()
    # Inside the textarea only markup is escaped: quotes stay as typed.
    assert (
        '"generated", line 2, in generated_function\n'
        "    &lt;source code not available&gt;"
    ) in html
    pasted = html.split('<textarea name="content" readonly>', 1)[1]
    pasted = pasted.split("</textarea>", 1)[0]
    assert "&quot;" not in pasted
    assert "<" not in pasted
