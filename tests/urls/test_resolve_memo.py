"""Paths resolved again are answered from the resolver's memo, identically."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.test.utils import override_settings
from manouche.urls import Resolver404, get_resolver, path, resolve
from tests.urls.views import empty_view, other_view

pytestmark = pytest.mark.usefixtures("main_urlconf")


@pytest.fixture
def main_urlconf() -> Iterator[None]:
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        yield


def _memo() -> dict[str, tuple[str, int, dict[str, object] | None]]:
    index = get_resolver()._index
    assert index is not None
    return index.memo


def _tried(match: object) -> list[list[str]]:
    return [[str(p.pattern) for p in entry] for entry in match.tried]  # type: ignore[attr-defined]


def test_static_route_is_remembered() -> None:
    resolve("/about/")
    new_path, position, template = _memo()["/about/"]
    assert (new_path, position) == ("about/", 1)
    assert template is not None
    assert template["func"] is other_view


def test_remembered_matches_share_no_containers() -> None:
    first, second = resolve("/about/"), resolve("/about/")
    containers = ["kwargs", "captured_kwargs", "extra_kwargs"]
    containers += ["app_names", "namespaces"]
    for name in containers:
        assert getattr(first, name) is not getattr(second, name), name
    second.kwargs["changed"] = True
    second.app_names.append("changed")
    third = resolve("/about/")
    assert (third.kwargs, third.app_names) == ({}, [])


def test_containers_made_on_first_use_stay_and_can_be_replaced() -> None:
    match = resolve("/about/")
    assert match.namespaces is match.namespaces  # made once, then kept
    match.namespaces.append("kept")
    assert match.namespaces == ["kept"]
    match.captured_kwargs = {"given": 1}
    assert match.captured_kwargs == {"given": 1}
    assert vars(match)["namespaces"] == ["kept"]


def test_remembered_match_equals_the_first_one() -> None:
    first = resolve("/about/")
    second = resolve("/about/")
    assert second is not first
    assert second.func is other_view
    assert (second.args, second.kwargs) == ((), {})
    assert (second.url_name, second.route) == ("about", "about/")
    assert second.extra_kwargs == {}
    assert _tried(second) == _tried(first) == [[""], ["about/"]]


def test_remembered_match_gets_fresh_kwargs() -> None:
    first = resolve("/kwargs/")
    first.kwargs["flag"] = False
    assert resolve("/kwargs/").kwargs == {"flag": True}


def test_routes_with_converters_are_not_remembered() -> None:
    resolve("/articles/2003/")
    assert "/articles/2003/" not in _memo()


def test_regex_routes_are_remembered() -> None:
    match = resolve("/positional/42/abc/")
    assert resolve("/positional/42/abc/").args == match.args == ("42", "abc")
    # Remembered by position only: its arguments are matched again each time.
    assert _memo()["/positional/42/abc/"][2] is None


def test_unmatched_paths_are_not_remembered() -> None:
    with pytest.raises(Resolver404):
        resolve("/about-nothing/")
    assert "/about-nothing/" not in _memo()


def test_memo_is_dropped_when_patterns_are_added() -> None:
    from tests.urls.urlconfs import main

    resolve("/about/")
    main.urlpatterns.insert(0, path("about/", empty_view, name="shadow"))
    try:
        assert resolve("/about/").url_name == "shadow"
    finally:
        del main.urlpatterns[0]
    assert resolve("/about/").url_name == "about"


def test_memo_stops_growing_at_its_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    from manouche.urls import resolvers

    monkeypatch.setattr(resolvers, "_MEMO_MAX", 1)
    resolve("/about/")
    resolve("/robots.txt")
    assert list(_memo()) == ["/about/"]
