"""path(), re_path() and include() in their valid and invalid forms."""

from __future__ import annotations

import types

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.urls import (
    LocalePrefixPattern,
    URLPattern,
    URLResolver,
    get_resolver,
    include,
    path,
    re_path,
)
from manouche.urls.resolvers import RegexPattern, RoutePattern
from manouche.views import View
from tests.urls.urlconfs import app
from tests.urls.views import empty_view


def test_path_builds_url_pattern():
    pattern = path("a/<int:b>/", empty_view, {"c": 1}, name="n")
    assert isinstance(pattern, URLPattern)
    assert isinstance(pattern.pattern, RoutePattern)
    assert pattern.default_args == {"c": 1}
    assert pattern.name == pattern.pattern.name == "n"
    assert repr(pattern) == "<URLPattern 'a/<int:b>/' [name='n']>"
    assert pattern.lookup_str == "tests.urls.views.empty_view"


def test_re_path_builds_regex_pattern():
    pattern = re_path(r"^a/$", empty_view)
    assert isinstance(pattern.pattern, RegexPattern)
    assert repr(pattern) == "<URLPattern '^a/$'>"


def test_include_forms():
    assert include("tests.urls.urlconfs.app") == (app, "blog", "blog")
    assert include(app, namespace="other") == (app, "blog", "other")
    patterns = [path("x/", empty_view)]
    assert include(patterns) == (patterns, None, None)
    assert include((patterns, "app")) == (patterns, "app", "app")
    assert include((patterns, "app"), namespace="ns") == (patterns, "app", "ns")


def test_path_with_include_builds_a_resolver():
    resolver = path("blog/", include("tests.urls.urlconfs.app"), {"k": 1})
    assert isinstance(resolver, URLResolver)
    assert (resolver.app_name, resolver.namespace) == ("blog", "blog")
    assert resolver.default_kwargs == {"k": 1}
    assert repr(resolver).startswith("<URLResolver <module 'tests.urls.urlconfs.app'")
    assert repr(resolver).endswith("(blog:blog) 'blog/'>")
    listed = path("x/", include([path("y/", empty_view)]))
    assert repr(listed) == "<URLResolver <URLPattern list> (None:None) 'x/'>"


def test_include_namespace_without_app_name_is_an_error():
    with pytest.raises(ImproperlyConfigured) as info:
        include([path("x/", empty_view)], namespace="ns")
    assert str(info.value) == (
        "Specifying a namespace in include() without providing an app_name is not "
        "supported. Set the app_name attribute in the included module, or pass a "
        "2-tuple containing the list of patterns and app_name instead."
    )


def test_include_with_a_3_tuple_is_an_error():
    with pytest.raises(ImproperlyConfigured) as info:
        include(([], "app", "ns"))
    assert str(info.value) == (
        "Passing a 3-tuple to include() is not supported. Pass a 2-tuple containing "
        "the list of patterns and app_name, and provide the namespace argument to "
        "include() instead."
    )
    with pytest.raises(ImproperlyConfigured) as info:
        include(([], "app", "ns"), namespace="x")
    assert str(info.value) == (
        "Cannot override the namespace for a dynamic module that provides a namespace."
    )


def test_include_of_i18n_patterns_is_an_error():
    patterns = [URLResolver(LocalePrefixPattern(), [])]
    with pytest.raises(
        ImproperlyConfigured, match="Using i18n_patterns in an included"
    ):
        include(patterns)


def test_invalid_views():
    with pytest.raises(TypeError) as info:
        path("x/", "tests.urls.views.empty_view")
    assert str(info.value) == (
        "view must be a callable or a list/tuple in the case of include()."
    )

    class MyView(View):
        pass

    with pytest.raises(TypeError) as info:
        path("x/", MyView())
    assert (
        str(info.value)
        == "view must be a callable, pass MyView.as_view(), not MyView()."
    )


def test_kwargs_must_be_a_dict():
    with pytest.raises(TypeError) as info:
        path("x/", empty_view, [("a", 1)])
    assert str(info.value) == "kwargs argument must be a dict, but got list."


def test_invalid_routes():
    with pytest.raises(ImproperlyConfigured) as info:
        path("<unknown:x>/", empty_view)
    assert (
        str(info.value) == "URL route '<unknown:x>/' uses invalid converter 'unknown'."
    )
    with pytest.raises(ImproperlyConfigured) as info:
        path("<int:2x>/", empty_view)
    assert str(info.value) == (
        "URL route '<int:2x>/' uses parameter name '2x' which isn't a valid Python "
        "identifier."
    )
    with pytest.raises(ImproperlyConfigured) as info:
        path("<int: x>/", empty_view)
    assert str(info.value) == (
        "URL route '<int: x>/' cannot contain whitespace in angle brackets <…>."
    )


def test_invalid_regex_is_reported_on_use():
    pattern = re_path(r"^(unclosed/$", empty_view)
    with pytest.raises(ImproperlyConfigured, match=r'"\^\(unclosed/\$" is not a valid'):
        _ = pattern.pattern.regex


def test_urlconf_without_patterns():
    resolver = get_resolver("tests.urls.urlconfs.no_patterns")
    with pytest.raises(ImproperlyConfigured) as info:
        resolver.resolve("/x/")
    assert str(info.value) == (
        "The included URLconf 'tests.urls.urlconfs.no_patterns' does not appear to "
        "have any patterns in it. If you see the 'urlpatterns' variable with valid "
        "patterns in the file then the issue is probably caused by a circular import."
    )


def test_urlconf_module_can_be_a_module_object():
    module = types.ModuleType("m")
    module.urlpatterns = [path("m/", empty_view, name="m")]
    assert get_resolver(module).resolve("/m/").url_name == "m"
