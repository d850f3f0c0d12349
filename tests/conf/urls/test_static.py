"""The static() URL helper."""

from __future__ import annotations

import pytest

from manouche.conf.urls.static import static
from manouche.core.exceptions import ImproperlyConfigured
from manouche.test.utils import override_settings
from manouche.views.static import serve


@override_settings(DEBUG=True)
def test_prefix_becomes_an_anchored_pattern() -> None:
    (pattern,) = static("/media/", document_root="/srv/media")
    assert pattern.pattern.regex.pattern == r"^media/(?P<path>.*)$"
    assert pattern.callback is serve
    assert pattern.default_args == {"document_root": "/srv/media"}


@override_settings(DEBUG=True)
def test_prefix_metacharacters_are_escaped() -> None:
    (pattern,) = static("a.b+c/")
    assert pattern.pattern.regex.match("a.b+c/x")
    assert not pattern.pattern.regex.match("aXb+c/x")


@override_settings(DEBUG=True)
def test_custom_view() -> None:
    def view() -> None:
        """Stand-in view."""

    assert static("files/", view=view)[0].callback is view


@override_settings(DEBUG=False)
def test_nothing_is_served_without_debug() -> None:
    assert static("test") == []


@override_settings(DEBUG=True)
@pytest.mark.parametrize("prefix", ["http://example.org", "//example.org/media/"])
def test_nothing_is_served_for_another_host(prefix: str) -> None:
    assert static(prefix) == []


def test_empty_prefix_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="Empty static prefix not permitted"):
        static("")
