"""Deprecation warning classes and the method-renaming helpers."""

from __future__ import annotations

import os
import warnings

import pytest

import manouche
from manouche.utils.deprecation import (
    RemovedAfterNextVersionWarning,
    RemovedInDjango60Warning,
    RemovedInDjango61Warning,
    RemovedInNextVersionWarning,
    RenameMethodsBase,
    manouche_file_prefixes,
    warn_about_renamed_method,
)


class RenameOld(RenameMethodsBase):
    renamed_methods = (("old", "new", DeprecationWarning),)


def test_warning_classes_follow_the_release_cycle() -> None:
    assert issubclass(RemovedInDjango60Warning, DeprecationWarning)
    assert issubclass(RemovedInDjango61Warning, PendingDeprecationWarning)
    assert RemovedInNextVersionWarning is RemovedInDjango60Warning
    assert RemovedAfterNextVersionWarning is RemovedInDjango61Warning


def test_file_prefixes_name_the_package_directory() -> None:
    assert manouche_file_prefixes() == (os.path.dirname(manouche.__file__),)


def test_class_defining_only_the_old_name_warns_and_gets_the_new_one() -> None:
    with pytest.warns(DeprecationWarning, match="should be renamed") as record:

        class Manager(metaclass=RenameOld):
            def old(self) -> str:
                return "result"

    assert str(record[0].message) == "`Manager.old` method should be renamed `new`."
    assert record[0].filename == __file__
    manager = Manager()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert manager.new() == "result"  # type: ignore[attr-defined]
    with pytest.warns(DeprecationWarning, match="is deprecated") as record:
        assert manager.old() == "result"
    assert str(record[0].message) == "`Manager.old` is deprecated, use `new` instead."
    assert record[0].filename == __file__


def test_class_defining_the_new_name_gets_a_warning_alias() -> None:
    class Manager(metaclass=RenameOld):
        def new(self) -> int:
            return 1

    with pytest.warns(DeprecationWarning, match=r"`Manager\.old` is deprecated"):
        assert Manager().old() == 1  # type: ignore[attr-defined]


def test_warn_about_renamed_method_decorator() -> None:
    @warn_about_renamed_method("Thing", "get", "fetch", RemovedInDjango61Warning)
    def get() -> int:
        return 2

    with pytest.warns(RemovedInDjango61Warning, match="use `fetch` instead"):
        assert get() == 2
