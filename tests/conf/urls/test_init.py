"""Default error handlers of manouche.conf.urls."""

from __future__ import annotations

import types

from manouche.conf import DEFAULT_STORAGE_ALIAS, STATICFILES_STORAGE_ALIAS, urls
from manouche.urls import URLResolver, include
from manouche.urls.resolvers import RegexPattern
from manouche.views import defaults


def test_handlers_are_the_default_views() -> None:
    assert urls.handler400 == "manouche.views.defaults.bad_request"
    assert urls.handler403 == "manouche.views.defaults.permission_denied"
    assert urls.handler404 == "manouche.views.defaults.page_not_found"
    assert urls.handler500 == "manouche.views.defaults.server_error"
    assert urls.include is include


def test_resolver_falls_back_to_these_handlers() -> None:
    urlconf = types.ModuleType("bare_urls")
    urlconf.urlpatterns = []  # type: ignore[attr-defined]
    resolver = URLResolver(RegexPattern(r"^/"), urlconf)
    assert resolver.resolve_error_handler(404) is defaults.page_not_found
    assert resolver.resolve_error_handler(500) is defaults.server_error


def test_storage_aliases() -> None:
    assert DEFAULT_STORAGE_ALIAS == "default"
    assert STATICFILES_STORAGE_ALIAS == "staticfiles"
