"""SimpleTestCase itself: clients, settings helpers and assertions (unittest style)."""

# The point here is SimpleTestCase itself, so these tests are unittest-style.
# ruff: noqa: PT009, PT027

from __future__ import annotations

import unittest
import warnings
from typing import Any

from manouche.conf import settings
from manouche.http import HttpResponse, HttpResponseRedirect, JsonResponse
from manouche.test import (
    AsyncClient,
    Client,
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    modify_settings,
    override_settings,
)
from manouche.test.signals import template_rendered
from manouche.urls import path


def page(request: Any) -> HttpResponse:
    return HttpResponse(
        '<ul class="b a"><li id="x" title="t">One</li><li>Two</li></ul>'
        "<p>Once</p><p>Once</p>"
    )


def to_page(request: Any) -> HttpResponse:
    return HttpResponseRedirect("/page/")


def to_missing(request: Any) -> HttpResponse:
    return HttpResponseRedirect("/missing/")


def to_remote(request: Any) -> HttpResponse:
    return HttpResponseRedirect("http://elsewhere.example/")


def data(request: Any) -> HttpResponse:
    return JsonResponse({"setting": settings.USE_TZ})


class Template:
    def __init__(self, name: str) -> None:
        self.name = name


def rendering(request: Any) -> HttpResponse:
    template_rendered.send(sender=None, template=Template("page.html"), context={})
    return HttpResponse("ok")


urlpatterns = [
    path("page/", page),
    path("to-page/", to_page),
    path("to-missing/", to_missing),
    path("to-remote/", to_remote),
    path("data/", data),
    path("rendering/", rendering),
]


@override_settings(ROOT_URLCONF=__name__)
class ResponseAssertionTests(SimpleTestCase):
    def test_each_test_gets_clients(self) -> None:
        self.assertIsInstance(self.client, Client)
        self.assertIsInstance(self.async_client, AsyncClient)

    def test_assert_contains_text_and_count(self) -> None:
        response = self.client.get("/page/")
        self.assertContains(response, "One")
        self.assertContains(response, "Once", count=2)
        self.assertNotContains(response, "Three")
        with self.assertRaisesMessage(
            AssertionError, "Found 2 instances of 'Once' (expected 1) in the following"
        ):
            self.assertContains(response, "Once", count=1)
        with self.assertRaisesMessage(
            AssertionError, "prefix: Couldn't find 'Nope' in"
        ):
            self.assertContains(response, "Nope", msg_prefix="prefix")
        with self.assertRaisesMessage(AssertionError, "'One' unexpectedly found in"):
            self.assertNotContains(response, "One")

    def test_assert_contains_checks_status_code(self) -> None:
        response = self.client.get("/missing/")
        with self.assertRaisesMessage(
            AssertionError,
            "Couldn't retrieve content: Response code was 404 (expected 200)",
        ):
            self.assertContains(response, "x")
        self.assertContains(response, "Not Found", status_code=404)

    def test_assert_contains_html(self) -> None:
        response = self.client.get("/page/")
        self.assertContains(response, '<li title="t"  id="x">One</li>', html=True)
        self.assertContains(response, "<p>Once</p>", count=2, html=True)
        self.assertNotContains(response, "<li>Three</li>", html=True)
        with self.assertRaisesMessage(
            AssertionError, "Second argument is not valid HTML:"
        ):
            self.assertContains(response, "<p></div>", html=True)

    def test_assert_redirects(self) -> None:
        self.assertRedirects(self.client.get("/to-page/"), "/page/")
        self.assertRedirects(self.client.get("/to-page/", follow=True), "/page/")
        self.assertRedirects(
            self.client.get("/to-missing/"), "/missing/", fetch_redirect_response=False
        )

    def test_assert_redirects_failure_messages(self) -> None:
        with self.assertRaisesMessage(
            AssertionError,
            "Response didn't redirect as expected: Response code was 200 "
            "(expected 302)",
        ):
            self.assertRedirects(self.client.get("/page/"), "/page/")
        with self.assertRaisesMessage(
            AssertionError,
            "Response redirected to '/page/', expected '/other/': Expected '/page/' "
            "to equal '/other/'.",
        ):
            self.assertRedirects(self.client.get("/to-page/"), "/other/")
        with self.assertRaisesMessage(
            AssertionError,
            "p: Couldn't retrieve redirection page '/missing/': response code was 404 "
            "(expected 200)",
        ):
            self.assertRedirects(
                self.client.get("/to-missing/"), "/missing/", msg_prefix="p"
            )
        with self.assertRaisesMessage(
            AssertionError,
            "Initial response didn't redirect as expected: Response code was 302 "
            "(expected 301)",
        ):
            self.assertRedirects(
                self.client.get("/to-page/", follow=True), "/page/", status_code=301
            )

    def test_assert_redirects_refuses_remote_hosts(self) -> None:
        with self.assertRaisesMessage(
            ValueError,
            "The test client is unable to fetch remote URLs (got http://elsewhere",
        ):
            self.assertRedirects(
                self.client.get("/to-remote/"), "http://elsewhere.example/"
            )

    def test_assert_template_used(self) -> None:
        response = self.client.get("/rendering/")
        self.assertTemplateUsed(response, "page.html")
        self.assertTemplateUsed(response, "page.html", count=1)
        self.assertTemplateNotUsed(response, "other.html")
        with self.assertRaisesMessage(
            AssertionError,
            "Template 'other.html' was not a template used to render the response. "
            "Actual template(s) used: page.html",
        ):
            self.assertTemplateUsed(response, "other.html")
        with self.assertTemplateUsed("page.html"):
            self.client.get("/rendering/")
        message = "No templates used to render"
        with (
            self.assertRaisesMessage(AssertionError, message),
            self.assertTemplateUsed("page.html"),
        ):
            pass
        message = "'page.html' was used unexpectedly"
        with (
            self.assertRaisesMessage(AssertionError, message),
            self.assertTemplateNotUsed("page.html"),
        ):
            self.client.get("/rendering/")

    async def test_async_test_methods_run(self) -> None:
        response = await self.async_client.get("/page/")
        self.assertContains(response, "One")


class OutputAssertionTests(SimpleTestCase):
    def test_assert_html_equal(self) -> None:
        self.assertHTMLEqual(
            '<input type="checkbox" checked class="x y">',
            '<input class="y  x" checked="checked" type="checkbox"/>',
        )
        self.assertHTMLEqual("<p>\n  a   b\n</p>", "<p>a b</p>")
        self.assertHTMLNotEqual("<p>a</p>", "<p>b</p>")
        with self.assertRaisesMessage(AssertionError, "<p>\na\n</p> != <p>\nb\n</p>"):
            self.assertHTMLEqual("<p>a</p>", "<p>b</p>")
        with self.assertRaisesMessage(
            AssertionError, "First argument is not valid HTML:"
        ):
            self.assertHTMLEqual("</p>", "<p></p>")

    def test_assert_in_html(self) -> None:
        self.assertInHTML("<b>x</b>", "<div><b>x</b><b> x </b></div>", count=2)
        self.assertInHTML("<b>x</b>", "<div><b>x</b></div>")
        self.assertNotInHTML("<b>y</b>", "<div><b>x</b></div>")
        with self.assertRaisesMessage(AssertionError, "Couldn't find '<i>x</i>' in"):
            self.assertInHTML("<i>x</i>", "<div></div>")

    def test_assert_json_equal(self) -> None:
        self.assertJSONEqual('{"a": [1, 2]}', {"a": [1, 2]})
        self.assertJSONEqual('{"a": 1, "b": 2}', '{"b": 2, "a": 1}')
        self.assertJSONNotEqual('{"a": 1}', {"a": 2})
        with self.assertRaisesMessage(
            AssertionError, "First argument is not valid JSON"
        ):
            self.assertJSONEqual("{", {})

    def test_assert_xml_equal(self) -> None:
        self.assertXMLEqual('<a x="1" y="2"><b/></a>', '<a y="2" x="1"><b></b></a>')
        # Whitespace between elements counts, however long the run.
        self.assertXMLEqual("<a>\n  <b/>\n</a>", "<a> <b/> </a>")
        self.assertXMLNotEqual("<a><b/></a>", "<a>\n  <b/>\n</a>")
        self.assertXMLNotEqual("<a>1</a>", "<a>2</a>")
        with self.assertRaisesMessage(
            AssertionError, "First or second argument is not valid"
        ):
            self.assertXMLEqual("<a>", "<a/>")

    def test_assert_url_equal(self) -> None:
        self.assertURLEqual("/p/?b=2&a=1", "/p/?a=1&b=2")
        with self.assertRaisesMessage(AssertionError, "Expected '/a/' to equal '/b/'."):
            self.assertURLEqual("/a/", "/b/")

    def test_assert_raises_and_warns_message(self) -> None:
        def fail() -> None:
            raise ValueError("the whole message")

        self.assertRaisesMessage(ValueError, "whole", fail)
        with self.assertRaises(AssertionError):
            self.assertRaisesMessage(ValueError, "other", fail)

        def warn() -> None:
            warnings.warn("careful now", UserWarning, stacklevel=1)

        self.assertWarnsMessage(UserWarning, "careful", warn)
        with self.assertWarnsMessage(UserWarning, "now"):
            warn()


@override_settings(USE_TZ=False)
class OverrideSettingsClassTests(SimpleTestCase):
    def test_class_decorator_applies(self) -> None:
        self.assertIs(settings.USE_TZ, False)

    @override_settings(USE_TZ=True)
    def test_method_decorator_wins(self) -> None:
        self.assertIs(settings.USE_TZ, True)

    def test_context_managers(self) -> None:
        with self.settings(USE_TZ=True):
            self.assertIs(settings.USE_TZ, True)
        self.assertIs(settings.USE_TZ, False)
        with self.modify_settings(ALLOWED_HOSTS={"append": "extra.example"}):
            self.assertIn("extra.example", settings.ALLOWED_HOSTS)
        self.assertNotIn("extra.example", settings.ALLOWED_HOSTS)


@modify_settings(ALLOWED_HOSTS={"prepend": "first.example", "remove": "localhost"})
class ModifySettingsClassTests(SimpleTestCase):
    def test_class_modification_applies(self) -> None:
        self.assertEqual(settings.ALLOWED_HOSTS[0], "first.example")
        self.assertNotIn("localhost", settings.ALLOWED_HOSTS)


class SubclassOfOverridden(OverrideSettingsClassTests):
    def test_inherited_override(self) -> None:
        self.assertIs(settings.USE_TZ, False)


def test_class_overrides_are_undone_after_the_class() -> None:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(OverrideSettingsClassTests).run(
        result
    )
    assert result.wasSuccessful(), result.errors + result.failures
    assert settings.USE_TZ is True


def test_subclass_does_not_leak_overrides_to_parent() -> None:
    @override_settings(TIME_ZONE="Europe/Paris")
    class Child(OverrideSettingsClassTests):
        pass

    assert Child._overridden_settings == {"USE_TZ": False, "TIME_ZONE": "Europe/Paris"}
    assert OverrideSettingsClassTests._overridden_settings == {"USE_TZ": False}


def test_pre_setup_failure_is_reported_as_error() -> None:
    class Broken(SimpleTestCase):
        def _pre_setup(self) -> None:
            raise RuntimeError("no setup")

        def test_nothing(self) -> None:
            raise AssertionError("must not run")

    result = unittest.TestResult()
    Broken("test_nothing")(result)
    assert len(result.errors) == 1
    assert "no setup" in result.errors[0][1]


def test_database_test_cases_declare_databases() -> None:
    assert SimpleTestCase.databases == set()
    assert TransactionTestCase.databases == {"default"}
    assert issubclass(TestCase, TransactionTestCase)
