"""URL resolution: patterns, the resolver tree, and what a match looks like.

A URLconf is a tree: ``URLResolver`` nodes (the root, and one per
``include()``) hold ``URLPattern`` leaves (one per view). ``resolve(path)``
walks the tree and returns a ``ResolverMatch`` or raises ``Resolver404``;
``_reverse_with_prefix()`` builds a URL from a view name and arguments.

Resolution runs on the decoded ``path_info``. A ``%2F`` in the request becomes
``/`` before resolution (as in Django), but converters that exclude ``/``
(``str``, ``slug``, ``int``, ``uuid``) still never match across it, and every
pattern is anchored at its end (``\\Z``, or an exact comparison for static
routes), so ``"admin/\\n"`` never matches ``"admin/"``.

Patterns are tried in order and the first match wins, exactly as in Django,
but a prefix index (``manouche.urls._index``) skips patterns whose literal
prefix the path lacks. This module must not import views or the handler.
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from importlib import import_module
from pickle import PicklingError
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured, ViewDoesNotExist
from manouche.urls._index import PatternIndex
from manouche.urls._patterns import (
    CheckURLMixin,
    LocalePrefixPattern,
    LocaleRegexDescriptor,
    LocaleRegexRouteDescriptor,
    RegexPattern,
    RoutePattern,
    get_language,
)
from manouche.urls.exceptions import NoReverseMatch, Resolver404
from manouche.urls.utils import get_callable
from manouche.utils.datastructures import MultiValueDict
from manouche.utils.functional import cached_property
from manouche.utils.regex_helper import normalize

if TYPE_CHECKING:
    from manouche.core.checks import CheckMessage

__all__ = [
    "CheckURLMixin",
    "LocalePrefixPattern",
    "LocaleRegexDescriptor",
    "LocaleRegexRouteDescriptor",
    "RegexPattern",
    "ResolverMatch",
    "RoutePattern",
    "URLPattern",
    "URLResolver",
    "get_ns_resolver",
    "get_resolver",
]

# Characters reverse() leaves unquoted: RFC 3986 sub-delims plus pchar extras.
RFC3986_SUBDELIMS = "!$&'()*+,;="
_REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"


class _MadeOnFirstUse:
    """A container attribute created when first read, then an instance attribute.

    Matches copied from a memo template (most requests) leave the ones
    nothing reads unmade. Without ``__set__``, an assigned value simply
    shadows it.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.factory()
        return value


class ResolverMatch:
    """What ``resolve()`` found: the view, its arguments, and where it lives."""

    captured_kwargs: dict[str, Any] | None = _MadeOnFirstUse(dict)  # type: ignore[assignment]
    extra_kwargs: dict[str, Any] | None = _MadeOnFirstUse(dict)  # type: ignore[assignment]
    app_names: list[str] = _MadeOnFirstUse(list)  # type: ignore[assignment]
    namespaces: list[str] = _MadeOnFirstUse(list)  # type: ignore[assignment]

    def __init__(
        self,
        func: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        url_name: str | None = None,
        app_names: Sequence[str | None] | None = None,
        namespaces: Sequence[str | None] | None = None,
        route: str | None = None,
        tried: list[list[Any]] | None = None,
        captured_kwargs: dict[str, Any] | None = None,
        extra_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.func = func
        self.args = args
        self.kwargs = kwargs
        self.url_name = url_name
        self.route = route
        self._tried = tried
        self._tried_source: Callable[[], list[list[Any]]] | None = None
        self.captured_kwargs = captured_kwargs
        self.extra_kwargs = extra_kwargs
        # An include() without app_name or namespace contributes None or "".
        if app_names:
            self.app_names = list(filter(None, app_names))
            self.app_name = ":".join(self.app_names)
        else:
            self.app_names = []
            self.app_name = ""
        if namespaces:
            self.namespaces = list(filter(None, namespaces))
            self.namespace = ":".join(self.namespaces)
        else:
            self.namespaces = []
            self.namespace = ""

    @cached_property
    def _func_path(self) -> str:
        func = self.func
        func = getattr(func, "view_class", func)
        if not hasattr(func, "__name__"):
            return f"{func.__class__.__module__}.{func.__class__.__name__}"
        return f"{func.__module__}.{func.__name__}"

    @cached_property
    def view_name(self) -> str:
        """The namespaced name: ``"ns:url_name"`` (or the view's dotted path)."""
        return ":".join([*self.namespaces, self.url_name or self._func_path])

    @property
    def tried(self) -> list[list[Any]] | None:
        """Every pattern tried before this match, as lists from the root."""
        # Built on first access: most requests never look at it.
        source = self._tried_source
        if source is not None:
            self._tried_source = None
            self._tried = source()
        return self._tried

    @tried.setter
    def tried(self, value: list[list[Any]] | None) -> None:
        self._tried_source = None
        self._tried = value

    def __getitem__(self, index: int) -> Any:
        return (self.func, self.args, self.kwargs)[index]

    def __iter__(self) -> Iterator[Any]:
        # Unpacking ``func, args, kwargs = match`` (every request) would
        # otherwise probe __getitem__ until an IndexError.
        return iter((self.func, self.args, self.kwargs))

    def __repr__(self) -> str:
        if isinstance(self.func, functools.partial):
            func = repr(self.func)
        else:
            func = self._func_path
        captured = (
            f", captured_kwargs={self.captured_kwargs!r}"
            if self.captured_kwargs
            else ""
        )
        extra = f", extra_kwargs={self.extra_kwargs!r}" if self.extra_kwargs else ""
        return (
            f"ResolverMatch(func={func}, args={self.args!r}, kwargs={self.kwargs!r}, "
            f"url_name={self.url_name!r}, app_names={self.app_names!r}, "
            f"namespaces={self.namespaces!r}, route={self.route!r}{captured}{extra})"
        )

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise PicklingError(f"Cannot pickle {self.__class__.__qualname__}.")


def get_resolver(urlconf: str | ModuleType | None = None) -> URLResolver:
    """Return the root resolver for ``urlconf`` (default: ``ROOT_URLCONF``)."""
    if urlconf is None:
        urlconf = settings.ROOT_URLCONF
    return _get_cached_resolver(urlconf)


@functools.cache
def _get_cached_resolver(urlconf: Any = None) -> URLResolver:
    return URLResolver(RegexPattern(r"^/"), urlconf)


@functools.cache
def get_ns_resolver(
    ns_pattern: str, resolver: URLResolver, converters: tuple[tuple[str, Any], ...]
) -> URLResolver:
    """Wrap ``resolver``'s patterns under ``ns_pattern``, for namespaced reverse.

    This lets a namespace's parent pattern capture parameters.
    """
    pattern = RegexPattern(ns_pattern)
    pattern.converters = dict(converters)
    ns_resolver = URLResolver(pattern, resolver.url_patterns)
    return URLResolver(RegexPattern(r"^/"), [ns_resolver])


class URLPattern:
    """A leaf of the URLconf: one pattern and the view it leads to."""

    def __init__(
        self,
        pattern: Any,
        callback: Callable[..., Any],
        default_args: dict[str, Any] | None = None,
        name: str | None = None,
    ) -> None:
        self.pattern = pattern
        self.callback = callback
        self.default_args = default_args or {}
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.pattern.describe()}>"

    def check(self) -> list[CheckMessage]:
        """Return system-check messages about this pattern and its view."""
        warnings = self._check_pattern_name()
        warnings.extend(self.pattern.check())
        warnings.extend(self._check_callback())
        return warnings

    def _check_pattern_name(self) -> list[CheckMessage]:
        from manouche.core.checks import Warning

        if self.pattern.name is not None and ":" in self.pattern.name:
            return [
                Warning(
                    f"Your URL pattern {self.pattern.describe()} has a name including "
                    "a ':'. Remove the colon, to avoid ambiguous namespace references.",
                    id="urls.W003",
                )
            ]
        return []

    def _check_callback(self) -> list[CheckMessage]:
        from manouche.core.checks import Error
        from manouche.views import View

        view = self.callback
        if inspect.isclass(view) and issubclass(view, View):
            return [
                Error(
                    f"Your URL pattern {self.pattern.describe()} has an invalid view, "
                    f"pass {view.__name__}.as_view() instead of {view.__name__}.",
                    id="urls.E009",
                )
            ]
        return []

    def resolve(self, path: str) -> ResolverMatch | None:
        """Return a ResolverMatch if the pattern matches ``path``."""
        match = self.pattern.match(path)
        if match:
            _new_path, args, captured_kwargs = match
            default_args = self.default_args
            # Extra kwargs from path(..., kwargs) override captured ones.
            kwargs = (
                {**captured_kwargs, **default_args}
                if default_args
                else dict(captured_kwargs)
            )
            return ResolverMatch(
                self.callback,
                args,
                kwargs,
                self.pattern.name,
                route=str(self.pattern),
                captured_kwargs=captured_kwargs,
                extra_kwargs=default_args,
            )
        return None

    @cached_property
    def lookup_str(self) -> str:
        """The dotted path of the view, for the admin docs and callback checks."""
        callback: Any = self.callback
        if isinstance(callback, functools.partial):
            callback = callback.func
        if hasattr(callback, "view_class"):
            callback = callback.view_class
        elif not hasattr(callback, "__name__"):
            return f"{callback.__module__}.{callback.__class__.__name__}"
        return f"{callback.__module__}.{callback.__qualname__}"


def _index_key(entry: Any) -> tuple[str, bool]:
    """Return the index key of one urlpatterns entry (``("", False)``: always try).

    Only the built-in classes are indexed: a subclass that overrides
    ``resolve()`` or ``match()`` may match paths its prefix does not promise.
    """
    entry_type = type(entry)
    if (entry_type.resolve is not URLPattern.resolve) and (
        entry_type.resolve is not URLResolver.resolve
    ):
        return "", False
    pattern = getattr(entry, "pattern", None)
    match_method = getattr(type(pattern), "match", None)
    if match_method is RoutePattern.match:
        return RoutePattern._literal_prefix(pattern)  # type: ignore[arg-type]
    if match_method is RegexPattern.match:
        return RegexPattern._literal_prefix(pattern)  # type: ignore[arg-type]
    return "", False


def _build_tried(
    patterns: Sequence[Any],
    end: int,
    failures: dict[int, list[list[Any]]] | None,
) -> list[list[Any]]:
    """Rebuild Django's ``tried`` list for the first ``end`` patterns.

    Patterns the index skipped failed at their own pattern, which Django
    records as ``[pattern]``; only resolvers that matched and then failed
    inside (``failures``) contribute their sub-lists.
    """
    if not failures:
        return [[pattern] for pattern in patterns[:end]]
    tried: list[list[Any]] = []
    for position in range(end):
        pattern = patterns[position]
        sub_tried = failures.get(position)
        if sub_tried is None:
            tried.append([pattern])
        else:
            tried.extend([pattern, *entry] for entry in sub_tried)
    return tried


def _tried_for_match(
    patterns: Sequence[Any],
    position: int,
    failures: dict[int, list[list[Any]]] | None,
    sub_match: ResolverMatch,
) -> list[list[Any]]:
    tried = _build_tried(patterns, position, failures)
    pattern = patterns[position]
    sub_tried = sub_match.tried
    if sub_tried is None:
        tried.append([pattern])
    else:
        tried.extend([pattern, *entry] for entry in sub_tried)
    return tried


class _Index:
    """A snapshot of a resolver's patterns with their prefix index."""

    __slots__ = ("index", "memo", "patterns", "size")

    def __init__(self, patterns: Sequence[Any]) -> None:
        self.patterns = tuple(patterns)
        self.size = len(self.patterns)
        self.index = PatternIndex([_index_key(entry) for entry in self.patterns])
        #: path -> (path below the resolver's prefix, position of the leaf that
        #: matched it, and the finished match's attributes when the answer has
        #: no arguments at all), for paths whose resolution cannot vary (see
        #: _is_pure).
        self.memo: dict[str, tuple[str, int, dict[str, Any] | None]] = {}


#: Paths remembered per resolver; client-chosen paths cannot grow it further.
_MEMO_MAX = 1024
#: The ResolverMatch containers a template leaves out: each copy makes them on
#: first use (``_MadeOnFirstUse``). kwargs, read by every caller, is made at once.
_MADE_ON_FIRST_USE = frozenset(
    name
    for name, value in vars(ResolverMatch).items()
    if isinstance(value, _MadeOnFirstUse)
)


def _template_of(
    match: ResolverMatch,
    patterns: Sequence[Any],
    position: int,
    failures: dict[int, list[list[Any]]] | None,
) -> dict[str, Any] | None:
    """Return ``match``'s attributes if a copy of them answers the same path again.

    Only for a match with no arguments, defaults or namespaces, and one that
    is a plain ResolverMatch: the copy needs nothing recomputed.
    """
    if (
        type(match) is not ResolverMatch
        or match.args
        or match.kwargs
        or match.captured_kwargs
        or match.extra_kwargs
        or match.app_names
        or match.namespaces
        or match._tried is not None
    ):
        return None
    # kwargs is a placeholder, in its place: a copy of the template then holds
    # every key in order and grows only for the containers made on first use.
    template = {
        name: None if name == "kwargs" else value
        for name, value in vars(match).items()
        if name not in _MADE_ON_FIRST_USE
    }
    # Shared by every copy: it reads only the immutable patterns snapshot.
    template["_tried_source"] = functools.partial(
        _tried_for_leaf, patterns, position, failures
    )
    return template


_new_object = object.__new__


def _tried_for_leaf(
    patterns: Sequence[Any],
    position: int,
    failures: dict[int, list[list[Any]]] | None,
) -> list[list[Any]]:
    tried = _build_tried(patterns, position, failures)
    tried.append([patterns[position]])
    return tried


def _is_pure(pattern: Any) -> bool:
    """Whether matching ``pattern`` depends on the path text alone.

    True for plain-string routes without converters (converters may consult
    anything) and plain-string regexes; translated patterns depend on the
    active language.
    """
    pattern_type = type(pattern)
    if pattern_type is RoutePattern:
        return not pattern.converters and type(pattern._route) is str
    if pattern_type is RegexPattern:
        return type(pattern._regex) is str
    return False


def _escape_leading_slashes(url: str) -> str:
    # "//host" would be read as scheme-relative: keep it a path.
    if url.startswith("//"):
        return "/%2F" + url[2:]
    return url


@functools.cache
def _reverse_check(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class URLResolver:
    """A node of the URLconf: a pattern prefix and the URLconf below it."""

    def __init__(
        self,
        pattern: Any,
        urlconf_name: Any,
        default_kwargs: dict[str, Any] | None = None,
        app_name: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.pattern = pattern
        # urlconf_name is a dotted path, a module, or a list of patterns.
        self.urlconf_name = urlconf_name
        self.callback = None
        self.default_kwargs = default_kwargs or {}
        self.namespace = namespace
        self.app_name = app_name
        self._reverse_dict: dict[str | None, MultiValueDict] = {}
        self._namespace_dict: dict[str | None, dict[str, tuple[str, URLResolver]]] = {}
        self._app_dict: dict[str | None, dict[str, list[str]]] = {}
        # Dotted paths of every view below this resolver.
        self._callback_strs: set[str] = set()
        self._populated = False
        self._local = threading.local()
        self._index: _Index | None = None

    def __repr__(self) -> str:
        if isinstance(self.urlconf_name, list) and self.urlconf_name:
            # The whole list can be huge.
            urlconf_repr = f"<{self.urlconf_name[0].__class__.__name__} list>"
        else:
            urlconf_repr = repr(self.urlconf_name)
        return (
            f"<{self.__class__.__name__} {urlconf_repr} "
            f"({self.app_name}:{self.namespace}) {self.pattern.describe()}>"
        )

    def check(self) -> list[CheckMessage]:
        """Return system-check messages for the whole tree below this resolver."""
        messages: list[CheckMessage] = []
        for pattern in self.url_patterns:
            messages.extend(_check_entry(pattern))
        messages.extend(self._check_custom_error_handlers())
        return messages or self.pattern.check()

    def _check_custom_error_handlers(self) -> list[CheckMessage]:
        from manouche.core.checks import Error

        messages: list[CheckMessage] = []
        # Every handler takes (request, exception) except handler500.
        for status_code, num_parameters in ((400, 2), (403, 2), (404, 2), (500, 1)):
            try:
                handler = self.resolve_error_handler(status_code)
            except (ImportError, ViewDoesNotExist) as e:
                path = getattr(self.urlconf_module, f"handler{status_code}")
                messages.append(
                    Error(
                        f"The custom handler{status_code} view '{path}' could not be "
                        "imported.",
                        hint=str(e),
                        id="urls.E008",
                    )
                )
                continue
            try:
                inspect.signature(handler).bind(*([None] * num_parameters))
            except TypeError:
                expected = "request, exception" if num_parameters == 2 else "request"
                messages.append(
                    Error(
                        f"The custom handler{status_code} view "
                        f"'{handler.__module__}.{handler.__qualname__}' does not take "
                        f"the correct number of arguments ({expected}).",
                        id="urls.E007",
                    )
                )
        return messages

    def _populate(self) -> None:
        # A URLconf that reverses while being loaded re-enters here; stop the
        # recursion in this thread. Other threads may populate concurrently:
        # everything is built in locals and published at the end.
        if getattr(self._local, "populating", False):
            return
        try:
            self._local.populating = True
            lookups = MultiValueDict()
            namespaces: dict[str, tuple[str, URLResolver]] = {}
            apps: dict[str, list[str]] = {}
            callback_strs: set[str] = set()
            language_code = get_language()
            # Reversed, so that the last pattern with a name is tried first.
            for url_pattern in reversed(self.url_patterns):
                p_pattern = url_pattern.pattern.regex.pattern.removeprefix("^")
                if isinstance(url_pattern, URLPattern):
                    callback_strs.add(url_pattern.lookup_str)
                    bits = normalize(url_pattern.pattern.regex.pattern)
                    entry = (
                        bits,
                        p_pattern,
                        url_pattern.default_args,
                        url_pattern.pattern.converters,
                    )
                    # Views are keys too, so reverse(view_function) works.
                    lookups.appendlist(url_pattern.callback, entry)  # type: ignore[arg-type]
                    if url_pattern.name is not None:
                        lookups.appendlist(url_pattern.name, entry)
                else:
                    self._populate_from_resolver(
                        url_pattern, p_pattern, lookups, namespaces, apps
                    )
                    if not url_pattern._populated:
                        # Namespaced includes are not walked above; their views
                        # still count for _is_callback().
                        url_pattern._populate()
                    callback_strs.update(url_pattern._callback_strs)
            self._callback_strs = callback_strs
            self._namespace_dict[language_code] = namespaces
            self._app_dict[language_code] = apps
            self._reverse_dict[language_code] = lookups
            self._populated = True
        finally:
            self._local.populating = False

    def _populate_from_resolver(
        self,
        url_pattern: URLResolver,
        p_pattern: str,
        lookups: MultiValueDict,
        namespaces: dict[str, tuple[str, URLResolver]],
        apps: dict[str, list[str]],
    ) -> None:
        if url_pattern.namespace:
            namespaces[url_pattern.namespace] = (p_pattern, url_pattern)
            if url_pattern.app_name:
                apps.setdefault(url_pattern.app_name, []).append(url_pattern.namespace)
            return
        # A namespace-less include: its names become ours, prefixed.
        for name in url_pattern.reverse_dict:
            for _matches, pat, defaults, converters in url_pattern.reverse_dict.getlist(
                name
            ):
                new_pattern = p_pattern + pat
                lookups.appendlist(
                    name,
                    (
                        normalize(new_pattern),
                        new_pattern,
                        {**defaults, **url_pattern.default_kwargs},
                        {
                            **self.pattern.converters,
                            **url_pattern.pattern.converters,
                            **converters,
                        },
                    ),
                )
        for namespace, (prefix, sub_pattern) in url_pattern.namespace_dict.items():
            sub_pattern.pattern.converters.update(url_pattern.pattern.converters)
            namespaces[namespace] = (p_pattern + prefix, sub_pattern)
        for app_name, namespace_list in url_pattern.app_dict.items():
            apps.setdefault(app_name, []).extend(namespace_list)

    @property
    def reverse_dict(self) -> MultiValueDict:
        """Names and views -> ``(bits, pattern, defaults, converters)`` lists."""
        language_code = get_language()
        if language_code not in self._reverse_dict:
            self._populate()
        return self._reverse_dict[language_code]

    @property
    def namespace_dict(self) -> dict[str, tuple[str, URLResolver]]:
        """Instance namespaces -> ``(pattern prefix, resolver)``."""
        language_code = get_language()
        if language_code not in self._namespace_dict:
            self._populate()
        return self._namespace_dict[language_code]

    @property
    def app_dict(self) -> dict[str, list[str]]:
        """Application namespaces -> their instance namespaces, in order."""
        language_code = get_language()
        if language_code not in self._app_dict:
            self._populate()
        return self._app_dict[language_code]

    @staticmethod
    def _extend_tried(
        tried: list[list[Any]], pattern: Any, sub_tried: list[list[Any]] | None = None
    ) -> None:
        if sub_tried is None:
            tried.append([pattern])
        else:
            tried.extend([pattern, *entry] for entry in sub_tried)

    @staticmethod
    def _join_route(route1: str, route2: str) -> str:
        """Join two routes, dropping the second one's leading ``^``."""
        if not route1:
            return route2
        return route1 + route2.removeprefix("^")

    def _is_callback(self, name: str) -> bool:
        if not self._populated:
            self._populate()
        return name in self._callback_strs

    def _get_index(self) -> _Index:
        index = self._index
        patterns = self.url_patterns
        if index is None or (
            index.size != len(patterns)
            if type(patterns) is list
            else isinstance(patterns, tuple) and index.size != len(patterns)
        ):
            # Built once; rebuilt only if the urlpatterns list grew or shrank.
            index = self._index = _Index(patterns)
        return index

    def resolve(self, path: Any) -> ResolverMatch:
        """Resolve ``path`` to a ResolverMatch, or raise Resolver404."""
        if type(path) is not str:
            path = str(path)  # a reverse_lazy() proxy, say
        index = self._index
        if index is not None:
            patterns = self.url_patterns
            if type(patterns) is not list or index.size != len(patterns):
                index = self._get_index()  # the same checks, for other types
            remembered = index.memo.get(path)
            if remembered is not None:
                # Same answer as the walk below, minus the patterns it tries.
                new_path, position, template = remembered
                if template is not None:
                    # A fresh match from the template, no __init__ to run:
                    # kwargs new (every caller reads it), the other containers
                    # made on first use.
                    attributes = template.copy()
                    attributes["kwargs"] = {}
                    resolved: ResolverMatch = _new_object(ResolverMatch)
                    resolved.__dict__ = attributes
                    return resolved
                remembered_match = self._resolve_at(index, position, new_path)
                if remembered_match is not None:
                    return remembered_match
        return self._resolve_walking(path)

    def _resolve_walking(self, path: str) -> ResolverMatch:
        """Try the candidate patterns in order; remember pure answers."""
        match = self.pattern.match(path)
        if not match:
            raise Resolver404({"path": path})
        new_path, args, kwargs = match
        index = self._get_index()
        patterns = index.patterns
        failures: dict[int, list[list[Any]]] | None = None
        pure = not args and not kwargs and _is_pure(self.pattern)
        for position in index.index.candidates(new_path):
            pattern = patterns[position]
            if pure:
                pure = type(pattern) is URLPattern and _is_pure(pattern.pattern)
            try:
                sub_match = pattern.resolve(new_path)
            except Resolver404 as e:
                sub_tried = e.args[0].get("tried")
                if sub_tried is not None:
                    if failures is None:
                        failures = {}
                    failures[position] = sub_tried
                continue
            if sub_match:
                resolver_match = self._wrap_match(
                    sub_match, pattern, args, kwargs, (patterns, position, failures)
                )
                if pure and len(index.memo) < _MEMO_MAX:
                    index.memo[path] = (
                        new_path,
                        position,
                        _template_of(resolver_match, patterns, position, failures),
                    )
                return resolver_match
        raise Resolver404(
            {"tried": _build_tried(patterns, len(patterns), failures), "path": new_path}
        )

    def _resolve_at(
        self, index: _Index, position: int, new_path: str
    ) -> ResolverMatch | None:
        """Resolve ``new_path`` with the one pattern a memo entry names."""
        pattern = index.patterns[position]
        sub_match = pattern.resolve(new_path)
        if not sub_match:
            return None
        return self._wrap_match(
            sub_match, pattern, (), {}, (index.patterns, position, None)
        )

    def _wrap_match(
        self,
        sub_match: ResolverMatch,
        pattern: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        tried_state: tuple[Sequence[Any], int, dict[int, list[list[Any]]] | None],
    ) -> ResolverMatch:
        patterns, position, failures = tried_state
        if (
            not args
            and not kwargs
            and not self.default_kwargs
            and not self.app_name
            and not self.namespace
            and isinstance(pattern, URLPattern)
        ):
            # The root resolver adds nothing to a leaf's fresh match: reuse it.
            if sub_match.extra_kwargs is None:
                sub_match.extra_kwargs = {}
            sub_match._tried_source = functools.partial(
                _tried_for_match, patterns, position, failures, sub_match
            )
            return sub_match
        # Our captured kwargs, then our defaults, then the sub-match's.
        sub_match_dict = {**kwargs, **self.default_kwargs, **sub_match.kwargs}
        # Any named group anywhere hides every unnamed one.
        sub_match_args = sub_match.args
        if not sub_match_dict:
            sub_match_args = args + sub_match.args
        current_route = "" if isinstance(pattern, URLPattern) else str(pattern.pattern)
        resolver_match = ResolverMatch(
            sub_match.func,
            sub_match_args,
            sub_match_dict,
            sub_match.url_name,
            [self.app_name, *sub_match.app_names],
            [self.namespace, *sub_match.namespaces],
            self._join_route(current_route, sub_match.route or ""),
            None,
            captured_kwargs=sub_match.captured_kwargs,
            extra_kwargs={**self.default_kwargs, **(sub_match.extra_kwargs or {})},
        )
        resolver_match._tried_source = functools.partial(
            _tried_for_match, patterns, position, failures, sub_match
        )
        return resolver_match

    @cached_property
    def urlconf_module(self) -> Any:
        """The URLconf: an imported module, or the list given directly."""
        if isinstance(self.urlconf_name, str):
            return import_module(self.urlconf_name)
        return self.urlconf_name

    @cached_property
    def url_patterns(self) -> Any:
        """The URLconf's ``urlpatterns`` (or the URLconf itself, if a list)."""
        patterns = getattr(self.urlconf_module, "urlpatterns", self.urlconf_module)
        try:
            iter(patterns)
        except TypeError as e:
            raise ImproperlyConfigured(
                f"The included URLconf '{self.urlconf_name}' does not appear to have "
                "any patterns in it. If you see the 'urlpatterns' variable with valid "
                "patterns in the file then the issue is probably caused by a circular "
                "import."
            ) from e
        return patterns

    def resolve_error_handler(self, view_type: int) -> Callable[..., Any]:
        """Return the URLconf's ``handler<view_type>`` view, or the default one."""
        callback = getattr(self.urlconf_module, f"handler{view_type}", None)
        if not callback:
            # The defaults live in manouche.conf.urls, which imports this
            # package: look them up at call time, not at import time.
            from manouche.conf import urls as default_urls

            callback = getattr(default_urls, f"handler{view_type}", None)
            if callback is None:
                raise AttributeError(f"There is no default handler{view_type} view.")
        return get_callable(callback)

    def reverse(self, lookup_view: Any, *args: Any, **kwargs: Any) -> str:
        """Build a URL (without script prefix) for ``lookup_view``."""
        return self._reverse_with_prefix(lookup_view, "", *args, **kwargs)

    def _reverse_with_prefix(
        self, lookup_view: Any, _prefix: str, *args: Any, **kwargs: Any
    ) -> str:
        if args and kwargs:
            raise ValueError("Don't mix *args and **kwargs in call to reverse()!")
        if not self._populated:
            self._populate()
        possibilities = self.reverse_dict.getlist(lookup_view)
        escaped_prefix = _prefix.replace("%", "%%")
        for possibility, pattern, defaults, converters in possibilities:
            for result, params in possibility:
                candidate_subs = _candidate_subs(args, kwargs, params, defaults)
                if candidate_subs is None:
                    continue
                text_subs = _to_text(candidate_subs, converters)
                if text_subs is None:
                    continue
                # The resolver works on decoded URLs: build the decoded URL,
                # check it against the pattern, then quote it.
                candidate = (escaped_prefix + result) % text_subs
                if _reverse_check(pattern).match(candidate, len(_prefix)):
                    url = quote(candidate, safe=_REVERSE_SAFE)
                    return _escape_leading_slashes(url)
        raise NoReverseMatch(
            _no_reverse_match_message(lookup_view, args, kwargs, possibilities)
        )


def _candidate_subs(
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    params: list[str],
    defaults: dict[str, Any],
) -> dict[str, Any] | None:
    """Pair arguments with a format's parameters, or None if they don't fit."""
    if args:
        if len(args) != len(params):
            return None
        return dict(zip(params, args, strict=True))
    if set(kwargs).symmetric_difference(params).difference(defaults):
        return None
    for key, value in defaults.items():
        if key in params:
            continue
        # A default not in the URL must be given its own value, or nothing.
        if kwargs.get(key, value) != value:
            return None
    return kwargs


def _to_text(
    candidate_subs: dict[str, Any], converters: dict[str, Any]
) -> dict[str, str] | None:
    """Convert values with their converters' to_url(); None if one refuses."""
    text_subs: dict[str, str] = {}
    for key, value in candidate_subs.items():
        converter = converters.get(key)
        if converter is None:
            text_subs[key] = str(value)
            continue
        try:
            text_subs[key] = converter.to_url(value)
        except ValueError:
            return None
    return text_subs


def _no_reverse_match_message(
    lookup_view: Any,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    possibilities: list[Any],
) -> str:
    # A callable is named by its dotted path in messages.
    module = getattr(lookup_view, "__module__", None)
    name = getattr(lookup_view, "__name__", None)
    if module is not None and name is not None:
        lookup_view_s = f"{module}.{name}"
    else:
        lookup_view_s = lookup_view
    patterns = [pattern for (_bits, pattern, _defaults, _converters) in possibilities]
    if not patterns:
        return (
            f"Reverse for '{lookup_view_s}' not found. '{lookup_view_s}' is not a "
            "valid view function or pattern name."
        )
    if args:
        arg_msg = f"arguments '{args}'"
    elif kwargs:
        arg_msg = f"keyword arguments '{kwargs}'"
    else:
        arg_msg = "no arguments"
    return (
        f"Reverse for '{lookup_view_s}' with {arg_msg} not found. "
        f"{len(patterns)} pattern(s) tried: {patterns}"
    )


def _check_entry(entry: Any) -> list[CheckMessage]:
    """Check one urlpatterns entry, as the URL system check does."""
    from manouche.core.checks.urls import check_resolver

    return check_resolver(entry)
