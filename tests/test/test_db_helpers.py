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


def test_feature_skips_on_plain_functions_use_the_default_database():
    @skipUnlessDBFeature("this_feature_does_not_exist")
    def needs_it():
        raise AssertionError("must be skipped")

    @skipIfDBFeature("this_feature_does_not_exist")
    def runs() -> str:
        return "ran"

    @skipIfDBFeature("this_feature_does_not_exist", "__class__")
    def skipped_by_any_feature():
        raise AssertionError("must be skipped")

    with pytest.raises(unittest.SkipTest, match="doesn't support feature"):
        needs_it()
    assert runs() == "ran"
    with pytest.raises(unittest.SkipTest, match="has feature"):
        skipped_by_any_feature()


def test_class_skips_stack_and_count_as_run_tests():
    @skipUnlessDBFeature("this_feature_does_not_exist")
    @skipIfDBFeature("__class__")
    class Skipped(TestCase):
        def test_never(self):
            raise AssertionError("must be skipped")

    @skipIfDBFeature("__dict__")
    class SkippedSubclass(Skipped):
        pass

    @skipUnlessDBFeature("__class__")
    class Runs(TestCase):
        def test_runs(self):
            pass

    suite = unittest.TestSuite(
        [Skipped("test_never"), SkippedSubclass("test_never"), Runs("test_runs")]
    )
    result = unittest.TestResult()
    suite.run(result)
    assert result.testsRun == 3
    # The decorator applied first (and the base class's) gives the reason.
    assert [reason for _, reason in result.skipped] == [
        "Database has feature(s) __class__",
        "Database has feature(s) __class__",
    ]
    assert not result.failures
    assert not result.errors


def test_feature_skip_keeps_an_unconditional_unittest_skip_below_it():
    @skipUnlessDBFeature("__class__")
    @unittest.skipUnless(False, "vendor-specific behaviour")
    class VendorOnly(TestCase):
        def test_never(self):
            raise AssertionError("must be skipped")

    @skipUnlessDBFeature("__class__")
    class VendorOnlyChild(VendorOnly):
        pass

    for case in (VendorOnly, VendorOnlyChild):
        result = run_case(case)
        assert [reason for _, reason in result.skipped] == ["vendor-specific behaviour"]
        assert not result.failures


def test_feature_skip_on_a_case_without_databases_is_an_error():
    from manouche.test import SimpleTestCase

    @skipIfDBFeature("missing")
    class NoDatabases(SimpleTestCase):
        def test_it(self):
            pass

    with pytest.raises(ValueError, match="doesn't allow queries against the 'default'"):
        unittest.TestSuite([NoDatabases("test_it")]).run(unittest.TestResult())


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
