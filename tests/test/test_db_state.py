"""The registry helpers behind TransactionTestCase.available_apps."""

from __future__ import annotations

import pytest

from manouche.apps import apps
from manouche.core.signals import setting_changed
from manouche.test import _db_state


def installed() -> list[str]:
    return sorted(config.name for config in apps.get_app_configs())


def test_available_apps_narrow_the_registry_and_announce_it():
    before = installed()
    seen = []

    def receiver(setting, value, enter, **kwargs):
        seen.append((setting, value, enter))

    setting_changed.connect(receiver)
    try:
        _db_state.enter_available_apps(["manouche.contrib.contenttypes"])
        try:
            assert installed() == ["manouche.contrib.contenttypes"]
        finally:
            _db_state.exit_available_apps(["manouche.contrib.contenttypes"])
    finally:
        setting_changed.disconnect(receiver)
    assert installed() == before
    assert seen == [
        ("INSTALLED_APPS", ["manouche.contrib.contenttypes"], True),
        ("INSTALLED_APPS", None, False),
    ]


def test_no_available_apps_leaves_the_registry_alone():
    before = installed()
    _db_state.enter_available_apps(None)
    assert installed() == before
    _db_state.exit_available_apps(None)
    assert installed() == before


def test_available_apps_must_be_installed():
    with pytest.raises(ValueError, match="extra apps: not.an.app"):
        _db_state.enter_available_apps(["not.an.app"])
