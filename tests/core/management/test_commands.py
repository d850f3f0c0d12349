"""check, diffsettings, version and shell through call_command."""

from __future__ import annotations

from io import StringIO

import pytest

import manouche
from manouche.core.management import call_command
from manouche.core.management.base import CommandError, SystemCheckError
from manouche.test.utils import override_settings


def test_check_reports_no_issues() -> None:
    out = StringIO()
    call_command("check", stdout=out)
    assert out.getvalue() == "System check identified no issues (0 silenced).\n"


def test_check_deploy_lists_warnings_on_stderr() -> None:
    out, err = StringIO(), StringIO()
    with override_settings(DEBUG=True, ALLOWED_HOSTS=[], MIDDLEWARE=[]):
        call_command("check", deploy=True, stdout=out, stderr=err)
    report = err.getvalue()
    assert report.startswith("System check identified some issues:\n\nWARNINGS:\n")
    for check_id in ("W001", "W002", "W009", "W018", "W020"):
        assert f"?: (security.{check_id}) " in report
    assert report.endswith("System check identified 5 issues (0 silenced).\n")
    assert out.getvalue() == ""


def test_check_fail_level_and_silencing() -> None:
    with (
        override_settings(DEBUG=True, MIDDLEWARE=[]),
        pytest.raises(SystemCheckError) as excinfo,
    ):
        call_command("check", deploy=True, fail_level="WARNING", stderr=StringIO())
    assert str(excinfo.value).startswith("SystemCheckError: System check identified")
    assert "(security.W018) You should not have DEBUG set to True in deployment." in (
        str(excinfo.value)
    )
    err = StringIO()
    silenced = ["security.W001", "security.W002", "security.W009", "security.W018"]
    with override_settings(DEBUG=True, MIDDLEWARE=[], SILENCED_SYSTEM_CHECKS=silenced):
        call_command("check", deploy=True, stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_check_tags() -> None:
    out = StringIO()
    call_command("check", tags=["urls"], stdout=out)
    assert "no issues" in out.getvalue()
    with pytest.raises(CommandError) as excinfo:
        call_command("check", tags=["nope"])
    assert str(excinfo.value) == 'There is no system check with the "nope" tag.'
    out = StringIO()
    call_command("check", list_tags=True, stdout=out)
    assert out.getvalue().split() == ["files", "models", "urls"]
    out = StringIO()
    call_command("check", list_tags=True, deploy=True, stdout=out)
    assert "security" in out.getvalue().split()


def test_check_unknown_app_label() -> None:
    with pytest.raises(CommandError, match=r"No installed app with label 'nope'."):
        call_command("check", "nope")


def test_diffsettings_hash_and_unified() -> None:
    out = StringIO()
    call_command("diffsettings", stdout=out)
    lines = out.getvalue().splitlines()
    assert "DEBUG = False" not in lines  # same as the default
    assert "ROOT_URLCONF = 'tests.core.management.urls'  ###" in lines
    assert "TIME_ZONE = 'UTC'" in lines
    out = StringIO()
    call_command("diffsettings", all=True, stdout=out)
    assert "### DEBUG = False" in out.getvalue().splitlines()
    out = StringIO()
    call_command("diffsettings", output="unified", stdout=out, no_color=True)
    lines = out.getvalue().splitlines()
    assert "- TIME_ZONE = 'America/Chicago'" in lines
    assert "+ TIME_ZONE = 'UTC'" in lines
    assert "+ ROOT_URLCONF = 'tests.core.management.urls'" in lines


def test_diffsettings_against_another_module() -> None:
    out = StringIO()
    call_command("diffsettings", default="tests.settings", stdout=out)
    lines = out.getvalue().splitlines()
    assert "TIME_ZONE = 'UTC'" not in lines
    assert "ROOT_URLCONF = 'tests.core.management.urls'" in lines


def test_version() -> None:
    out = StringIO()
    call_command("version", stdout=out)
    assert out.getvalue() == f"{manouche.get_version()}\n"


def test_shell_command_option(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("shell", command="print(settings.ROOT_URLCONF)", verbosity=0)
    assert capsys.readouterr().out == "tests.core.management.urls\n"


def test_shell_auto_imports_message() -> None:
    out = StringIO()
    call_command("shell", command="pass", stdout=out)
    assert out.getvalue() == "1 object imported automatically (use -v 2 for details).\n"


def test_shell_without_imports(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("shell", command="print('settings' in globals())", no_imports=True)
    assert capsys.readouterr().out == "False\n"
