"""Checks on the URLconf and URL-related settings.

The per-pattern checks live on the patterns themselves (``URLPattern.check()``,
``URLResolver.check()`` in ``manouche.urls.resolvers``); they call
``check_resolver`` here for each entry so invalid entries are reported too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from manouche.conf import settings
from manouche.core.checks.messages import CheckMessage, Error
from manouche.core.checks.messages import Warning as CheckWarning
from manouche.core.checks.registry import Tags, register

__all__ = [
    "check_resolver",
    "check_url_config",
    "check_url_namespaces_unique",
    "check_url_settings",
    "get_warning_for_invalid_pattern",
]


@register(Tags.urls)
def check_url_config(**kwargs: Any) -> list[CheckMessage]:
    """Check every pattern of ROOT_URLCONF."""
    if getattr(settings, "ROOT_URLCONF", None):
        from manouche.urls import get_resolver

        return check_resolver(get_resolver())
    return []


def check_resolver(resolver: Any) -> list[CheckMessage]:
    """Run a pattern's or resolver's own checks; report entries that are neither."""
    check_method = getattr(resolver, "check", None)
    if check_method is not None:
        return list(check_method())
    if not hasattr(resolver, "resolve"):
        return get_warning_for_invalid_pattern(resolver)
    return []


@register(Tags.urls)
def check_url_namespaces_unique(**kwargs: Any) -> list[CheckMessage]:
    """Warn about namespaces used more than once (urls.W005)."""
    if not getattr(settings, "ROOT_URLCONF", None):
        return []
    from manouche.urls import get_resolver

    counts = Counter(_load_all_namespaces(get_resolver()))
    return [
        CheckWarning(
            f"URL namespace '{namespace}' isn't unique. You may not be able to "
            "reverse all URLs in this namespace",
            id="urls.W005",
        )
        for namespace, count in counts.items()
        if count > 1
    ]


def _load_all_namespaces(resolver: Any, parents: tuple[str, ...] = ()) -> list[str]:
    url_patterns = getattr(resolver, "url_patterns", [])
    namespaces = [
        ":".join((*parents, url.namespace))
        for url in url_patterns
        if getattr(url, "namespace", None) is not None
    ]
    for pattern in url_patterns:
        namespace = getattr(pattern, "namespace", None)
        current = parents if namespace is None else (*parents, namespace)
        namespaces.extend(_load_all_namespaces(pattern, current))
    return namespaces


def get_warning_for_invalid_pattern(pattern: Any) -> list[CheckMessage]:
    """Explain an urlpatterns entry that is not a path()/re_path() (urls.E004)."""
    if isinstance(pattern, str):
        hint = (
            f"Try removing the string '{pattern}'. The list of urlpatterns should not "
            "have a prefix string as the first element."
        )
    elif isinstance(pattern, tuple):
        hint = "Try using path() instead of a tuple."
    else:
        hint = None
    return [
        Error(
            f"Your URL pattern {pattern!r} is invalid. Ensure that urlpatterns is a "
            "list of path() and/or re_path() instances.",
            hint=hint,
            id="urls.E004",
        )
    ]


@register(Tags.urls)
def check_url_settings(**kwargs: Any) -> list[CheckMessage]:
    """Require STATIC_URL and MEDIA_URL to end with a slash (urls.E006)."""
    errors: list[CheckMessage] = []
    for name in ("STATIC_URL", "MEDIA_URL"):
        value = getattr(settings, name)
        if value and not value.endswith("/"):
            message = f"The {name} setting must end with a slash."
            errors.append(Error(message, id="urls.E006"))
    return errors
