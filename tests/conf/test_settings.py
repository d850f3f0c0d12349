from __future__ import annotations

import sys
import types

import pytest

from manouche.conf import LazySettings, settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.core.signals import setting_changed
from manouche.test.utils import modify_settings, override_settings


@pytest.fixture
def settings_module(monkeypatch):
    module = types.ModuleType("tests_conf_fake_settings")
    module.SECRET_KEY = "s"
    module.DEBUG = True
    module.lowercase_ignored = 1
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_settings_module_overrides_defaults(monkeypatch, settings_module):
    monkeypatch.setenv("MANOUCHE_SETTINGS_MODULE", settings_module.__name__)
    lazy = LazySettings()
    assert lazy.DEBUG is True
    assert lazy.APPEND_SLASH is True
    assert lazy.is_overridden("DEBUG")
    assert not lazy.is_overridden("APPEND_SLASH")
    assert not hasattr(lazy, "lowercase_ignored")
    assert repr(lazy) == '<LazySettings "tests_conf_fake_settings">'


def test_missing_settings_module_names_the_setting(monkeypatch):
    monkeypatch.delenv("MANOUCHE_SETTINGS_MODULE", raising=False)
    lazy = LazySettings()
    with pytest.raises(
        ImproperlyConfigured,
        match="Requested setting DEBUG, but settings are not "
        "configured. You must either define the environment variable "
        "MANOUCHE_SETTINGS_MODULE",
    ):
        lazy.DEBUG  # noqa: B018


def test_list_settings_must_be_lists(monkeypatch, settings_module):
    settings_module.ALLOWED_HOSTS = "example.com"
    monkeypatch.setenv("MANOUCHE_SETTINGS_MODULE", settings_module.__name__)
    with pytest.raises(
        ImproperlyConfigured,
        match="The ALLOWED_HOSTS setting must be a list or a tuple.",
    ):
        LazySettings().DEBUG  # noqa: B018


def test_empty_secret_key_is_refused_on_use():
    lazy = LazySettings()
    lazy.configure(SECRET_KEY="")
    with pytest.raises(
        ImproperlyConfigured, match="The SECRET_KEY setting must not be empty."
    ):
        lazy.SECRET_KEY  # noqa: B018


def test_configure_once_with_uppercase_names_only():
    lazy = LazySettings()
    with pytest.raises(TypeError, match="Setting 'debug' must be uppercase."):
        lazy.configure(debug=True)
    lazy = LazySettings()
    lazy.configure(DEBUG=True)
    assert lazy.configured
    with pytest.raises(RuntimeError, match="Settings already configured."):
        lazy.configure(DEBUG=False)


def test_override_settings_as_context_manager_sends_setting_changed():
    events = []

    def record(setting, value, enter, **kwargs):
        events.append((setting, value, enter))

    setting_changed.connect(record)
    try:
        with override_settings(APPEND_SLASH=False):
            assert settings.APPEND_SLASH is False
        assert settings.APPEND_SLASH is True
    finally:
        setting_changed.disconnect(record)
    assert events == [("APPEND_SLASH", False, True), ("APPEND_SLASH", True, False)]


@override_settings(DEBUG=True)
def test_override_settings_as_function_decorator():
    assert settings.DEBUG is True


@override_settings(DEBUG=True)
async def test_override_settings_decorates_coroutines():
    assert settings.DEBUG is True


def test_override_settings_can_delete_a_setting():
    with override_settings(APPEND_SLASH=True):
        del settings.APPEND_SLASH
        with pytest.raises(AttributeError):
            settings.APPEND_SLASH  # noqa: B018
    assert settings.APPEND_SLASH is True


def test_modify_settings_appends_prepends_and_removes():
    with (
        override_settings(MIDDLEWARE=["b"]),
        modify_settings(MIDDLEWARE={"append": "c", "prepend": ["a"], "remove": ["b"]}),
    ):
        assert settings.MIDDLEWARE == ["a", "c"]
    assert settings.MIDDLEWARE == []


def test_modify_settings_refuses_unknown_actions():
    with (
        pytest.raises(ValueError, match="Unsupported action: replace"),
        modify_settings(MIDDLEWARE={"replace": "x"}),
    ):
        pass
