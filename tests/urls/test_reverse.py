"""reverse(), reverse_lazy() and their error messages."""

from __future__ import annotations

import uuid

import pytest

from manouche.test.utils import override_settings
from manouche.urls import (
    NoReverseMatch,
    get_resolver,
    path,
    re_path,
    reverse,
    reverse_lazy,
    set_script_prefix,
)
from manouche.utils.functional import Promise
from tests.urls.views import empty_view, other_view

pytestmark = pytest.mark.usefixtures("main_urlconf")


@pytest.fixture
def main_urlconf():
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        yield


def test_reverse_static_and_with_args_or_kwargs():
    assert reverse("home") == "/"
    assert reverse("about") == "/about/"
    assert reverse("articles-year", args=[2003]) == "/articles/2003/"
    assert reverse("articles-year", kwargs={"year": 2003}) == "/articles/2003/"
    assert (
        reverse("articles-detail", kwargs={"year": 1, "title": "a-b"})
        == "/articles/1/a-b/"
    )


def test_reverse_every_converter():
    value = uuid.UUID("7b0c4e2a-1d5f-4a4e-9c1b-0e7f8a2b3c4d")
    assert reverse("uuid", args=[value]) == f"/uuid/{value}/"
    assert reverse("path", args=["a/b c"]) == "/path/a/b%20c"
    assert reverse("str", args=["x"]) == "/str/x/"
    assert reverse("default-converter", args=["y"]) == "/default/y/"


def test_reverse_refuses_values_the_pattern_does_not_match():
    with pytest.raises(NoReverseMatch) as info:
        reverse("articles-year", args=["abc"])
    assert str(info.value) == (
        "Reverse for 'articles-year' with arguments '('abc',)' not found. "
        "1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/\\\\Z']"
    )
    with pytest.raises(NoReverseMatch):
        reverse("str", args=["a/b"])


def test_reverse_error_with_keyword_arguments_and_none():
    with pytest.raises(NoReverseMatch) as info:
        reverse("articles-year", kwargs={"month": 1})
    assert str(info.value) == (
        "Reverse for 'articles-year' with keyword arguments '{'month': 1}' not "
        "found. 1 pattern(s) tried: ['articles/(?P<year>[0-9]+)/\\\\Z']"
    )
    with pytest.raises(NoReverseMatch) as info:
        reverse("articles-year")
    assert "with no arguments not found. 1 pattern(s) tried" in str(info.value)


def test_reverse_unknown_name_message():
    with pytest.raises(NoReverseMatch) as info:
        reverse("nope")
    assert str(info.value) == (
        "Reverse for 'nope' not found. 'nope' is not a valid view function or "
        "pattern name."
    )


def test_reverse_by_callable():
    assert reverse(other_view) == "/about/"


def test_reverse_unknown_callable_message_uses_dotted_path():
    def unrouted(request):
        return None

    with pytest.raises(NoReverseMatch) as info:
        reverse(unrouted)
    assert "Reverse for 'tests.urls.test_reverse.unrouted' not found." in str(
        info.value
    )


def test_reverse_mixing_args_and_kwargs_is_an_error():
    with pytest.raises(ValueError, match=r"Don't mix \*args and \*\*kwargs"):
        get_resolver().reverse("articles-year", 1, year=1)


def test_reverse_quotes_non_ascii_and_keeps_safe_characters():
    assert reverse("unicode", args=["crème"]) == "/caf%C3%A9/cr%C3%A8me/"
    assert reverse("str", args=["a:b@c!$&'()*+,;=~"]) == "/str/a:b@c!$&'()*+,;=~/"
    assert reverse("str", args=["a?b#c%"]) == "/str/a%3Fb%23c%25/"


def test_reverse_never_builds_a_scheme_relative_url():
    urlconf = urlpatterns_module([path("<path:target>", empty_view, name="any")])
    assert reverse("any", urlconf=urlconf, args=["/evil.example"]) == (
        "/%2Fevil.example"
    )
    assert reverse("path", args=["/x"]) == "/path//x"


def test_reverse_regex_patterns():
    assert reverse("regex-named", kwargs={"pk": 5}) == "/regex/5/"
    assert reverse("regex-positional", args=[1, "ab"]) == "/positional/1/ab/"
    assert reverse("regex-optional") == "/optional/"
    assert reverse("regex-optional", kwargs={"page": 2}) == "/optional/2/"


def test_reverse_with_path_kwargs_defaults():
    assert reverse("with-kwargs") == "/kwargs/"
    assert reverse("with-kwargs", kwargs={"flag": True}) == "/kwargs/"
    with pytest.raises(NoReverseMatch):
        reverse("with-kwargs", kwargs={"flag": False})


def test_reverse_names_from_namespace_less_include():
    assert reverse("plain-inner", kwargs={"slug": "s"}) == "/plain/inner/s/"
    assert reverse("person-edit", kwargs={"pk": 4}) == "/people/4/edit/"


def test_reverse_query_and_fragment():
    assert reverse("about", query={"q": "a b", "n": [1, 2]}) == (
        "/about/?q=a+b&n=1&n=2"
    )
    assert reverse("about", query=[("a", "1")], fragment="top") == "/about/?a=1#top"
    assert reverse("about", query={}) == "/about/"
    assert reverse("about", fragment="") == "/about/#"


def test_reverse_query_accepts_a_querydict():
    from manouche.http import QueryDict

    query = QueryDict("a=1&a=2&b=%C3%A9")
    assert reverse("about", query=query) == "/about/?" + query.urlencode()


def test_script_prefix_is_prepended_and_quoted():
    set_script_prefix("/mount")
    assert reverse("about") == "/mount/about/"
    set_script_prefix("/pré fix/")
    assert reverse("about") == "/pr%C3%A9%20fix/about/"
    set_script_prefix("/100%/")
    assert reverse("about") == "/100%25/about/"


def test_reverse_lazy_is_a_lazy_string():
    url = reverse_lazy("articles-year", args=[1999])
    assert isinstance(url, Promise)
    assert str(url) == "/articles/1999/"
    assert f"{url}" == "/articles/1999/"


def test_last_pattern_with_a_duplicated_name_is_reversed_first():
    urlpatterns = [
        path("first/", empty_view, name="dup"),
        path("second/", empty_view, name="dup"),
        path("args/<int:a>/", empty_view, name="dup"),
    ]
    assert reverse("dup", urlconf=urlpatterns_module(urlpatterns)) == "/second/"
    assert reverse("dup", urlconf=urlpatterns_module(urlpatterns), args=[1]) == (
        "/args/1/"
    )


def test_converter_to_url_value_error_skips_candidate():
    class EvenConverter:
        regex = "[0-9]+"

        def to_python(self, value):
            return int(value)

        def to_url(self, value):
            if value % 2:
                raise ValueError("odd")
            return str(value)

    pattern = path("even/<int:n>/", empty_view, name="n")
    pattern.pattern.converters = {"n": EvenConverter()}
    odd_pattern = re_path(r"^odd/(?P<n>[0-9]+)/$", empty_view, name="n")
    urlconf = urlpatterns_module([pattern, odd_pattern])
    assert reverse("n", urlconf=urlconf, args=[3]) == "/odd/3/"
    assert reverse("n", urlconf=urlconf, kwargs={"n": 3}) == "/odd/3/"


def urlpatterns_module(urlpatterns):
    """Wrap a list in a module-like object with ``urlpatterns``."""
    import types

    module = types.ModuleType("tests.urls.dynamic")
    module.urlpatterns = urlpatterns
    return module
