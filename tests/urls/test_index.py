"""The prefix index gives exactly the results of a linear scan, only faster."""

from __future__ import annotations

import pytest

from manouche.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    path,
    re_path,
    resolve,
    reverse,
)
from manouche.urls._index import PatternIndex
from tests.urls.test_reverse import urlpatterns_module
from tests.urls.views import empty_view, other_view


def linear_resolve(resolver, path_text):
    """Django's algorithm: try every pattern in order; return (name, kwargs, tried)."""
    match = resolver.pattern.match(path_text)
    if not match:
        raise Resolver404({"path": path_text})
    new_path, _args, kwargs = match
    tried = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            try:
                name, sub_kwargs, sub_tried = linear_resolve(pattern, new_path)
            except Resolver404 as e:
                sub = e.args[0].get("tried")
                if sub is None:
                    tried.append([pattern])
                else:
                    tried.extend([pattern, *t] for t in sub)
                continue
            tried.extend([pattern, *t] for t in sub_tried)
            return name, {**kwargs, **pattern.default_kwargs, **sub_kwargs}, tried
        sub_match = pattern.resolve(new_path)
        tried.append([pattern])
        if sub_match:
            return sub_match.url_name, {**kwargs, **sub_match.kwargs}, tried
    raise Resolver404({"tried": tried, "path": new_path})


def assert_same_as_linear(resolver, path_text):
    try:
        expected = linear_resolve(resolver, path_text)
    except Resolver404 as e:
        expected_404 = e.args[0]
    else:
        expected_404 = None
    if expected_404 is not None:
        with pytest.raises(Resolver404) as info:
            resolver.resolve(path_text)
        assert info.value.args[0] == expected_404
        return
    match = resolver.resolve(path_text)
    assert (match.url_name, match.kwargs, match.tried) == expected


BIG_PATHS = [
    "/top0/",
    "/top0/5/",
    "/top0/abc/",
    "/top0/re/abc/",
    "/top12/re/abcd/",
    "/shop/item10/",
    "/shop/item24/7/",
    "/shop/item24/slug-x/",
    "/api/v1/res3/re/xyz/",
    "/api/v2/res24/99/",
    "/api/v3/res24/99/",
    "/tail24/",
    "/tail24/x/y/",
    "/missing/",
    "/",
    "/top",
    "/shop/",
    "/api/v1/",
    "/top0/\n",
]


@pytest.mark.parametrize("path_text", BIG_PATHS)
def test_big_urlconf_matches_linear_scan(path_text):
    assert_same_as_linear(get_resolver("tests.urls.urlconfs.big"), path_text)


@pytest.mark.parametrize(
    "path_text",
    [
        "/",
        "/about/",
        "/robots.txt",
        "/articles/1/x/",
        "/blog/nope/",
        "/outer/3/blog/archive/2020/",
        "/plain/inner/s/",
        "/zzz",
        "/café/x/",
    ],
)
def test_main_urlconf_matches_linear_scan(path_text):
    assert_same_as_linear(get_resolver("tests.urls.urlconfs.main"), path_text)


def test_big_urlconf_resolves_and_reverses_everywhere():
    urlconf = "tests.urls.urlconfs.big"
    assert resolve("/top0/", urlconf).url_name == "static-0"
    assert resolve("/top24/5/", urlconf).kwargs == {"pk": 5}
    assert resolve("/shop/item3/re/abc/", urlconf).view_name == "shop:re-3"
    assert resolve("/api/v2/res24/x/", urlconf).view_name == "v2:slug-24"
    assert resolve("/tail24/re/abc/", urlconf).url_name == "re-24"
    assert reverse("v1:int-7", urlconf, args=[1]) == "/api/v1/res7/1/"
    assert reverse("api:static-0", urlconf, current_app="v2") == "/api/v2/res0/"


def test_earlier_pattern_wins_over_a_later_longer_prefix():
    urlconf = urlpatterns_module(
        [
            re_path(r"^a", empty_view, name="short-regex"),
            path("about/", other_view, name="about"),
            path("<str:anything>/", other_view, name="any"),
        ]
    )
    assert resolve("/about/", urlconf).url_name == "short-regex"
    urlconf = urlpatterns_module(
        [
            path("<str:anything>/", empty_view, name="any"),
            path("about/team/", other_view, name="team"),
            path("about/", other_view, name="about"),
        ]
    )
    assert resolve("/about/", urlconf).url_name == "any"
    assert resolve("/about/team/", urlconf).url_name == "team"


def test_unanchored_and_case_insensitive_regexes_are_always_tried():
    urlconf = urlpatterns_module(
        [
            re_path(r"(?i)^ABOUT/$", empty_view, name="ci"),
            re_path(r"x/", empty_view, name="unanchored"),
            re_path(r"^a|^b/$", empty_view, name="branch"),
        ]
    )
    assert resolve("/about/", urlconf).url_name == "ci"
    assert resolve("/anything/x/", urlconf).url_name == "unanchored"
    assert resolve("/b/", urlconf).url_name == "branch"


def test_custom_pattern_subclasses_are_always_tried():
    class CatchAll(URLPattern):
        def resolve(self, path_text):
            match = super().resolve("fixed/")
            return match

    urlconf = urlpatterns_module(
        [
            path("about/", other_view),
            CatchAll(path("fixed/", empty_view).pattern, empty_view),
        ]
    )
    assert resolve("/whatever/", urlconf).func is empty_view


def test_appended_patterns_rebuild_the_index():
    urlpatterns = [path("a/", empty_view, name="a")]
    urlconf = urlpatterns_module(urlpatterns)
    assert resolve("/a/", urlconf).url_name == "a"
    urlpatterns.append(path("b/", empty_view, name="b"))
    assert resolve("/b/", urlconf).url_name == "b"


def test_pattern_index_candidates():
    index = PatternIndex(
        [("", False), ("a/", False), ("a/b/", True), ("a/b", False), ("c.txt", True)]
    )
    assert index.candidates("a/b/") == (0, 1, 2, 3)
    assert index.candidates("a/x/") == (0, 1, 3)
    assert index.candidates("c.txt") == (0, 4)
    assert index.candidates("c.txt/") == (0,)
    assert index.candidates("") == (0,)
