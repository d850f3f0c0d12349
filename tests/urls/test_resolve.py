"""resolve(), ResolverMatch and hostile paths."""

from __future__ import annotations

import pickle
import uuid

import pytest

from manouche.http import Http404
from manouche.test.utils import override_settings
from manouche.urls import Resolver404, ResolverMatch, is_valid_path, resolve
from tests.urls.views import empty_view, other_view, view_instance

pytestmark = pytest.mark.usefixtures("main_urlconf")


@pytest.fixture
def main_urlconf():
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        yield


def test_static_route_resolves_with_name_and_route():
    match = resolve("/about/")
    assert match.func is other_view
    assert (match.args, match.kwargs) == ((), {})
    assert match.url_name == "about"
    assert match.route == "about/"
    assert match.view_name == "about"


def test_int_and_slug_converters_give_python_values():
    match = resolve("/articles/2003/hello-world_2/")
    assert match.kwargs == {"year": 2003, "title": "hello-world_2"}
    assert match.captured_kwargs == {"year": 2003, "title": "hello-world_2"}
    assert match.route == "articles/<int:year>/<slug:title>/"


def test_uuid_converter_gives_uuid():
    value = "7b0c4e2a-1d5f-4a4e-9c1b-0e7f8a2b3c4d"
    assert resolve(f"/uuid/{value}/").kwargs == {"value": uuid.UUID(value)}


def test_uuid_converter_rejects_uppercase():
    with pytest.raises(Resolver404):
        resolve("/uuid/7B0C4E2A-1D5F-4A4E-9C1B-0E7F8A2B3C4D/")


def test_path_converter_spans_slashes_and_str_does_not():
    assert resolve("/path/a/b/c.txt").kwargs == {"value": "a/b/c.txt"}
    assert resolve("/str/abc/").kwargs == {"value": "abc"}
    with pytest.raises(Resolver404):
        resolve("/str/a/b/")


def test_decoded_percent_2f_does_not_cross_a_str_segment():
    # The handler decodes %2F to "/" before resolution; str still refuses it.
    with pytest.raises(Resolver404):
        resolve("/str/a/b/")
    with pytest.raises(Resolver404):
        resolve("/articles/2003/a/b/")


def test_route_without_converter_name_defaults_to_str():
    assert resolve("/default/x y/").kwargs == {"value": "x y"}


def test_int_converter_rejects_signs_and_non_digits():
    for bad in ("/articles/-1/", "/articles/+1/", "/articles/1a/", "/articles//"):
        with pytest.raises(Resolver404):
            resolve(bad)


def test_static_route_without_trailing_slash():
    assert resolve("/robots.txt").url_name == "robots"
    with pytest.raises(Resolver404):
        resolve("/robots.txt/")


def test_trailing_newline_never_matches():
    for bad in ("/about/\n", "/robots.txt\n", "/articles/2003/\n", "/regex/1/\n"):
        with pytest.raises(Resolver404):
            resolve(bad)


def test_encoded_newline_never_matches():
    for bad in ("/about%0A", "/about/%0A", "/regex/1/%0a"):
        with pytest.raises(Resolver404):
            resolve(bad)


def test_nul_and_control_characters_do_not_match():
    for bad in ("/about/\x00", "/about\x00/", "/str/a\r\n/x/"):
        with pytest.raises(Resolver404):
            resolve(bad)


def test_non_ascii_paths_resolve():
    match = resolve("/café/crème brûlée/")
    assert match.url_name == "unicode"
    assert match.kwargs == {"dish": "crème brûlée"}


def test_regex_named_groups_become_kwargs():
    match = resolve("/regex/42/")
    assert (match.args, match.kwargs) == ((), {"pk": "42"})


def test_regex_positional_groups_become_args():
    match = resolve("/positional/42/abc/")
    assert (match.args, match.kwargs) == (("42", "abc"), {})
    assert match.func is other_view


def test_regex_unmatched_optional_group_is_left_out():
    assert resolve("/optional/").kwargs == {}
    assert resolve("/optional/3/").kwargs == {"page": "3"}


def test_path_kwargs_are_extra_kwargs():
    match = resolve("/kwargs/")
    assert match.kwargs == {"flag": True}
    assert match.extra_kwargs == {"flag": True}
    assert match.captured_kwargs == {}


def test_include_kwargs_reach_the_view():
    match = resolve("/plain/inner/x/")
    assert match.kwargs == {"slug": "x", "from_include": 1}
    match = resolve("/plain/extra/")
    assert match.kwargs == {"from_include": 1, "extra": "yes"}
    assert match.extra_kwargs == {"from_include": 1, "extra": "yes"}


def test_include_captures_are_merged_with_the_inner_match():
    match = resolve("/people/7/edit/")
    assert match.kwargs == {"pk": 7}
    assert match.route == "people/<int:pk>/edit/"


def test_namespaced_match_attributes():
    match = resolve("/blog-two/5/")
    assert match.url_name == "detail"
    assert match.app_names == ["blog"]
    assert match.app_name == "blog"
    assert match.namespaces == ["blog-two"]
    assert match.namespace == "blog-two"
    assert match.view_name == "blog-two:detail"
    assert match.route == "blog-two/<int:pk>/"


def test_nested_namespaces():
    match = resolve("/outer/3/blog/archive/2020/")
    assert match.namespaces == ["outer", "sec"]
    assert match.app_names == ["outer", "blog"]
    assert match.view_name == "outer:sec:archive"
    assert match.kwargs == {"section": 3, "year": "2020"}
    assert match.route == "outer/<int:section>/blog/archive/(?P<year>[0-9]{4})/$"


def test_resolver_match_unpacks_like_a_tuple():
    func, args, kwargs = resolve("/articles/2003/")
    assert (func, args, kwargs) == (empty_view, (), {"year": 2003})
    assert resolve("/articles/2003/")[2] == {"year": 2003}


def test_resolver_match_repr():
    assert repr(resolve("/articles/2003/")) == (
        "ResolverMatch(func=tests.urls.views.empty_view, args=(), "
        "kwargs={'year': 2003}, url_name='articles-year', app_names=[], "
        "namespaces=[], route='articles/<int:year>/', captured_kwargs={'year': 2003})"
    )
    assert repr(resolve("/kwargs/")).endswith(
        "route='kwargs/', extra_kwargs={'flag': True})"
    )


def test_resolver_match_repr_for_partial_and_instance_views():
    assert repr(resolve("/partial/")).startswith(
        "ResolverMatch(func=functools.partial(<function empty_view"
    )
    match = resolve("/instance/")
    assert match.func is view_instance
    assert match.view_name == "instance"
    assert "func=tests.urls.views.ViewClass," in repr(match)


def test_view_name_falls_back_to_the_view_path():
    match = ResolverMatch(empty_view, (), {})
    assert match.view_name == "tests.urls.views.empty_view"


def test_resolver_match_is_not_picklable():
    with pytest.raises(pickle.PicklingError, match=r"Cannot pickle ResolverMatch\."):
        pickle.dumps(resolve("/about/"))


def test_tried_lists_patterns_before_the_match():
    match = resolve("/about/")
    assert [[str(p.pattern) for p in entry] for entry in match.tried] == [
        [""],
        ["about/"],
    ]


def test_tried_includes_sub_patterns_of_matched_include():
    match = resolve("/blog/5/")
    tried = [[str(p.pattern) for p in entry] for entry in match.tried]
    assert tried[-2:] == [["blog/", ""], ["blog/", "<int:pk>/"]]
    assert len(tried) == 18


def test_tried_can_be_assigned():
    match = resolve("/about/")
    match.tried = []
    assert match.tried == []


def test_404_carries_path_and_every_pattern_tried():
    with pytest.raises(Resolver404) as info:
        resolve("/nowhere/")
    assert isinstance(info.value, Http404)
    payload = info.value.args[0]
    assert payload["path"] == "nowhere/"
    assert len(payload["tried"]) == 22


def test_404_tried_expands_includes_whose_prefix_matched():
    with pytest.raises(Resolver404) as info:
        resolve("/blog/nope/")
    tried = [[str(p.pattern) for p in entry] for entry in info.value.args[0]["tried"]]
    blog = [entry for entry in tried if entry[0] == "blog/"]
    assert blog == [
        ["blog/", ""],
        ["blog/", "<int:pk>/"],
        ["blog/", "^archive/(?P<year>[0-9]{4})/$"],
    ]
    assert ["about/"] in tried
    assert len(tried) == 24


def test_404_for_path_outside_the_root():
    with pytest.raises(Resolver404) as info:
        resolve("no-leading-slash/")
    assert info.value.args[0] == {"path": "no-leading-slash/"}


def test_resolve_accepts_lazy_paths():
    from manouche.urls import reverse_lazy

    assert resolve(reverse_lazy("about")).url_name == "about"


def test_is_valid_path():
    assert is_valid_path("/about/")
    assert isinstance(is_valid_path("/about/"), ResolverMatch)
    assert is_valid_path("/missing/") is False


def test_explicit_urlconf_argument():
    assert resolve("/", urlconf="tests.urls.urlconfs.handlers").func is empty_view


def test_views_inside_namespaced_includes_count_as_callbacks():
    from manouche.urls import get_resolver

    resolver = get_resolver("tests.urls.urlconfs.main")
    assert resolver._is_callback("tests.urls.views.empty_view")
    assert not resolver._is_callback("tests.urls.views.missing_view")
