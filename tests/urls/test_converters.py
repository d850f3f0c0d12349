"""Built-in and registered path converters."""

from __future__ import annotations

import uuid

import pytest

from manouche.urls import Resolver404, path, register_converter, resolve, reverse
from manouche.urls.converters import (
    REGISTERED_CONVERTERS,
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
    get_converter,
    get_converters,
)
from tests.urls.test_reverse import urlpatterns_module
from tests.urls.views import empty_view


class FourDigitYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        year = int(value)
        if year < 1000:
            raise ValueError("too early")
        return year

    def to_url(self, value):
        if not isinstance(value, int):
            raise ValueError("not a year")
        return f"{value:04d}"


@pytest.fixture
def yyyy():
    register_converter(FourDigitYearConverter, "yyyy")
    yield
    del REGISTERED_CONVERTERS["yyyy"]
    get_converters.cache_clear()


@pytest.mark.parametrize(
    ("converter", "text", "value"),
    [
        (IntConverter(), "0042", 42),
        (StringConverter(), "a b", "a b"),
        (SlugConverter(), "a-b_c", "a-b_c"),
        (PathConverter(), "a/b", "a/b"),
        (
            UUIDConverter(),
            "7b0c4e2a-1d5f-4a4e-9c1b-0e7f8a2b3c4d",
            uuid.UUID("7b0c4e2a-1d5f-4a4e-9c1b-0e7f8a2b3c4d"),
        ),
    ],
)
def test_builtin_converters_round_trip(converter, text, value):
    assert converter.to_python(text) == value
    assert converter.to_python(converter.to_url(value)) == value


def test_builtin_regexes():
    assert get_converter("int").regex == "[0-9]+"
    assert get_converter("str").regex == "[^/]+"
    assert get_converter("slug").regex == "[-a-zA-Z0-9_]+"
    assert get_converter("path").regex == ".+"
    assert get_converter("uuid").regex == (
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    )


def test_slug_rejects_non_ascii_and_dots():
    urlconf = urlpatterns_module([path("s/<slug:s>/", empty_view)])
    for bad in ("/s/café/", "/s/a.b/", "/s/a b/"):
        with pytest.raises(Resolver404):
            resolve(bad, urlconf)


@pytest.mark.usefixtures("yyyy")
def test_registered_converter_resolves_and_reverses():
    urlconf = urlpatterns_module(
        [
            path("y/<yyyy:year>/", empty_view, name="year"),
            path("y/<str:text>/", empty_view, name="text"),
        ]
    )
    assert resolve("/y/2024/", urlconf).kwargs == {"year": 2024}
    # to_python's ValueError means "no match": the next pattern gets a go.
    match = resolve("/y/0999/", urlconf)
    assert (match.url_name, match.kwargs) == ("text", {"text": "0999"})
    assert reverse("year", urlconf=urlconf, args=[2024]) == "/y/2024/"
    # to_url's ValueError means "no match" in reverse().
    with pytest.raises(Exception, match="Reverse for 'year' with arguments"):
        reverse("year", urlconf=urlconf, args=["2024"])


@pytest.mark.usefixtures("yyyy")
def test_registering_a_name_twice_is_an_error():
    with pytest.raises(ValueError, match=r"Converter 'yyyy' is already registered\."):
        register_converter(FourDigitYearConverter, "yyyy")
    with pytest.raises(ValueError, match=r"Converter 'int' is already registered\."):
        register_converter(FourDigitYearConverter, "int")
