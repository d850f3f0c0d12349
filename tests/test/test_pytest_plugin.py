"""The pytest plugin, run on temporary projects in a subprocess."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SETTINGS = """
SECRET_KEY = "plugin-tests"
ALLOWED_HOSTS = []
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "project_urls"
USE_TZ = True
"""

URLS = """
from manouche.conf import settings
from manouche.http import HttpResponse
from manouche.urls import path


def index(request):
    return HttpResponse(f"debug={settings.DEBUG} tz={settings.USE_TZ}")


urlpatterns = [path("", index)]
"""

TESTS = """
import pytest

from manouche.conf import settings as manouche_settings


def test_client(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content == b"debug=False tz=True"


def test_settings_fixture_changes_and_restores(settings, client):
    settings.USE_TZ = False
    assert manouche_settings.USE_TZ is False
    assert client.get("/").content == b"debug=False tz=False"


def test_settings_were_restored():
    assert manouche_settings.USE_TZ is True
    assert "testserver" in manouche_settings.ALLOWED_HOSTS


def test_request_factories(rf, async_rf):
    assert rf.get("/x/").path == "/x/"
    assert async_rf.post("/y/").method == "POST"


@pytest.mark.asyncio
async def test_async_client(async_client):
    response = await async_client.get("/")
    assert response.status_code == 200
"""


@pytest.fixture
def project(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    monkeypatch.delenv("MANOUCHE_SETTINGS_MODULE", raising=False)
    pytester.makepyfile(project_settings=SETTINGS, project_urls=URLS, test_app=TESTS)
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def test_ds_option_configures_settings_and_fixtures(project: pytest.Pytester) -> None:
    result = project.runpytest_subprocess(
        "--ds=project_settings", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=5)


def test_environment_variable_configures_settings(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MANOUCHE_SETTINGS_MODULE", "project_settings")
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_ini_option_configures_settings(project: pytest.Pytester) -> None:
    project.makeini(
        "[pytest]\nmanouche_settings = project_settings\n"
        "asyncio_default_fixture_loop_scope = function\n"
    )
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_plugin_is_inert_without_settings(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MANOUCHE_SETTINGS_MODULE", raising=False)
    pytester.makepyfile(
        test_other="""
        def test_unrelated():
            assert 1 + 1 == 2

        def test_wants_client(client):
            raise AssertionError("must be skipped")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*manouche settings are not configured*"])
