"""Turn URL regular expressions back into format strings, for ``reverse()``.

``normalize()`` reads a pattern such as ``^articles/(?P<year>[0-9]+)/$`` and
answers every way to build a URL from it: ``[("articles/%(year)s/", ["year"])]``.
It understands the subset of regex syntax that URL patterns use; anything it
cannot reverse (alternation with ``|``) makes it give up with ``[("", [])]``,
as Django does. It never matches anything: ``reverse()`` checks its candidate
URLs against the real pattern afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from manouche.utils.functional import SimpleLazyObject

__all__ = ["Choice", "Group", "NonCapture", "_lazy_re_compile", "normalize"]

# A representative character for each escape; None means "matches nothing
# printable" (anchors), so the escape is dropped from the format string.
ESCAPE_MAPPINGS: dict[str, str | None] = {
    "A": None,
    "b": None,
    "B": None,
    "d": "0",
    "D": "x",
    "s": " ",
    "S": "x",
    "w": "x",
    "W": "!",
    "Z": None,
}


class Choice(list[Any]):
    """Alternatives, one of which (possibly ``None``: nothing) appears."""


class Group(list[Any]):
    """A capturing group: ``[format_piece, parameter_name_or_None]``."""


class NonCapture(list[Any]):
    """A non-capturing group's contents."""


class _Unreversible(Exception):
    """Raised inside ``normalize()`` on syntax it refuses to reverse."""


def _next_char(chars: Iterator[str]) -> Iterator[tuple[str, bool]]:
    """Yield ``(char, escaped)``, resolving escapes to representatives."""
    for char in chars:
        if char != "\\":
            yield char, False
            continue
        escaped_char = next(chars, None)
        if escaped_char is None:
            return
        char = escaped_char
        representative = ESCAPE_MAPPINGS.get(char, char)
        if representative is None:
            continue
        yield representative, True


def _walk_to_end(char: str, tokens: Iterator[tuple[str, bool]]) -> None:
    """Skip to the end of the current group, honouring nesting."""
    nesting = 1 if char == "(" else 0
    for char, escaped in tokens:
        if escaped:
            continue
        if char == "(":
            nesting += 1
        elif char == ")":
            if not nesting:
                return
            nesting -= 1


def _quantifier(
    char: str, tokens: Iterator[tuple[str, bool]]
) -> tuple[int, str | None]:
    """Read a quantifier starting at ``char``; return (minimum, next char).

    The next char is the first one after the quantifier (or None at the end),
    already consumed from ``tokens``.
    """
    if char in "*?+":
        minimum = 1 if char == "+" else 0
        following = next(tokens, None)
        if following is not None and following == ("?", False):
            following = next(tokens, None)  # non-greedy marker
        return minimum, None if following is None else following[0]
    digits: list[str] = []
    for char, _escaped in tokens:
        if char == "}":
            break
        digits.append(char)
    text = "".join(digits)
    minimum = int(text.partition(",")[0] or 0)
    following = next(tokens, None)
    if following is not None and following == ("?", False):
        following = next(tokens, None)
    return minimum, None if following is None else following[0]


def _contains_group(item: Any) -> bool:
    if isinstance(item, Group):
        return True
    if isinstance(item, list):
        return any(_contains_group(element) for element in item)
    return False


class _Parser:
    """One pass over a pattern, building a tree of literals and groups."""

    def __init__(self, pattern: str) -> None:
        self.tokens = _next_char(iter(pattern))
        self.result: list[Any] = []
        self.non_capturing: list[int] = []
        self.positional = 0

    def parse(self) -> list[Any]:
        tokens = self.tokens
        pending = next(tokens, None)
        while pending is not None:
            char, escaped = pending
            pending = None
            if escaped:
                self.result.append(char.replace("%", "%%"))
            elif char == "$":
                break
            elif char in "*?+{":
                pending = self._quantify(char)
                continue
            else:
                self._plain(char)
            pending = next(tokens, None)
        return self.result

    def _plain(self, char: str) -> None:
        if char == ".":
            self.result.append(".")
        elif char == "|":
            raise _Unreversible
        elif char == "^":
            pass
        elif char == ")":
            if not self.non_capturing:
                raise ValueError("Unbalanced parenthesis in URL pattern.")
            start = self.non_capturing.pop()
            inner = NonCapture(self.result[start:])
            self.result = [*self.result[:start], inner]
        elif char == "[":
            self._character_class()
        elif char == "(":
            self._group()
        else:
            self.result.append(char.replace("%", "%%"))

    def _character_class(self) -> None:
        # A class stands for its first character; the real check comes later.
        char, _escaped = next(self.tokens)
        self.result.append(char.replace("%", "%%"))
        char, escaped = next(self.tokens)
        while escaped or char != "]":
            char, escaped = next(self.tokens)

    def _group(self) -> None:
        tokens = self.tokens
        char, escaped = next(tokens)
        if char != "?" or escaped:
            name = f"_{self.positional}"
            self.positional += 1
            self.result.append(Group([f"%({name})s", name]))
            _walk_to_end(char, tokens)
            return
        char, escaped = next(tokens)
        if char in "!=<#aiLmsux-":
            # Lookarounds, comments and inline flags: nothing to build.
            _walk_to_end(char, tokens)
        elif char == ":":
            self.non_capturing.append(len(self.result))
        elif char != "P":
            raise ValueError(f"Non-reversible reg-exp portion: '(?{char}'")
        else:
            self._named_group()

    def _named_group(self) -> None:
        tokens = self.tokens
        char, _escaped = next(tokens)
        if char not in "<=":
            raise ValueError(f"Non-reversible reg-exp portion: '(?P{char}'")
        terminal = ">" if char == "<" else ")"
        name: list[str] = []
        char, _escaped = next(tokens)
        while char != terminal:
            name.append(char)
            char, _escaped = next(tokens)
        param = "".join(name)
        if terminal == ">":
            self.result.append(Group([f"%({param})s", param]))
            _walk_to_end(char, tokens)
        else:
            # A backreference repeats an earlier parameter.
            self.result.append(Group([f"%({param})s", None]))

    def _quantify(self, char: str) -> tuple[str, bool] | None:
        minimum, following = _quantifier(char, self.tokens)
        if self.result:
            if minimum == 0:
                if _contains_group(self.result[-1]):
                    # Optional group: produce both with and without it.
                    self.result[-1] = Choice([None, self.result[-1]])
                else:
                    self.result.pop()
            elif minimum > 1:
                self.result.extend([self.result[-1]] * (minimum - 1))
        return None if following is None else (following, False)


def flatten_result(source: Any) -> tuple[list[str], list[list[str]]]:
    """Expand a parsed tree into every (format string, params) combination."""
    if source is None:
        return [""], [[]]
    if isinstance(source, Group):
        param = source[1]
        return [source[0]], [[param] if param else []]
    results = [""]
    params: list[list[str]] = [[]]
    for element in source:
        if isinstance(element, str):
            results = [result + element for result in results]
            continue
        if isinstance(element, Choice):
            inner_results: list[str] = []
            inner_params: list[list[str]] = []
            for option in element:
                option_results, option_params = flatten_result(option)
                inner_results.extend(option_results)
                inner_params.extend(option_params)
        else:
            inner_results, inner_params = flatten_result(element)
        combined_results: list[str] = []
        combined_params: list[list[str]] = []
        for result, args in zip(results, params, strict=True):
            for inner_result, inner_args in zip(
                inner_results, inner_params, strict=True
            ):
                combined_results.append(result + inner_result)
                combined_params.append([*args, *inner_args])
        results, params = combined_results, combined_params
    return results, params


def normalize(pattern: str) -> list[tuple[str, list[str]]]:
    """Return ``(format_string, param_names)`` pairs that build URLs for pattern.

    Positional groups are named ``_0``, ``_1``... Optional parts (``?``, ``*``,
    ``{0,n}``) produce one entry with and one without them.
    """
    parser = _Parser(pattern)
    try:
        tree = parser.parse()
    except _Unreversible:
        return [("", [])]
    except StopIteration:
        # A pattern cut short mid-construct: keep what was understood.
        tree = parser.result
    results, params = flatten_result(tree)
    return list(zip(results, params, strict=True))


def _lazy_re_compile(regex: str | bytes | re.Pattern[Any], flags: int = 0) -> Any:
    """Compile ``regex`` on first use, so importing a module stays cheap."""

    def _compile() -> re.Pattern[Any]:
        if isinstance(regex, str | bytes):
            return re.compile(regex, flags)
        if flags:
            raise AssertionError("flags must be empty if regex is passed pre-compiled")
        return regex

    return SimpleLazyObject(_compile)
