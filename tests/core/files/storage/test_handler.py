"""storages and default_storage follow settings.STORAGES and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche.core.files.base import ContentFile
from manouche.core.files.storage import (
    FileSystemStorage,
    InMemoryStorage,
    InvalidStorageError,
    StorageHandler,
    default_storage,
    storages,
)
from manouche.test.utils import override_settings

MEMORY = {"default": {"BACKEND": "manouche.core.files.storage.InMemoryStorage"}}


def test_default_storage_is_filesystem_by_default() -> None:
    assert isinstance(storages["default"], FileSystemStorage)
    assert storages["default"] is storages["default"]


def test_unknown_alias_raises() -> None:
    with pytest.raises(
        InvalidStorageError,
        match="Could not find config for 'nope' in settings.STORAGES.",
    ):
        storages["nope"]


def test_unknown_backend_raises() -> None:
    handler = StorageHandler({"default": {"BACKEND": "no.such.Backend"}})
    with pytest.raises(
        InvalidStorageError, match="Could not find backend 'no.such.Backend'"
    ):
        handler["default"]


def test_options_are_passed_to_the_backend(tmp_path: Path) -> None:
    handler = StorageHandler(
        {
            "media": {
                "BACKEND": "manouche.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path), "base_url": "/files/"},
            }
        }
    )
    storage = handler["media"]
    assert storage.location == str(tmp_path)
    assert storage.url("a") == "/files/a"


def test_override_settings_storages_is_honoured() -> None:
    with override_settings(STORAGES=MEMORY):
        overridden = storages["default"]
        assert isinstance(overridden, InMemoryStorage)
        name = default_storage.save("x.txt", ContentFile(b"x"))
        assert default_storage.exists(name)
        wrapped: object = default_storage._wrapped
        assert type(wrapped) is InMemoryStorage
    restored = storages["default"]
    assert isinstance(restored, FileSystemStorage)
    assert default_storage.location  # re-created from the restored settings
    wrapped = default_storage._wrapped
    assert type(wrapped) is FileSystemStorage


def test_default_storage_follows_media_root(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path / "a")):
        name = default_storage.save("f.txt", ContentFile(b"a"))
        assert (tmp_path / "a" / name).read_bytes() == b"a"
    with override_settings(MEDIA_ROOT=str(tmp_path / "b")):
        assert default_storage.location == str(tmp_path / "b")
        assert not default_storage.exists(name)
