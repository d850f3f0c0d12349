"""ManagementUtility: help, version, unknown commands, --settings/--pythonpath."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import manouche
from manouche.core.management import ManagementUtility, execute_from_command_line

from .conftest import subprocess_env


def run(
    *args: str, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "manouche", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=subprocess_env(**env),
        timeout=60,
        check=False,
    )


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    execute_from_command_line(["manage.py", "help"])
    out = capsys.readouterr().out
    assert (
        "Type 'manage.py help <subcommand>' for help on a specific subcommand." in out
    )
    assert "[manouche]\n    check\n    dbshell\n    demo\n" in out
    execute_from_command_line(["manage.py", "help", "--commands"])
    assert "runserver\nserve\nshell\n" in capsys.readouterr().out


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    execute_from_command_line(["manage.py", "--version"])
    assert capsys.readouterr().out == f"{manouche.get_version()}\n"


def test_help_for_one_command(capsys: pytest.CaptureFixture[str]) -> None:
    execute_from_command_line(["manage.py", "help", "check"])
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py check [-h] [--tag TAGS]")
    # The command's own options come before the shared ones.
    assert out.index("--deploy") < out.index("--settings SETTINGS")


def test_unknown_command_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["manage.py", "chek"]).execute()
    assert excinfo.value.code == 1
    assert capsys.readouterr().err == (
        "Unknown command: 'chek'. Did you mean check?\n"
        "Type 'manage.py help' for usage.\n"
    )


def test_command_error_from_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        execute_from_command_line(["manage.py", "check", "--tag", "nope"])
    assert excinfo.value.code == 1
    assert capsys.readouterr().err == (
        'CommandError: There is no system check with the "nope" tag.\n'
    )


def test_bad_argument_from_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        execute_from_command_line(["manage.py", "check", "--fail-level", "LOUD"])
    assert excinfo.value.code == 2
    assert "argument --fail-level: invalid choice: 'LOUD'" in capsys.readouterr().err


def test_python_dash_m_without_settings() -> None:
    result = run("check")
    assert result.returncode == 1
    assert "settings are not configured" in result.stderr
    result = run("nosuch")
    assert result.returncode == 1
    assert result.stderr == (
        "No manouche settings specified.\nUnknown command: 'nosuch'\n"
        "Type 'python -m manouche help' for usage.\n"
    )
    result = run()
    assert "Note that only manouche core commands are listed" in result.stdout


def test_settings_and_pythonpath_options(tmp_path: Path) -> None:
    package = tmp_path / "elsewhere"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "conf.py").write_text(
        "SECRET_KEY = 'k'\nROOT_URLCONF = 'elsewhere.urls'\nTIME_ZONE = 'UTC'\n"
    )
    (package / "urls.py").write_text("urlpatterns = []\n")
    result = run(
        "diffsettings", "--settings", "elsewhere.conf", "--pythonpath", str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    assert "ROOT_URLCONF = 'elsewhere.urls'  ###" in result.stdout
    assert "SECRET_KEY = 'k'" in result.stdout.splitlines()
