"""manouche.core.management.utils: path patterns, formatters, processes."""

from __future__ import annotations

import io
import os
from pathlib import Path
from unittest import mock

import pytest

from manouche.core.management.base import CommandError
from manouche.core.management.utils import (
    get_random_secret_key,
    is_ignored_path,
    normalize_path_patterns,
    popen_wrapper,
    run_formatters,
)


def test_normalize_path_patterns_turns_folder_contents_into_the_folder() -> None:
    assert normalize_path_patterns(["foo/bar/*", "bar/*/", "*.py"]) == [
        os.path.normcase(p) for p in ("foo/bar", "bar/*/", "*.py")
    ]


@pytest.mark.parametrize(
    "pattern", ["foo/bar/baz", "baz", "*/baz", "*", "b?z", "[abc]az", "foo/bar/*"]
)
def test_is_ignored_path_matches_the_name_or_the_whole_path(pattern: str) -> None:
    target = "foo/bar" if pattern == "foo/bar/*" else "foo/bar/baz"
    assert is_ignored_path(target, ignore_patterns=[pattern]) is True


def test_is_ignored_path_does_not_match_a_middle_component() -> None:
    assert is_ignored_path(Path("foo/bar/baz"), ["bar", "foo/bar/bat"]) is False


def test_run_formatters_reports_a_formatter_that_cannot_start(tmp_path: Path) -> None:
    missing = str(tmp_path / "no-black-here")
    stderr = io.StringIO()
    with mock.patch(
        "manouche.core.management.utils.shutil.which", return_value=missing
    ):
        run_formatters([], stderr=stderr)
    assert stderr.getvalue().startswith(
        "Formatters failed to launch: FileNotFoundError"
    )
    assert missing in stderr.getvalue()


def test_run_formatters_runs_black_on_the_written_files(tmp_path: Path) -> None:
    with mock.patch("manouche.core.management.utils.subprocess.run") as run:
        run_formatters([tmp_path / "a.py"], black_path="/opt/black")
    assert run.call_args.args[0] == [
        "/opt/black",
        "--fast",
        "--",
        str(tmp_path / "a.py"),
    ]


def test_run_formatters_does_nothing_without_black() -> None:
    with (
        mock.patch("manouche.core.management.utils.shutil.which", return_value=None),
        mock.patch("manouche.core.management.utils.subprocess.run") as run,
    ):
        run_formatters(["a.py"])
    run.assert_not_called()


def test_popen_wrapper_and_secret_key() -> None:
    with pytest.raises(CommandError, match="Error executing a_missing_command_42"):
        popen_wrapper(["a_missing_command_42"])
    key = get_random_secret_key()
    assert len(key) == 50
    assert set(key) <= set("abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)")
