"""Static file finders: STATICFILES_DIRS (with prefixes), app folders, caching."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche.contrib.staticfiles import finders
from manouche.contrib.staticfiles.finders import (
    AppDirectoriesFinder,
    BaseFinder,
    FileSystemFinder,
    get_finder,
)
from manouche.core.exceptions import ImproperlyConfigured
from manouche.test.utils import override_settings

FS = "manouche.contrib.staticfiles.finders.FileSystemFinder"


@pytest.fixture
def static_dirs(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "one", tmp_path / "two"
    for root in (first, second):
        (root / "css").mkdir(parents=True)
        (root / "css" / "site.css").write_text(root.name)
    (second / "only-two.js").write_text("2")
    (first / ".hidden").write_text("x")
    return first, second


def test_file_system_finder_finds_the_first_match_or_all(
    static_dirs: tuple[Path, Path],
) -> None:
    first, second = static_dirs
    with override_settings(STATICFILES_DIRS=[first, second], STATICFILES_FINDERS=[FS]):
        assert finders.find("css/site.css") == str(first / "css" / "site.css")
        assert finders.find("css/site.css", find_all=True) == [
            str(first / "css" / "site.css"),
            str(second / "css" / "site.css"),
        ]
        assert finders.find("only-two.js") == str(second / "only-two.js")
        assert finders.find("missing.css") is None
        assert finders.find("../etc/passwd") is None
        assert finders.searched_locations == [str(first), str(second)]


def test_prefixed_directories_answer_only_under_their_prefix(
    static_dirs: tuple[Path, Path],
) -> None:
    first, _ = static_dirs
    with override_settings(
        STATICFILES_DIRS=[("vendor", first)], STATICFILES_FINDERS=[FS]
    ):
        assert finders.find("vendor/css/site.css") == str(first / "css" / "site.css")
        assert finders.find("css/site.css") is None


def test_list_skips_ignored_patterns(static_dirs: tuple[Path, Path]) -> None:
    first, _ = static_dirs
    with override_settings(STATICFILES_DIRS=[first]):
        listed = sorted(path for path, _ in FileSystemFinder().list([".*"]))
    assert listed == ["css/site.css"]


def test_finders_are_cached_and_forgotten_when_settings_change(
    static_dirs: tuple[Path, Path],
) -> None:
    first, second = static_dirs
    with override_settings(STATICFILES_DIRS=[first]):
        finder = get_finder(FS)
        assert get_finder(FS) is finder
        with override_settings(STATICFILES_DIRS=[second]):
            assert get_finder(FS) is not finder
            assert get_finder(FS).find("only-two.js") == str(second / "only-two.js")


def test_app_directories_finder_looks_in_each_apps_static_folder() -> None:
    finder = AppDirectoriesFinder()
    # No test app ships a static/ folder: nothing is found, nothing is listed.
    assert finder.find("anything.css") is None
    assert list(finder.list(None)) == []


def test_a_finder_must_be_a_base_finder_subclass() -> None:
    with pytest.raises(ImproperlyConfigured, match="is not a subclass of"):
        get_finder("manouche.contrib.staticfiles.storage.StaticFilesStorage")
    assert issubclass(FileSystemFinder, BaseFinder)


def test_checks_report_bad_static_dirs(tmp_path: Path) -> None:
    with override_settings(
        STATICFILES_DIRS=[("bad/", tmp_path)], STATIC_ROOT=str(tmp_path)
    ):
        ids = {error.id for error in FileSystemFinder().check()}
    assert ids == {"staticfiles.E002", "staticfiles.E003"}
    with override_settings(STATICFILES_DIRS="not-a-list"):
        assert [e.id for e in FileSystemFinder.__new__(FileSystemFinder).check()] == [
            "staticfiles.E001"
        ]
