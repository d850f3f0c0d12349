"""Feature skips, isolated registries, temporary lookups and Approximate."""

from __future__ import annotations

import unittest

import pytest

from manouche.apps import apps as global_apps
from manouche.db import models
from manouche.test import TestCase, skipIfDBFeature, skipUnlessDBFeature
from manouche.test.utils import (
    Approximate,
    isolate_apps,
    override_settings,
    register_lookup,
)


def run_case(case: type[unittest.TestCase]) -> unittest.TestResult:
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case).run(result)
    return result


def test_feature_skips_are_decided_at_run_time_against_the_databases():
    class Cases(TestCase):
        databases = {"default"}

        @skipUnlessDBFeature("this_feature_does_not_exist")
        def test_needs_missing_feature(self):
            raise AssertionError("must be skipped")

        @skipIfDBFeature("this_feature_does_not_exist")
        def test_runs_without_it(self):
            pass

    result = run_case(Cases)
    assert result.testsRun == 2
    assert [reason for _, reason in result.skipped] == [
        "Database doesn't support feature(s): this_feature_does_not_exist"
    ]
    assert not result.failures
    assert not result.errors


def test_feature_skip_on_a_class_skips_every_test():
    @skipUnlessDBFeature("this_feature_does_not_exist")
    class Skipped(TestCase):
        def test_never(self):
            raise AssertionError("must be skipped")

    result = run_case(Skipped)
    assert len(result.skipped) == 1
    assert not result.failures


def test_feature_skip_refuses_plain_classes():
    with pytest.raises(TypeError, match="only decorates TestCase subclasses"):
        skipIfDBFeature("x")(type("NotATestCase", (), {}))


def test_isolate_apps_keeps_models_out_of_the_global_registry():
    with isolate_apps("tests.apps.custom_label") as registry:

        class Isolated(models.Model):
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "custom_label"

        assert registry.get_model("custom_label", "Isolated") is Isolated
    with pytest.raises(LookupError):
        global_apps.get_registered_model("custom_label", "isolated")


def test_register_lookup_is_removed_after_the_block():
    class Reversed(models.Transform):
        lookup_name = "reversed_for_test"

    with register_lookup(models.CharField, Reversed):
        assert models.CharField.get_lookups()["reversed_for_test"] is Reversed
    assert "reversed_for_test" not in models.CharField.get_lookups()


def test_approximate_compares_within_places():
    assert Approximate(1.00000001) == 1.0
    assert Approximate(1.01, places=1) == 1.0
    assert Approximate(1.1) != 1.0
    assert Approximate(1.0) != "one"
    assert repr(Approximate(2.5)) == "2.5"


@override_settings(
    DATABASES={
        "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": ":memory:"}
    }
)
def test_simple_test_case_requests_do_not_touch_an_open_connection():
    from manouche.db import connections
    from manouche.test import SimpleTestCase

    connections["default"].ensure_connection()

    class Requests(SimpleTestCase):
        def test_request(self):
            assert self.client.get("/nowhere/").status_code == 404

    result = run_case(Requests)
    assert result.testsRun == 1
    assert not result.errors, result.errors
    assert not result.failures, result.failures
