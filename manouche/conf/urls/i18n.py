"""Language-prefixed URL patterns and the ``set_language`` URL.

As ``django.conf.urls.i18n``: ``i18n_patterns()`` wraps patterns in a
``LocalePrefixPattern`` resolver; including this module's ``urlpatterns``
exposes ``set_language`` at ``setlang/``.
"""

from __future__ import annotations

import functools
from types import ModuleType
from typing import Any

from manouche.conf import settings
from manouche.urls import LocalePrefixPattern, URLResolver, get_resolver, path
from manouche.views.i18n import set_language

__all__ = ["i18n_patterns", "is_language_prefix_patterns_used", "urlpatterns"]


def i18n_patterns(*urls: Any, prefix_default_language: bool = True) -> list[Any]:
    """Prefix ``urls`` with the active language code (``/en/...``).

    With ``USE_I18N`` off the patterns are returned unchanged. With
    ``prefix_default_language=False`` the default language is unprefixed.
    """
    if not settings.USE_I18N:
        return list(urls)
    return [
        URLResolver(
            LocalePrefixPattern(prefix_default_language=prefix_default_language),
            list(urls),
        )
    ]


@functools.cache
def is_language_prefix_patterns_used(
    urlconf: str | ModuleType | None,
) -> tuple[bool, bool]:
    """Return ``(uses i18n_patterns, prefixes the default language)``.

    Only the URLconf's top-level patterns are inspected, as Django does.
    """
    for url_pattern in get_resolver(urlconf).url_patterns:
        if isinstance(url_pattern.pattern, LocalePrefixPattern):
            return True, url_pattern.pattern.prefix_default_language
    return False, False


urlpatterns = [
    path("setlang/", set_language, name="set_language"),
]
