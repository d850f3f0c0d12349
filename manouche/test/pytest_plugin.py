"""The pytest plugin: manouche settings, the test environment and fixtures.

Registered globally through the ``pytest11`` entry point, so it must stay
inert unless a settings module is named: by ``--ds``, by the
``MANOUCHE_SETTINGS_MODULE`` environment variable or by the
``manouche_settings`` ini option (in that order of precedence). Then it calls
``manouche.setup()`` before tests are collected, prepares the test
environment for the session and offers the fixtures ``settings``,
``client``, ``async_client``, ``rf`` and ``async_rf``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = [
    "SettingsWrapper",
    "async_client",
    "async_rf",
    "client",
    "pytest_addoption",
    "pytest_configure",
    "pytest_load_initial_conftests",
    "rf",
    "settings",
]

ENVIRONMENT_VARIABLE = "MANOUCHE_SETTINGS_MODULE"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--ds`` and the ``manouche_settings`` ini option."""
    group = parser.getgroup("manouche")
    group.addoption(
        "--ds",
        action="store",
        dest="manouche_settings",
        default=None,
        help="Set MANOUCHE_SETTINGS_MODULE (the settings module to test with).",
    )
    parser.addini(
        "manouche_settings",
        "The manouche settings module to use (MANOUCHE_SETTINGS_MODULE).",
        default=None,
    )


def _settings_module(config: pytest.Config, options: Any) -> str | None:
    from_option = getattr(options, "manouche_settings", None)
    if from_option:
        return str(from_option)
    from_env = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_env:
        return from_env
    from_ini = config.getini("manouche_settings")
    return str(from_ini) if from_ini else None


def _setup_manouche() -> None:
    from manouche.apps import apps
    from manouche.conf import settings

    if not settings.configured and not os.environ.get(ENVIRONMENT_VARIABLE):
        return
    if apps.ready:
        return
    import manouche

    manouche.setup()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    """Export the settings module early, so conftest files can import app code."""
    module = _settings_module(early_config, early_config.known_args_namespace)
    if module:
        os.environ[ENVIRONMENT_VARIABLE] = module
        _setup_manouche()


def pytest_configure(config: pytest.Config) -> None:
    """Set manouche up if a conftest configured settings after the early hook."""
    module = _settings_module(config, config.option)
    if module and not os.environ.get(ENVIRONMENT_VARIABLE):
        os.environ[ENVIRONMENT_VARIABLE] = module
    _setup_manouche()


def _configured() -> bool:
    from manouche.conf import settings

    return bool(settings.configured or os.environ.get(ENVIRONMENT_VARIABLE))


def _skip_without_settings() -> None:
    if not _configured():
        pytest.skip(
            "manouche settings are not configured "
            "(set MANOUCHE_SETTINGS_MODULE or --ds)"
        )


@pytest.fixture(scope="session", autouse=True)
def _manouche_test_environment() -> Iterator[None]:
    """Prepare the test environment for the whole session, when settings exist."""
    if not _configured():
        yield
        return
    from manouche.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        yield
    finally:
        teardown_test_environment()


class SettingsWrapper:
    """Change settings by assignment; every change is undone after the test."""

    def __init__(self) -> None:
        object.__setattr__(self, "_to_restore", [])

    def __getattr__(self, name: str) -> Any:
        from manouche.conf import settings

        return getattr(settings, name)

    def __setattr__(self, name: str, value: Any) -> None:
        from manouche.test.utils import override_settings

        override = override_settings(**{name: value})
        override.enable()
        self._to_restore.append(override)

    def __delattr__(self, name: str) -> None:
        from manouche.conf import settings
        from manouche.test.utils import override_settings

        override = override_settings()
        override.enable()
        self._to_restore.append(override)
        delattr(settings, name)

    def finalize(self) -> None:
        """Restore every setting changed through this wrapper, newest first."""
        while self._to_restore:
            self._to_restore.pop().disable()


@pytest.fixture
def settings() -> Iterator[SettingsWrapper]:
    """Settings a test may change by assignment (``settings.DEBUG = True``)."""
    _skip_without_settings()
    wrapper = SettingsWrapper()
    try:
        yield wrapper
    finally:
        wrapper.finalize()


@pytest.fixture
def client() -> Any:
    """A ``manouche.test.Client``."""
    _skip_without_settings()
    from manouche.test.client import Client

    return Client()


@pytest.fixture
def async_client() -> Any:
    """A ``manouche.test.AsyncClient``."""
    _skip_without_settings()
    from manouche.test.client import AsyncClient

    return AsyncClient()


@pytest.fixture
def rf() -> Any:
    """A ``manouche.test.RequestFactory``."""
    _skip_without_settings()
    from manouche.test.client import RequestFactory

    return RequestFactory()


@pytest.fixture
def async_rf() -> Any:
    """A ``manouche.test.AsyncRequestFactory``."""
    _skip_without_settings()
    from manouche.test.client import AsyncRequestFactory

    return AsyncRequestFactory()
