"""The functional URL API: resolve, reverse, and per-request URL state.

The script prefix (``SCRIPT_NAME``) and the per-request URLconf live in
context variables, so each request (thread or task) sees its own, and code run
through ``run_sync`` inherits the caller's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from manouche.urls.exceptions import NoReverseMatch, Resolver404
from manouche.urls.resolvers import (
    ResolverMatch,
    _get_cached_resolver,
    get_ns_resolver,
    get_resolver,
)
from manouche.urls.utils import get_callable
from manouche.utils.functional import lazy

__all__ = [
    "clear_script_prefix",
    "clear_url_caches",
    "get_script_prefix",
    "get_urlconf",
    "is_valid_path",
    "resolve",
    "reverse",
    "reverse_lazy",
    "set_script_prefix",
    "set_urlconf",
    "translate_url",
]

_prefix: ContextVar[str | None] = ContextVar("manouche_script_prefix", default=None)
_urlconf: ContextVar[Any] = ContextVar("manouche_urlconf", default=None)
# Whether _urlconf holds None, kept beside it so that "no per-request
# URLconf?" (reset_urlconf's idle test, asked per request) is a C-level get.
_urlconf_unset: ContextVar[bool] = ContextVar("manouche_urlconf_unset", default=True)


def resolve(path: str, urlconf: Any = None) -> ResolverMatch:
    """Resolve ``path`` against ``urlconf`` (default: this request's URLconf)."""
    if urlconf is None:
        urlconf = get_urlconf()
    return get_resolver(urlconf).resolve(path)


def reverse(
    viewname: Any,
    urlconf: Any = None,
    args: Sequence[Any] | None = None,
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
    *,
    query: Any = None,
    fragment: str | None = None,
) -> str:
    """Return the URL path for a view name (``"ns:name"``) or view callable.

    ``query`` (a QueryDict, mapping or pair sequence) is urlencoded after a
    ``?``; ``fragment`` is appended after a ``#``.
    """
    if urlconf is None:
        urlconf = get_urlconf()
    resolver = get_resolver(urlconf)
    prefix = get_script_prefix()
    if isinstance(viewname, str):
        *path, view = viewname.split(":")
        if path:
            resolver = _namespace_resolver(resolver, path, current_app)
    else:
        view = viewname
    url = resolver._reverse_with_prefix(view, prefix, *(args or ()), **(kwargs or {}))
    if query is not None:
        query_string = _encode_query(query)
        if query_string:
            url += "?" + query_string
    if fragment is not None:
        url += "#" + fragment
    return url


def _namespace_resolver(resolver: Any, path: list[str], current_app: str | None) -> Any:
    """Follow namespaces ``path`` from ``resolver``; prefer ``current_app``'s."""
    current_path = current_app.split(":")[::-1] if current_app else None
    resolved_path: list[str] = []
    ns_pattern = ""
    ns_converters: dict[str, Any] = {}
    for ns in path:
        current_ns = current_path.pop() if current_path else None
        app_list = resolver.app_dict.get(ns)
        if app_list is not None:
            # ns is an application namespace: pick an instance of it.
            if current_ns and current_ns in app_list:
                ns = current_ns
            elif ns not in app_list:
                # No default instance named after the app: use the first one.
                ns = app_list[0]
        if ns != current_ns:
            current_path = None
        try:
            extra, resolver = resolver.namespace_dict[ns]
        except KeyError:
            if resolved_path:
                raise NoReverseMatch(
                    f"'{ns}' is not a registered namespace inside "
                    f"'{':'.join(resolved_path)}'"
                ) from None
            raise NoReverseMatch(f"'{ns}' is not a registered namespace") from None
        resolved_path.append(ns)
        ns_pattern += extra
        ns_converters.update(resolver.pattern.converters)
    if ns_pattern:
        return get_ns_resolver(ns_pattern, resolver, tuple(ns_converters.items()))
    return resolver


def _encode_query(query: Any) -> str:
    from manouche.http import QueryDict

    if isinstance(query, QueryDict):
        return str(query.urlencode())
    return urlencode(query, doseq=True)


reverse_lazy = lazy(reverse, str)


def clear_url_caches() -> None:
    """Forget imported views and built resolvers (after URLconf changes)."""
    get_callable.cache_clear()
    _get_cached_resolver.cache_clear()
    get_ns_resolver.cache_clear()


def set_script_prefix(prefix: str) -> None:
    """Set the prefix ``reverse()`` puts before paths (always ending in "/")."""
    if not prefix.endswith("/"):
        prefix += "/"
    # Unset reads as "/": setting it again would only copy the context.
    if (_prefix.get() or "/") != prefix:
        _prefix.set(prefix)


def get_script_prefix() -> str:
    """Return the current script prefix (``"/"`` unless set)."""
    prefix = _prefix.get()
    return "/" if prefix is None else prefix


def clear_script_prefix() -> None:
    """Unset the script prefix, so it falls back to ``"/"``."""
    _prefix.set(None)


def set_urlconf(urlconf_name: Any) -> None:
    """Use ``urlconf_name`` for this request; a falsy value restores the default."""
    value = urlconf_name or None
    # Unchanged: setting it again would only copy the context.
    if _urlconf.get() is not value:
        _urlconf.set(value)
        _urlconf_unset.set(value is None)


#: Whether no per-request URLconf is set (ROOT_URLCONF is in use).
_urlconf_is_default = _urlconf_unset.get


def get_urlconf(default: Any = None) -> Any:
    """Return this request's URLconf, or ``default`` when none was set."""
    urlconf = _urlconf.get()
    return default if urlconf is None else urlconf


def is_valid_path(path: str, urlconf: Any = None) -> ResolverMatch | bool:
    """Return the ResolverMatch if ``path`` resolves, else False."""
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return False


@contextlib.contextmanager
def _language_override(lang_code: str) -> Iterator[None]:
    try:
        from manouche.utils.translation import override
    except ImportError:
        yield
        return
    with override(lang_code):
        yield


def translate_url(url: str, lang_code: str) -> str:
    """Return ``url`` as it reads in ``lang_code``, or unchanged if impossible."""
    parsed = urlsplit(url)
    try:
        # The URL may be percent-encoded.
        match = resolve(unquote(parsed.path))
    except Resolver404:
        return url
    to_be_reversed = (
        f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    )
    with _language_override(lang_code):
        try:
            path = reverse(to_be_reversed, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return url
    return urlunsplit(
        (parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment)
    )
