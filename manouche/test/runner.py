"""The unittest-based test runner behind ``manage.py test``.

``DiscoverRunner`` finds tests from labels (dotted names, directories or
files), filters them by name pattern and tag, prepares the test environment
and databases, runs the system checks and the suite, and returns the number
of failures. It never decides what a test does.
"""

from __future__ import annotations

import argparse
import os
import sys
import unittest
from collections.abc import Iterable, Iterator, Sequence
from importlib import import_module
from typing import Any

from manouche.test.utils import (
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)

__all__ = ["DiscoverRunner", "filter_tests_by_tags", "iter_test_cases", "reorder_tests"]


def iter_test_cases(tests: Iterable[Any]) -> Iterator[unittest.TestCase]:
    """Yield every test case of a (nested) suite, in order."""
    for test in tests:
        if isinstance(test, unittest.TestSuite):
            yield from iter_test_cases(test)
        else:
            yield test


def _test_tags(test: unittest.TestCase) -> set[str]:
    tags = set(getattr(test, "tags", set()))
    method = getattr(test, getattr(test, "_testMethodName", ""), None)
    tags |= set(getattr(method, "tags", set()))
    return tags


def filter_tests_by_tags(
    tests: Iterable[unittest.TestCase], tags: set[str], exclude_tags: set[str]
) -> list[unittest.TestCase]:
    """Keep tests with one of ``tags`` (any if empty) and none of ``exclude_tags``."""
    kept = []
    for test in tests:
        test_tags = _test_tags(test)
        if tags and not test_tags & tags:
            continue
        if test_tags & exclude_tags:
            continue
        kept.append(test)
    return kept


def reorder_tests(
    tests: Iterable[unittest.TestCase], classes: Sequence[type], reverse: bool = False
) -> list[unittest.TestCase]:
    """Group tests by the first of ``classes`` they are instances of; others last."""
    buckets: list[list[unittest.TestCase]] = [[] for _ in range(len(classes) + 1)]
    seen: set[int] = set()
    ordered = list(tests)
    if reverse:
        ordered.reverse()
    for test in ordered:
        if id(test) in seen:
            continue
        seen.add(id(test))
        for index, cls in enumerate(classes):
            if isinstance(test, cls):
                buckets[index].append(test)
                break
        else:
            buckets[-1].append(test)
    return [test for bucket in buckets for test in bucket]


def _is_discoverable(label: str) -> tuple[bool, bool]:
    """Return (importable, is_package) for a dotted ``label``."""
    try:
        module = import_module(label)
    except (ImportError, TypeError, ValueError):
        return False, False
    return True, hasattr(module, "__path__")


def _find_top_level(top_level: str) -> str:
    # Walk up while the directory is a package, to find the import root.
    while os.path.exists(os.path.join(top_level, "__init__.py")):
        parent = os.path.dirname(top_level)
        if parent == top_level:
            break
        top_level = parent
    return top_level


class DiscoverRunner:
    """Discover and run unittest tests, as ``manage.py test`` does."""

    test_suite = unittest.TestSuite
    test_runner = unittest.TextTestRunner
    test_loader = unittest.defaultTestLoader

    def __init__(
        self,
        pattern: str | None = None,
        top_level: str | None = None,
        verbosity: int = 1,
        interactive: bool = True,
        failfast: bool = False,
        keepdb: bool = False,
        reverse: bool = False,
        debug_mode: bool = False,
        debug_sql: bool = False,
        parallel: int = 0,
        tags: Iterable[str] | None = None,
        exclude_tags: Iterable[str] | None = None,
        test_name_patterns: Iterable[str] | None = None,
        buffer: bool = False,
        **kwargs: Any,
    ) -> None:
        self.pattern = pattern
        self.top_level = top_level
        self.verbosity = verbosity
        self.interactive = interactive
        self.failfast = failfast
        self.keepdb = keepdb
        self.reverse = reverse
        self.debug_mode = debug_mode
        self.debug_sql = debug_sql
        # Tests run in one process for now; a parallel request runs serially.
        self.parallel = 1
        self.tags = set(tags or ())
        self.exclude_tags = set(exclude_tags or ())
        self.buffer = buffer
        self.test_name_patterns = None
        if test_name_patterns:
            self.test_name_patterns = {
                pattern if "*" in pattern else f"*{pattern}*"
                for pattern in test_name_patterns
            }

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add the runner's options to the ``test`` command's parser."""
        parser.add_argument(
            "-t",
            "--top-level-directory",
            dest="top_level",
            help="Top level of project for unittest discovery.",
        )
        parser.add_argument(
            "-p",
            "--pattern",
            default="test*.py",
            help='The test matching pattern. Defaults to "test*.py".',
        )
        parser.add_argument(
            "--keepdb",
            action="store_true",
            help="Preserves the test DB between runs.",
        )
        parser.add_argument(
            "-r",
            "--reverse",
            action="store_true",
            help="Reverses test order.",
        )
        parser.add_argument(
            "--debug-mode",
            action="store_true",
            help="Sets settings.DEBUG to True.",
        )
        parser.add_argument(
            "-d",
            "--debug-sql",
            action="store_true",
            help="Prints logged SQL queries on failure.",
        )
        parser.add_argument(
            "--parallel",
            nargs="?",
            const="auto",
            default=0,
            metavar="N",
            help="Accepted for compatibility; tests run in one process.",
        )
        parser.add_argument(
            "--tag",
            action="append",
            dest="tags",
            help="Run only tests with the specified tag. Can be used multiple times.",
        )
        parser.add_argument(
            "--exclude-tag",
            action="append",
            dest="exclude_tags",
            help="Do not run tests with the specified tag. Can be used multiple times.",
        )
        parser.add_argument(
            "-b",
            "--buffer",
            action="store_true",
            help="Discard output from passing tests.",
        )
        parser.add_argument(
            "-k",
            action="append",
            dest="test_name_patterns",
            help="Only run test methods and classes that match the pattern or "
            "substring. Can be used multiple times.",
        )
        # --failfast belongs to the ``test`` command itself, as in Django.

    def log(self, message: str, level: int = 1) -> None:
        """Print ``message`` when verbosity is at least ``level``."""
        if self.verbosity >= level:
            print(message)

    def setup_test_environment(self, **kwargs: Any) -> None:
        """Prepare settings and signals for tests and install the Ctrl-C handler."""
        setup_test_environment(debug=self.debug_mode)
        unittest.installHandler()

    def teardown_test_environment(self, **kwargs: Any) -> None:
        """Undo ``setup_test_environment``."""
        unittest.removeHandler()
        teardown_test_environment()

    def _label_to_module(self, label: str) -> str | None:
        """Turn a path to a .py file into a dotted module name."""
        path = os.path.abspath(label)
        if not (os.path.isfile(path) and path.endswith(".py")):
            return None
        top = (
            os.path.abspath(self.top_level)
            if self.top_level
            else _find_top_level(os.path.dirname(path))
        )
        if top not in sys.path:
            sys.path.insert(0, top)
        relative = os.path.relpath(path, top)[: -len(".py")]
        return relative.replace(os.sep, ".")

    def load_tests_for_label(self, label: str, discover_kwargs: dict[str, Any]) -> Any:
        """Load the tests a label names: module, class, method, package or directory."""
        loader = self.test_loader
        module_name = self._label_to_module(label)
        if module_name is not None:
            return loader.loadTestsFromName(module_name)
        label_as_path = os.path.abspath(label)
        if not os.path.exists(label_as_path):
            importable, is_package = _is_discoverable(label)
            if not importable or not is_package:
                return loader.loadTestsFromName(label)
            start_dir = os.path.dirname(import_module(label).__file__ or label)
        elif os.path.isdir(label_as_path):
            start_dir = label_as_path
        else:
            raise RuntimeError(
                f"One of the test labels is a path to a file: {label!r}, which is not "
                "a Python module. Use a dotted module name or a directory instead."
            )
        kwargs = dict(discover_kwargs)
        if not self.top_level:
            kwargs["top_level_dir"] = _find_top_level(start_dir)
        tests = loader.discover(start_dir=start_dir, **kwargs)
        loader._top_level_dir = None  # type: ignore[attr-defined]
        return tests

    def build_suite(
        self, test_labels: Sequence[str] | None = None, **kwargs: Any
    ) -> Any:
        """Collect, filter and order the tests named by ``test_labels``."""
        discover_kwargs: dict[str, Any] = {}
        if self.pattern is not None:
            discover_kwargs["pattern"] = self.pattern
        if self.top_level is not None:
            discover_kwargs["top_level_dir"] = self.top_level
        loader = self.test_loader
        previous_patterns = loader.testNamePatterns
        loader.testNamePatterns = (
            sorted(self.test_name_patterns) if self.test_name_patterns else None
        )
        try:
            all_tests: list[unittest.TestCase] = []
            for label in test_labels or ["."]:
                tests = self.load_tests_for_label(label, discover_kwargs)
                all_tests.extend(iter_test_cases(tests))
        finally:
            loader.testNamePatterns = previous_patterns
        if self.tags or self.exclude_tags:
            if self.tags:
                self.log(f"Including test tag(s): {', '.join(sorted(self.tags))}.", 2)
            if self.exclude_tags:
                self.log(
                    f"Excluding test tag(s): {', '.join(sorted(self.exclude_tags))}.", 2
                )
            all_tests = filter_tests_by_tags(all_tests, self.tags, self.exclude_tags)
        all_tests = reorder_tests(all_tests, self._reorder_by(), self.reverse)
        self.log(f"Found {len(all_tests)} test(s).")
        return self.test_suite(all_tests)

    @staticmethod
    def _reorder_by() -> tuple[type, ...]:
        from manouche.test.testcases import SimpleTestCase, TestCase

        return (TestCase, SimpleTestCase)

    def get_databases(self, suite: Any) -> set[str]:
        """Return the aliases of the databases the suite's tests declare."""
        databases: set[str] = set()
        for test in iter_test_cases(suite):
            declared = getattr(test, "databases", None)
            if declared == "__all__":
                from manouche.conf import settings

                databases.update(getattr(settings, "DATABASES", {}) or {})
            elif declared:
                databases.update(declared)
        return databases

    def setup_databases(self, **kwargs: Any) -> list[Any]:
        """Create the test databases."""
        return setup_databases(
            self.verbosity,
            self.interactive,
            keepdb=self.keepdb,
            debug_sql=self.debug_sql,
            parallel=self.parallel,
            **kwargs,
        )

    def teardown_databases(self, old_config: list[Any], **kwargs: Any) -> None:
        """Destroy the test databases."""
        teardown_databases(
            old_config,
            verbosity=self.verbosity,
            parallel=self.parallel,
            keepdb=self.keepdb,
        )

    def run_checks(self, databases: set[str]) -> None:
        """Run the system checks; a serious problem stops the run."""
        try:
            from manouche.core.management import call_command
        except ImportError:
            return
        call_command("check", verbosity=self.verbosity, databases=databases)

    def get_test_runner_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments for ``test_runner``."""
        return {
            "failfast": self.failfast,
            "verbosity": self.verbosity,
            "buffer": self.buffer,
        }

    def run_suite(self, suite: Any, **kwargs: Any) -> unittest.TestResult:
        """Run the suite and return its result."""
        runner = self.test_runner(**self.get_test_runner_kwargs())
        return runner.run(suite)

    def suite_result(
        self, suite: Any, result: unittest.TestResult, **kwargs: Any
    ) -> int:
        """Return the number of failures, errors and unexpected successes."""
        return (
            len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        )

    def run_tests(self, test_labels: Sequence[str] | None, **kwargs: Any) -> int:
        """Run the tests named by ``test_labels`` (all under "." when empty).

        Returns the number of tests that failed.
        """
        self.setup_test_environment()
        suite = self.build_suite(test_labels)
        databases = self.get_databases(suite)
        old_config = self.setup_databases(aliases=databases)
        run_failed = False
        try:
            self.run_checks(databases)
            result = self.run_suite(suite)
        except Exception:
            run_failed = True
            raise
        finally:
            try:
                self.teardown_databases(old_config)
                self.teardown_test_environment()
            except Exception:
                if not run_failed:
                    raise
        return self.suite_result(suite, result)
