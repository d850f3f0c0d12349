"""DiscoverRunner: labels, filtering, ordering and a full run in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from manouche.test.runner import DiscoverRunner

TEST_MODULE = """
import unittest

from manouche.test import SimpleTestCase, tag


class PlainTests(unittest.TestCase):
    def test_plain(self):
        pass


class WebTests(SimpleTestCase):
    @tag("slow")
    def test_slow(self):
        pass

    def test_fast(self):
        pass


@tag("broken")
class BrokenTests(SimpleTestCase):
    def test_fails(self):
        self.fail("expected failure")

    def test_errors(self):
        raise RuntimeError("boom")
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    name = f"runner_pkg_{uuid.uuid4().hex[:8]}"
    root = tmp_path / name
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "test_things.py").write_text(TEST_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    yield name
    for module in [m for m in sys.modules if m.startswith(name)]:
        del sys.modules[module]


def ids(suite: object) -> list[str]:
    return [test.id().split(".", 2)[-1] for test in suite]  # type: ignore[attr-defined]


def test_discovers_from_a_package_label_and_orders_simple_test_cases_first(
    package: str,
) -> None:
    suite = DiscoverRunner(verbosity=0).build_suite([package])
    assert ids(suite) == [
        "test_things.BrokenTests.test_errors",
        "test_things.BrokenTests.test_fails",
        "test_things.WebTests.test_fast",
        "test_things.WebTests.test_slow",
        "test_things.PlainTests.test_plain",
    ]


def test_dotted_class_method_directory_and_file_labels(package: str) -> None:
    runner = DiscoverRunner(verbosity=0)
    module = f"{package}.sub.test_things"
    assert len(list(runner.build_suite([f"{module}.WebTests"]))) == 2
    assert ids(runner.build_suite([f"{module}.WebTests.test_fast"])) == [
        "test_things.WebTests.test_fast"
    ]
    assert len(list(runner.build_suite([os.path.join(package, "sub")]))) == 5
    file_label = os.path.join(package, "sub", "test_things.py")
    assert len(list(runner.build_suite([file_label]))) == 5


def test_tags_exclude_tags_and_name_patterns(package: str) -> None:
    suite = DiscoverRunner(verbosity=0, tags=["slow"]).build_suite([package])
    assert ids(suite) == ["test_things.WebTests.test_slow"]
    suite = DiscoverRunner(verbosity=0, exclude_tags=["broken", "slow"]).build_suite(
        [package]
    )
    assert ids(suite) == [
        "test_things.WebTests.test_fast",
        "test_things.PlainTests.test_plain",
    ]
    suite = DiscoverRunner(verbosity=0, test_name_patterns=["plain"]).build_suite(
        [package]
    )
    assert ids(suite) == ["test_things.PlainTests.test_plain"]


def test_reverse_and_found_message(
    package: str, capsys: pytest.CaptureFixture[str]
) -> None:
    suite = DiscoverRunner(reverse=True).build_suite([package])
    # Reversed within each group; SimpleTestCase tests still come first.
    assert ids(suite) == [
        "test_things.WebTests.test_slow",
        "test_things.WebTests.test_fast",
        "test_things.BrokenTests.test_fails",
        "test_things.BrokenTests.test_errors",
        "test_things.PlainTests.test_plain",
    ]
    assert "Found 5 test(s)." in capsys.readouterr().out


def test_add_arguments_accepts_django_options() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    DiscoverRunner.add_arguments(parser)
    options = parser.parse_args(
        [
            "--tag",
            "a",
            "--exclude-tag",
            "b",
            "-k",
            "x",
            "--keepdb",
            "--parallel",
            "4",
            "-p",
            "check*.py",
        ]
    )
    runner = DiscoverRunner(**vars(options), failfast=True)
    assert runner.tags == {"a"}
    assert runner.exclude_tags == {"b"}
    assert runner.keepdb is True
    assert runner.parallel == 1
    assert runner.failfast is True
    assert runner.pattern == "check*.py"


def test_run_tests_returns_failure_count(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text("")
    (project / "app" / "tests.py").write_text(TEST_MODULE)
    (project / "proj_settings.py").write_text(
        'SECRET_KEY = "x"\nINSTALLED_APPS = []\nALLOWED_HOSTS = []\n'
    )
    script = textwrap.dedent(
        """
        import manouche
        from manouche.conf import settings
        from manouche.test.utils import get_runner
        manouche.setup()
        runner = get_runner(settings)(verbosity=0, pattern="tests.py")
        print("FAILURES", runner.run_tests(["app"]))
        print("HOSTS", settings.ALLOWED_HOSTS)
        """
    )
    env = {
        **os.environ,
        "MANOUCHE_SETTINGS_MODULE": "proj_settings",
        "PYTHONPATH": str(project),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "FAILURES 2" in result.stdout, result.stderr
    assert "HOSTS []" in result.stdout
    assert "expected failure" in result.stderr
