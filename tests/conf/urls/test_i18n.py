"""i18n_patterns() and is_language_prefix_patterns_used()."""

from __future__ import annotations

import types

from manouche.conf.urls.i18n import (
    i18n_patterns,
    is_language_prefix_patterns_used,
    urlpatterns,
)
from manouche.http import HttpRequest, HttpResponse
from manouche.test import Client
from manouche.test.utils import override_settings
from manouche.urls import LocalePrefixPattern, URLResolver, path, reverse
from manouche.utils import translation
from manouche.views.i18n import set_language


def view(request: HttpRequest) -> HttpResponse:
    """Answer with the active language."""
    return HttpResponse(translation.get_language())


def test_patterns_are_wrapped_in_a_locale_prefix() -> None:
    (resolver,) = i18n_patterns(path("page/", view), prefix_default_language=False)
    assert isinstance(resolver, URLResolver)
    assert isinstance(resolver.pattern, LocalePrefixPattern)
    assert resolver.pattern.prefix_default_language is False


@override_settings(USE_I18N=False)
def test_without_i18n_the_patterns_are_unchanged() -> None:
    pattern = path("page/", view)
    assert i18n_patterns(pattern) == [pattern]


def test_prefixed_urls_resolve_and_reverse() -> None:
    urlconf = types.ModuleType("i18n_test_urls")
    urlconf.urlpatterns = i18n_patterns(  # type: ignore[attr-defined]
        path("page/", view, name="page")
    )
    with override_settings(ROOT_URLCONF=urlconf, LANGUAGE_CODE="en"):
        with translation.override("fr"):
            assert reverse("page") == "/fr/page/"
        assert Client().get("/en/page/").status_code == 200
        assert Client().get("/page/").status_code == 404


def test_is_language_prefix_patterns_used() -> None:
    used = types.ModuleType("i18n_used_urls")
    used.urlpatterns = i18n_patterns(  # type: ignore[attr-defined]
        path("p/", view), prefix_default_language=False
    )
    plain = types.ModuleType("i18n_plain_urls")
    plain.urlpatterns = [path("p/", view)]  # type: ignore[attr-defined]
    assert is_language_prefix_patterns_used(used) == (True, False)
    assert is_language_prefix_patterns_used(plain) == (False, False)


def test_urlpatterns_expose_set_language() -> None:
    (pattern,) = urlpatterns
    assert pattern.callback is set_language
    assert pattern.name == "set_language"
