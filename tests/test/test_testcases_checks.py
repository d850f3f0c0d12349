"""Class set-up checks, fixture loading hooks and failure messages of test cases."""

# The point here is the test case classes themselves, so unittest-style.
# ruff: noqa: PT009, PT027

from __future__ import annotations

import unittest
from typing import ClassVar
from unittest import mock

from manouche.core.exceptions import ImproperlyConfigured
from manouche.db import connections
from manouche.test import SimpleTestCase, TransactionTestCase
from manouche.test.signals import template_rendered


class _Named:
    def __init__(self, name: str | None) -> None:
        self.name = name


def _render(name: str | None) -> None:
    template_rendered.send(sender=None, template=_Named(name), context={})


class ValidateDatabasesTests(SimpleTestCase):
    def setUp(self) -> None:
        self.addCleanup(setattr, type(self), "databases", type(self).databases)

    def test_unknown_alias_is_named(self) -> None:
        type(self).databases = {"void"}
        with self.assertRaisesMessage(
            ImproperlyConfigured,
            f"{__name__}.ValidateDatabasesTests.databases refers to 'void' which is "
            "not defined in settings.DATABASES.",
        ) as context:
            self._validate_databases()
        self.assertNotIn("Did you mean", str(context.exception))

    def test_close_match_is_suggested(self) -> None:
        type(self).databases = {"defualt"}
        with self.assertRaisesMessage(
            ImproperlyConfigured,
            "refers to 'defualt' which is not defined in settings.DATABASES. "
            "Did you mean 'default'?",
        ):
            self._validate_databases()

    def test_known_aliases(self) -> None:
        type(self).databases = {"default"}
        self.assertEqual(self._validate_databases(), frozenset({"default"}))
        type(self).databases = "__all__"
        self.assertEqual(self._validate_databases(), frozenset(connections))


def test_set_up_class_refuses_an_unknown_alias() -> None:
    class Misspelt(SimpleTestCase):
        databases = {"defualt"}

        def test_nothing(self) -> None:
            pass

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Misspelt).run(result)
    assert result.testsRun == 0
    assert len(result.errors) == 1
    assert "Did you mean 'default'?" in result.errors[0][1]


def test_fixtures_are_loaded_through_module_call_command() -> None:
    class WithFixtures(TransactionTestCase):
        databases = {"default"}
        fixtures = ["people.json", "pets.json"]

        def test_nothing(self) -> None:
            pass

    case = WithFixtures("test_nothing")
    with mock.patch("manouche.test.testcases.call_command") as call_command:
        case._fixture_setup()
    call_command.assert_called_once_with(
        "loaddata", "people.json", "pets.json", verbosity=0, database="default"
    )


class TemplateMessageTests(SimpleTestCase):
    no_templates = "No templates used to render the response"

    def test_nothing_rendered_in_block(self) -> None:
        with (
            self.assertRaisesMessage(AssertionError, self.no_templates),
            self.assertTemplateUsed("page.html"),
        ):
            pass

    def test_unnamed_template_does_not_count(self) -> None:
        with (
            self.assertRaisesMessage(AssertionError, self.no_templates),
            self.assertTemplateUsed("page.html"),
        ):
            _render(None)

    def test_prefix(self) -> None:
        with (
            self.assertRaisesMessage(AssertionError, f"Pre: {self.no_templates}"),
            self.assertTemplateUsed("page.html", msg_prefix="Pre"),
        ):
            pass

    def test_empty_name_fails_at_once(self) -> None:
        with self.assertRaisesMessage(AssertionError, self.no_templates):
            self.assertTemplateUsed("")
        with self.assertRaisesMessage(AssertionError, self.no_templates):
            self.assertTemplateUsed(template_name="")

    def test_other_template_is_listed(self) -> None:
        with (
            self.assertRaisesMessage(
                AssertionError,
                "Template 'page.html' was not a template used to render the response. "
                "Actual template(s) used: other.html",
            ),
            self.assertTemplateUsed("page.html"),
        ):
            _render("other.html")
            _render(None)

    def test_named_template_passes(self) -> None:
        with self.assertTemplateUsed("page.html"):
            _render(None)
            _render("page.html")
        with self.assertTemplateNotUsed("page.html"):
            _render(None)


class QuerySetEqualMessageTests(TransactionTestCase):
    databases: ClassVar[set[str] | str] = set()
    names = [f"Joe Smith {number}" for number in range(20)]

    def test_long_unordered_diff_is_truncated_with_hint(self) -> None:
        with self.assertRaises(AssertionError) as context:
            self.assertQuerySetEqual(self.names, [*self.names, "Extra"], ordered=False)
        self.assertIn("Set self.maxDiff to None to see it.", str(context.exception))

    def test_whole_diff_without_max_diff(self) -> None:
        self.maxDiff = None
        with self.assertRaises(AssertionError) as context:
            self.assertQuerySetEqual(self.names, [*self.names, "Extra"], ordered=False)
        message = str(context.exception)
        self.assertNotIn("Set self.maxDiff", message)
        for name in [*self.names, "Extra"]:
            self.assertIn(name, message)

    def test_unordered_counts_still_compared(self) -> None:
        self.assertQuerySetEqual(["a", "b", "a"], ["a", "a", "b"], ordered=False)
        with self.assertRaises(AssertionError):
            self.assertQuerySetEqual(["a", "b"], ["a", "a", "b"], ordered=False)


def test_teardown_flushes_through_module_call_command() -> None:
    class Narrowed(TransactionTestCase):
        databases = {"default"}
        available_apps = ["tests.db.serialapp"]

        def test_nothing(self) -> None:
            pass

    case = Narrowed("test_nothing")
    with mock.patch("manouche.test.testcases.call_command") as call_command:
        # This suite's default database is the dummy one, which isn't flushed.
        case._fixture_teardown()
        call_command.assert_not_called()
        with mock.patch.object(connections["default"], "vendor", "sqlite"):
            case._fixture_teardown()
    call_command.assert_called_once_with(
        "flush",
        verbosity=0,
        interactive=False,
        database="default",
        reset_sequences=False,
        allow_cascade=True,
        inhibit_post_migrate=True,
    )
