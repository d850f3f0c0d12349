"""test: run the project's tests with settings.TEST_RUNNER."""

from __future__ import annotations

import sys
from typing import Any, ClassVar

from manouche.conf import settings
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.utils import get_command_line_option

__all__ = ["Command"]


def _get_runner(test_runner_class: str | None = None) -> Any:
    try:
        from manouche.test.utils import get_runner
    except ImportError as error:
        raise CommandError(f"The test runner is not available: {error}")
    return get_runner(settings, test_runner_class)


class Command(BaseCommand):
    """Discover and run tests."""

    help = "Discover and run tests in the specified modules or the current directory."
    requires_system_checks: ClassVar[Any] = []
    test_runner: str | None = None

    def run_from_argv(self, argv: list[str]) -> None:
        # The runner's own options depend on --testrunner, read before parsing.
        self.test_runner = get_command_line_option(argv, "--testrunner")
        super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            metavar="test_label",
            nargs="*",
            help="Module paths to test; can be modulename, modulename.TestCase or "
            "modulename.TestCase.test_method",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--failfast",
            action="store_true",
            help="Tells manouche to stop running the test suite after first failed "
            "test.",
        )
        parser.add_argument(
            "--testrunner",
            help="Tells manouche to use specified test runner class instead of the one "
            "specified by the TEST_RUNNER setting.",
        )
        try:
            test_runner_class = _get_runner(self.test_runner)
        except CommandError:
            return
        if hasattr(test_runner_class, "add_arguments"):
            test_runner_class.add_arguments(parser)

    def handle(self, *test_labels: str, **options: Any) -> None:
        test_runner_class = _get_runner(options.get("testrunner"))
        test_runner = test_runner_class(**options)
        failures = test_runner.run_tests(list(test_labels))
        if failures:
            sys.exit(1)
