"""The pattern half of a URL pattern: routes, regexes and language prefixes.

Each pattern class offers ``match(path) -> (remaining_path, args, kwargs) | None``,
``regex``, ``converters``, ``check()`` and ``describe()``. ``RoutePattern``
anchors endpoints with ``\\Z`` (or compares static routes exactly), and
``RegexPattern`` full-matches endpoints that end in ``$``, so a trailing
newline never sneaks past a pattern. ``_literal_prefix()`` feeds the
resolver's prefix index. Public names are re-exported by
``manouche.urls.resolvers``, their Django home.
"""

from __future__ import annotations

import functools
import importlib
import re
import string
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured
from manouche.urls.converters import Converter, get_converters
from manouche.utils.functional import Promise
from manouche.utils.regex_helper import _lazy_re_compile

if TYPE_CHECKING:
    from manouche.core.checks import CheckMessage

__all__ = [
    "CheckURLMixin",
    "LocalePrefixPattern",
    "LocaleRegexDescriptor",
    "LocaleRegexRouteDescriptor",
    "RegexPattern",
    "RoutePattern",
    "get_language",
]

_language_getter: Callable[[], str | None] | None = None


def _no_language() -> str | None:
    return None


def get_language() -> str | None:
    """Return the active language, or None while translation is unavailable."""
    global _language_getter
    getter = _language_getter
    if getter is None:
        try:
            translation = importlib.import_module("manouche.utils.translation")
        except ImportError:
            getter = _no_language
        else:
            getter = translation.get_language
        _language_getter = getter
    return getter()


class LocaleRegexDescriptor:
    """Compile a pattern's regex once (or once per language, if translatable)."""

    source = "_regex"

    def __get__(self, instance: Any, cls: type | None = None) -> Any:
        if instance is None:
            return self
        pattern = getattr(instance, self.source)
        if isinstance(pattern, str):
            compiled = instance.__dict__["regex"] = instance._compile(pattern)
            return compiled
        text = str(pattern)
        cache = instance._regex_dict
        if text not in cache:
            cache[text] = instance._compile(text)
        return cache[text]


class LocaleRegexRouteDescriptor(LocaleRegexDescriptor):
    """Compile a route's regex from the route text itself."""

    source = "_route"


class CheckURLMixin:
    """System-check helpers shared by the pattern classes."""

    name: str | None
    regex: Any

    def describe(self) -> str:
        """Describe the pattern for messages: ``'route' [name='x']``."""
        description = f"'{self}'"
        if self.name:
            description += f" [name='{self.name}']"
        return description

    def _check_pattern_startswith_slash(self) -> list[CheckMessage]:
        from manouche.core.checks import Warning

        regex_pattern = self.regex.pattern
        if not settings.APPEND_SLASH:
            # A leading slash can be useful when APPEND_SLASH is off.
            return []
        if regex_pattern.startswith(("/", "^/", "^\\/")) and not regex_pattern.endswith(
            "/"
        ):
            return [
                Warning(
                    f"Your URL pattern {self.describe()} has a route beginning with a "
                    "'/'. Remove this slash as it is unnecessary. If this pattern is "
                    "targeted in an include(), ensure the include() pattern has a "
                    "trailing '/'.",
                    id="urls.W002",
                )
            ]
        return []


def _regex_literal_prefix(compiled: re.Pattern[str]) -> str:
    """Return the literal text every match of an anchored regex starts with."""
    if compiled.flags & (re.IGNORECASE | re.MULTILINE):
        return ""
    try:
        parser: Any = importlib.import_module("re._parser")
        constants: Any = importlib.import_module("re._constants")
        items = list(parser.parse(compiled.pattern))
    except Exception:
        return ""
    if not items or items[0] not in (
        (constants.AT, constants.AT_BEGINNING),
        (constants.AT, constants.AT_BEGINNING_STRING),
    ):
        return ""
    prefix: list[str] = []
    for op, value in items[1:]:
        if op is not constants.LITERAL:
            break
        prefix.append(chr(value))
    return "".join(prefix)


class RegexPattern(CheckURLMixin):
    """A pattern written as a regular expression (``re_path()``)."""

    regex = LocaleRegexDescriptor()

    def __init__(
        self, regex: str | Promise, name: str | None = None, is_endpoint: bool = False
    ) -> None:
        self._regex = regex
        self._regex_dict: dict[str, re.Pattern[str]] = {}
        self._is_endpoint = is_endpoint
        self.name = name
        self.converters: dict[str, Any] = {}

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        """Return ``(remaining_path, args, kwargs)``, or None if no match."""
        regex = self.regex
        # "$" also matches before a final newline, so an endpoint ending in
        # "$" must match the whole path.
        if self._is_endpoint and regex.pattern.endswith("$"):
            match = regex.fullmatch(path)
        else:
            match = regex.search(path)
        if match:
            # Named groups become kwargs and hide unnamed ones; otherwise
            # every group is positional.
            kwargs = match.groupdict()
            if not kwargs:
                return path[match.end() :], match.groups(), kwargs
            if None in kwargs.values():
                kwargs = {
                    key: value for key, value in kwargs.items() if value is not None
                }
            return path[match.end() :], (), kwargs
        return None

    def _literal_prefix(self) -> tuple[str, bool]:
        if not isinstance(self._regex, str):
            return "", False
        return _regex_literal_prefix(self.regex), False

    def check(self) -> list[CheckMessage]:
        """Return system-check warnings about this pattern."""
        warnings = self._check_pattern_startswith_slash()
        if not self._is_endpoint:
            warnings.extend(self._check_include_trailing_dollar())
        return warnings

    def _check_include_trailing_dollar(self) -> list[CheckMessage]:
        from manouche.core.checks import Warning

        regex = str(self._regex)
        if regex.endswith("$") and not regex.endswith(r"\$"):
            return [
                Warning(
                    f"Your URL pattern {self.describe()} uses include with a route "
                    "ending with a '$'. Remove the dollar from the route to avoid "
                    "problems including URLs.",
                    id="urls.W001",
                )
            ]
        return []

    def _compile(self, regex: str) -> re.Pattern[str]:
        try:
            return re.compile(regex)
        except re.error as e:
            raise ImproperlyConfigured(
                f'"{regex}" is not a valid regular expression: {e}'
            ) from e

    def __str__(self) -> str:
        return str(self._regex)


_PATH_PARAMETER_COMPONENT_RE = _lazy_re_compile(
    r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>"
)


@functools.cache
def _route_to_regex(route: str, is_endpoint: bool) -> tuple[str, dict[str, Converter]]:
    """Convert ``"foo/<int:pk>"`` to ``("^foo\\/(?P<pk>[0-9]+)", {"pk": int})``.

    Endpoints are anchored with ``\\Z`` (never ``$``, which would also match
    before a trailing newline).
    """
    parts = ["^"]
    all_converters = get_converters()
    converters: dict[str, Converter] = {}
    previous_end = 0
    for match in _PATH_PARAMETER_COMPONENT_RE.finditer(route):
        if not set(match.group()).isdisjoint(string.whitespace):
            raise ImproperlyConfigured(
                f"URL route {route!r} cannot contain whitespace in angle brackets <…>."
            )
        parameter = match["parameter"]
        if not parameter.isidentifier():
            raise ImproperlyConfigured(
                f"URL route {route!r} uses parameter name {parameter!r} which isn't a "
                "valid Python identifier."
            )
        raw_converter = match["converter"] or "str"
        try:
            converter = all_converters[raw_converter]
        except KeyError:
            raise ImproperlyConfigured(
                f"URL route {route!r} uses invalid converter {raw_converter!r}."
            ) from None
        converters[parameter] = converter
        parts.append(re.escape(route[previous_end : match.start()]))
        parts.append(f"(?P<{parameter}>{converter.regex})")
        previous_end = match.end()
    parts.append(re.escape(route[previous_end:]))
    if is_endpoint:
        parts.append(r"\Z")
    return "".join(parts), converters


class RoutePattern(CheckURLMixin):
    """A pattern written as a route with converters (``path()``)."""

    regex = LocaleRegexRouteDescriptor()

    def __init__(
        self, route: str | Promise, name: str | None = None, is_endpoint: bool = False
    ) -> None:
        self._route = route
        self._regex, self.converters = _route_to_regex(str(route), is_endpoint)
        self._regex_dict: dict[str, re.Pattern[str]] = {}
        self._is_endpoint = is_endpoint
        self.name = name

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        """Return ``(remaining_path, (), kwargs)``, or None if no match."""
        if self.converters:
            match = self.regex.match(path)
            if match is None:
                return None
            # A route has only named groups, so there are never args.
            kwargs = match.groupdict()
            converters = self.converters
            for key, value in kwargs.items():
                try:
                    kwargs[key] = converters[key].to_python(value)
                except ValueError:
                    return None
            return path[match.end() :], (), kwargs
        route = self._route
        if self._is_endpoint:
            # No regex needed: a static endpoint matches its exact text only.
            if route == path:
                return "", (), {}
        elif path.startswith(route):  # type: ignore[arg-type]
            return path[len(route) :], (), {}  # type: ignore[arg-type]
        return None

    def _literal_prefix(self) -> tuple[str, bool]:
        route = self._route
        if not isinstance(route, str):
            return "", False
        match = _PATH_PARAMETER_COMPONENT_RE.search(route)
        if match is None:
            return route, self._is_endpoint
        return route[: match.start()], False

    def check(self) -> list[CheckMessage]:
        """Return system-check warnings about this route."""
        from manouche.core.checks import Warning

        warnings = [
            *self._check_pattern_startswith_slash(),
            *self._check_pattern_unmatched_angle_brackets(),
        ]
        route = str(self._route)
        if "(?P<" in route or route.startswith("^") or route.endswith("$"):
            warnings.append(
                Warning(
                    f"Your URL pattern {self.describe()} has a route that contains "
                    "'(?P<', begins with a '^', or ends with a '$'. This was likely an "
                    "oversight when migrating to manouche.urls.path().",
                    id="2_0.W001",
                )
            )
        return warnings

    def _check_pattern_unmatched_angle_brackets(self) -> list[CheckMessage]:
        from manouche.core.checks import Warning

        warnings: list[CheckMessage] = []
        message = "Your URL pattern %s has an unmatched '%s' bracket."
        open_brackets = 0
        for bracket in re.findall(r"[<>]", str(self._route)):
            if bracket == "<":
                open_brackets += 1
            else:
                open_brackets -= 1
                if open_brackets < 0:
                    warnings.append(
                        Warning(message % (self.describe(), ">"), id="urls.W010")
                    )
                    open_brackets = 0
        if open_brackets > 0:
            warnings.append(Warning(message % (self.describe(), "<"), id="urls.W010"))
        return warnings

    def _compile(self, route: str) -> re.Pattern[str]:
        return re.compile(_route_to_regex(route, self._is_endpoint)[0])

    def __str__(self) -> str:
        return str(self._route)


class LocalePrefixPattern:
    """Match the active language's prefix (``"en/"``), for ``i18n_patterns``."""

    def __init__(self, prefix_default_language: bool = True) -> None:
        self.prefix_default_language = prefix_default_language
        self.converters: dict[str, Any] = {}

    @property
    def regex(self) -> re.Pattern[str]:
        """A regex for the current prefix (it changes with the language)."""
        return re.compile(re.escape(self.language_prefix))

    @property
    def language_prefix(self) -> str:
        """The prefix for the active language, ``""`` for an unprefixed default."""
        language_code = get_language() or settings.LANGUAGE_CODE
        if language_code == settings.LANGUAGE_CODE and not self.prefix_default_language:
            return ""
        return f"{language_code}/"

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        """Strip the language prefix, or return None if the path lacks it."""
        language_prefix = self.language_prefix
        if path.startswith(language_prefix):
            return path[len(language_prefix) :], (), {}
        return None

    def check(self) -> list[CheckMessage]:
        """Nothing to check."""
        return []

    def describe(self) -> str:
        """Describe the pattern for messages."""
        return f"'{self}'"

    def __str__(self) -> str:
        return self.language_prefix
