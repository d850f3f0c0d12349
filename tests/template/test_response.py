"""TemplateResponse, render() and TemplateView, through the test client."""

from __future__ import annotations

import pytest

from manouche.shortcuts import render as render_shortcut
from manouche.template.response import TemplateResponse
from manouche.test import SimpleTestCase
from manouche.test.client import Client, RequestFactory
from manouche.test.utils import override_settings
from tests.template.conftest import APPS, TEMPLATES

pytestmark = pytest.mark.usefixtures("app_templates")


def test_render_shortcut_returns_rendered_content() -> None:
    request = RequestFactory().get("/")
    response = render_shortcut(request, "testapp/item.html", {"name": "n"})
    assert response.content == b"<i>n</i>\n"


def test_template_response_renders_lazily() -> None:
    request = RequestFactory().get("/")
    response = TemplateResponse(request, "testapp/item.html", {"name": "m"})
    assert not response.is_rendered
    response.render()
    assert response.content == b"<i>m</i>\n"


def test_client_records_templates_and_context_of_a_template_response() -> None:
    response = Client().get("/tr/")
    assert response.status_code == 200
    assert response.content == b"<i>tr</i>\n"
    assert [t.name for t in response.templates] == ["testapp/item.html"]
    assert response.context["name"] == "tr"


def test_client_records_every_template_used_by_render() -> None:
    response = Client().get("/render/")
    names = [t.name for t in response.templates]
    assert names[0] == "testapp/child.html"
    assert {"testapp/middle.html", "testapp/base.html"} <= set(names)
    assert response.context["who"] == "<w>"


def test_template_view_renders_through_the_client() -> None:
    response = Client().get("/about/")
    assert response.status_code == 200
    assert response.content == b"<i>about</i>\n"
    assert response.context["view"].template_name == "testapp/item.html"


@override_settings(
    INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES, ROOT_URLCONF="tests.template.urls"
)
class TemplateAssertionTests(SimpleTestCase):
    """assertTemplateUsed is a TestCase method: test it on one."""

    def test_assert_template_used_on_a_template_response(self) -> None:
        response = self.client.get("/tr/")
        self.assertTemplateUsed(response, "testapp/item.html")
        self.assertTemplateUsed(response, "testapp/item.html", count=1)
        self.assertTemplateNotUsed(response, "testapp/base.html")

    def test_assert_template_used_on_render(self) -> None:
        response = self.client.get("/render/")
        self.assertTemplateUsed(response, "testapp/child.html")
        self.assertTemplateUsed(response, "testapp/base.html")
        with self.assertRaisesMessage(AssertionError, "testapp/nope.html"):
            self.assertTemplateUsed(response, "testapp/nope.html")

    def test_assert_template_used_as_a_context_manager(self) -> None:
        from manouche.template.loader import render_to_string

        with self.assertTemplateUsed("testapp/item.html"):
            render_to_string("testapp/item.html", {"name": "x"})
