"""staticfiles_storage: STATIC_ROOT and STATIC_URL, following setting changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from manouche.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from manouche.core.exceptions import ImproperlyConfigured
from manouche.test.utils import override_settings


def test_defaults_come_from_the_static_settings(tmp_path: Path) -> None:
    with override_settings(STATIC_ROOT=str(tmp_path), STATIC_URL="/assets/"):
        assert staticfiles_storage.location == os.path.abspath(tmp_path)
        assert staticfiles_storage.base_url == "/assets/"
        assert staticfiles_storage.url("a b.css") == "/assets/a%20b.css"
        with override_settings(STATIC_URL="/other/"):
            assert staticfiles_storage.base_url == "/other/"


def test_storages_setting_chooses_the_class() -> None:
    custom = {
        "default": {"BACKEND": "manouche.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "manouche.core.files.storage.InMemoryStorage"},
    }
    with override_settings(STORAGES=custom):
        assert staticfiles_storage.__class__.__name__ == "InMemoryStorage"
    assert staticfiles_storage.__class__.__name__ == "StaticFilesStorage"


def test_storing_without_static_root_is_a_clear_error() -> None:
    with override_settings(STATIC_ROOT=None):
        storage = StaticFilesStorage()
        with pytest.raises(ImproperlyConfigured, match="STATIC_ROOT"):
            storage.path("x.css")
