"""SimpleTestCase assertions: XML documents with a DOCTYPE, failure tracebacks
that point at the test, templates rendered by ``{% include %}``."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import traceback
import unittest

from manouche.test import SimpleTestCase


class XMLDocuments(SimpleTestCase):
    __test__ = False

    def test_doctype_is_not_content(self) -> None:
        self.assertXMLEqual(
            '<?xml version="1.0"?><!DOCTYPE root SYSTEM "one.dtd"><root a="1"/>',
            '<?xml version="1.0"?><!DOCTYPE root SYSTEM "two.dtd"><root a="1"></root>',
        )
        self.assertXMLEqual(
            "<!-- note --><!DOCTYPE root><root><b/></root>", "<root><b/></root>"
        )

    def test_documents_with_a_doctype_still_differ_by_content(self) -> None:
        self.assertXMLNotEqual(
            '<!DOCTYPE root SYSTEM "x.dtd"><root a="1"/>',
            '<!DOCTYPE root SYSTEM "x.dtd"><root a="2"/>',
        )

    def test_fragments_with_several_roots_still_compare(self) -> None:
        self.assertXMLEqual("<a/><b x='1' y='2'/>", "<a/><b y='2' x='1'/>")
        self.assertXMLNotEqual("<a/><b/>", "<a/>")


def test_xml_documents_with_a_doctype() -> None:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(XMLDocuments).run(result)
    assert result.testsRun == 3
    assert result.errors + result.failures == []


class FailingAssertions(SimpleTestCase):
    __test__ = False

    def test_json(self) -> None:
        self.assertJSONEqual("1", "2")

    def test_html(self) -> None:
        self.assertHTMLEqual("<p>a</p>", "<p>b</p>")

    def test_contains(self) -> None:
        from manouche.http import HttpResponse

        self.assertContains(HttpResponse("abc"), "xyz")


def test_failure_tracebacks_end_at_the_test_method() -> None:
    for name in ("test_json", "test_html", "test_contains"):
        case = FailingAssertions(name)
        result = unittest.TestResult()
        case.run(result)
        [(_, text)] = result.failures
        # unittest drops the helpers' frames, as it drops its own.
        assert "manouche/test/_assertions" not in text
        try:
            getattr(case, name)()
        except AssertionError as exc:
            result = unittest.TestResult()
            result.addFailure(case, (type(exc), exc, exc.__traceback__))
            stack = traceback.extract_tb(exc.__traceback__)
        # The innermost frame left is the test's own line.
        assert stack[-1].name == name


def test_template_used_sees_included_templates_when_instrumented_first() -> None:
    # A fresh process, so the template tags load only after the test
    # environment instrumented rendering (the order a test runner has).
    script = textwrap.dedent(
        """
        import manouche
        from manouche.conf import settings

        settings.configure(
            SECRET_KEY="k" * 50,
            TEMPLATES=[{
                "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
                "OPTIONS": {"loaders": [("manouche.template.loaders.locmem.Loader", {
                    "base.html": "base",
                    "include.html": "[{% include 'base.html' %}]",
                    "extends.html": "{% extends 'base.html' %}",
                })]},
            }],
        )
        manouche.setup()
        from manouche.test.utils import setup_test_environment
        setup_test_environment()
        from manouche.template.loader import render_to_string
        from manouche.test import SimpleTestCase

        class Case(SimpleTestCase):
            def runTest(self):
                with self.assertTemplateUsed("base.html"):
                    assert render_to_string("include.html") == "[base]"
                with self.assertTemplateUsed("base.html"):
                    render_to_string("extends.html")
                with self.assertTemplateNotUsed("include.html"):
                    render_to_string("extends.html")

        result = Case().run()
        print("ok" if result.wasSuccessful() else result.failures + result.errors)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stdout + done.stderr
