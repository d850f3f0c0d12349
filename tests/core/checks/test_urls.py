"""URL checks: invalid entries, duplicate namespaces, URL settings."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from manouche.core import checks
from manouche.core.checks.urls import (
    check_resolver,
    check_url_config,
    check_url_namespaces_unique,
    check_url_settings,
    get_warning_for_invalid_pattern,
)
from manouche.test.utils import override_settings
from manouche.urls import clear_url_caches, include, path


def view(request: object) -> None:
    return None


@pytest.fixture
def urlconf() -> Iterator[types.ModuleType]:
    module = types.ModuleType("tests_core_checks_urlconf")
    sys.modules[module.__name__] = module
    clear_url_caches()
    yield module
    del sys.modules[module.__name__]
    clear_url_caches()


def test_invalid_pattern_messages() -> None:
    [string] = get_warning_for_invalid_pattern("^admin/")
    assert string.id == "urls.E004"
    assert string.msg == (
        "Your URL pattern '^admin/' is invalid. Ensure that urlpatterns is a list of "
        "path() and/or re_path() instances."
    )
    assert string.hint == (
        "Try removing the string '^admin/'. The list of urlpatterns should not have a "
        "prefix string as the first element."
    )
    [pair] = get_warning_for_invalid_pattern(("a", view))
    assert pair.hint == "Try using path() instead of a tuple."
    [other] = get_warning_for_invalid_pattern(42)
    assert other.hint is None


def test_check_resolver_reports_objects_that_are_not_patterns() -> None:
    assert [m.id for m in check_resolver("nope")] == ["urls.E004"]


def test_url_config_with_invalid_entry(urlconf: types.ModuleType) -> None:
    urlconf.urlpatterns = [path("ok/", view), ("bad/", view)]  # type: ignore[attr-defined]
    with override_settings(ROOT_URLCONF=urlconf.__name__):
        messages = check_url_config()
    assert [m.id for m in messages] == ["urls.E004"]


def test_url_config_reports_leading_slash(urlconf: types.ModuleType) -> None:
    urlconf.urlpatterns = [path("/slash/", view)]  # type: ignore[attr-defined]
    with override_settings(ROOT_URLCONF=urlconf.__name__):
        messages = check_url_config()
    assert [m.id for m in messages] == ["urls.W002"]


def test_duplicate_namespaces(urlconf: types.ModuleType) -> None:
    inner = [path("x/", view, name="x")]
    urlconf.urlpatterns = [  # type: ignore[attr-defined]
        path("a/", include((inner, "app"), namespace="space")),
        path("b/", include((inner, "app"), namespace="space")),
        path("c/", include((inner, "app"), namespace="other")),
    ]
    with override_settings(ROOT_URLCONF=urlconf.__name__):
        messages = check_url_namespaces_unique()
    assert messages == [
        checks.Warning(
            "URL namespace 'space' isn't unique. You may not be able to reverse all "
            "URLs in this namespace",
            id="urls.W005",
        )
    ]


def test_static_and_media_url_need_trailing_slash() -> None:
    with override_settings(STATIC_URL="/static", MEDIA_URL="/media/"):
        assert check_url_settings() == [
            checks.Error(
                "The STATIC_URL setting must end with a slash.", id="urls.E006"
            )
        ]
    with override_settings(STATIC_URL="/static/", MEDIA_URL="/media"):
        assert [m.msg for m in check_url_settings()] == [
            "The MEDIA_URL setting must end with a slash."
        ]
