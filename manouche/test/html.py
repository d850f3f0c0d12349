"""Parse HTML into comparable trees for ``assertHTMLEqual`` and friends.

Two fragments compare equal when they differ only in ways a browser ignores:
attribute order, the order of classes, runs of whitespace, whitespace at the
edges of elements, and the spelling of boolean attributes. This module only
builds and compares trees; it never fetches or renders anything.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from manouche.utils.html import VOID_ELEMENTS

__all__ = [
    "Element",
    "HTMLParseError",
    "Parser",
    "RootElement",
    "normalize_whitespace",
    "parse_html",
]

_WHITESPACE = re.compile(r"[\t\n\f\r ]+")


# Attributes whose presence alone means "true":
# <input checked> == <input checked="checked">.
BOOLEAN_ATTRIBUTES = frozenset(
    {
        "allowfullscreen",
        "async",
        "autofocus",
        "autoplay",
        "checked",
        "controls",
        "default",
        "defer",
        "disabled",
        "formnovalidate",
        "hidden",
        "inert",
        "ismap",
        "itemscope",
        "loop",
        "multiple",
        "muted",
        "nomodule",
        "novalidate",
        "open",
        "playsinline",
        "readonly",
        "required",
        "reversed",
        "selected",
    }
)


def normalize_whitespace(string: str) -> str:
    """Collapse every run of ASCII whitespace into a single space."""
    return _WHITESPACE.sub(" ", string)


def normalize_attributes(
    attributes: list[tuple[str, str | None]],
) -> list[tuple[str, str | None]]:
    """Return attributes in a canonical form, sorted by name."""
    normalized: list[tuple[str, str | None]] = []
    for name, value in attributes:
        if name == "class" and value:
            value = " ".join(sorted(part for part in _WHITESPACE.split(value) if part))
        if name in BOOLEAN_ATTRIBUTES:
            if not value or value == name:
                value = None
        elif value is None:
            value = ""
        normalized.append((name, value))
    return sorted(normalized, key=lambda item: (item[0], item[1] or ""))


class HTMLParseError(Exception):
    """Raised when the HTML is not well-formed enough to compare.

    The arguments are the message and the (line, column) of the problem.
    """


class Element:
    """An HTML element with normalised attributes and children."""

    def __init__(
        self, name: str | None, attributes: list[tuple[str, str | None]]
    ) -> None:
        self.name = name
        self.attributes = normalize_attributes(attributes)
        self.children: list[str | Element] = []
        # False while the parser has not met the end tag; an element closed
        # only by an outer end tag prints without one, as it was written.
        self.closed = True

    def append(self, element: str | Element) -> None:
        """Add a child, merging adjacent text and dropping blank text."""
        if isinstance(element, str):
            element = normalize_whitespace(element)
            if self.children and isinstance(self.children[-1], str):
                self.children[-1] = normalize_whitespace(self.children[-1] + element)
                return
        elif (
            self.children
            and isinstance(self.children[-1], str)
            and self.children[-1].isspace()
        ):
            self.children.pop()
        if element:
            self.children.append(element)

    def finalize(self) -> None:
        """Strip whitespace at the edges of text children, recursively."""
        while self.children and isinstance(self.children[-1], str):
            stripped = self.children[-1].rstrip()
            if stripped:
                self.children[-1] = stripped
                break
            self.children.pop()
        kept: list[str | Element] = []
        for child in self.children:
            if isinstance(child, str):
                child = child.strip()
                if not child:
                    continue
            else:
                child.finalize()
            kept.append(child)
        self.children = kept

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Element) or self.name != other.name:
            return False
        return self.attributes == other.attributes and self.children == other.children

    def __hash__(self) -> int:
        return hash((self.name, *self.attributes))

    def _count(self, element: str | Element, count: bool = True) -> int:
        if not isinstance(element, str) and self == element:
            return 1
        if isinstance(element, RootElement) and self.children == element.children:
            return 1
        found = 0
        matched = 0  # how many of a root element's children matched in a row
        for child in self.children:
            if isinstance(child, str):
                if isinstance(element, str):
                    if count:
                        found += child.count(element)
                    elif element in child:
                        return 1
                continue
            found += child._count(element, count=count)
            if not count and found:
                return found
            if isinstance(element, RootElement) and element.children:
                if element.children[matched] == child:
                    matched += 1
                    if matched == len(element.children):
                        found += 1
                        matched = 0
                else:
                    matched = 0
        return found

    def __contains__(self, element: object) -> bool:
        if not isinstance(element, str | Element):
            return False
        return self._count(element, count=False) > 0

    def count(self, element: str | Element) -> int:
        """Count the occurrences of ``element`` (a subtree or text) in this tree."""
        return self._count(element, count=True)

    def __getitem__(self, key: int) -> str | Element:
        return self.children[key]

    def _attributes_str(self) -> str:
        parts = []
        for name, value in self.attributes:
            if value is None:
                parts.append(f" {name}")
            else:
                parts.append(f' {name}="{html.escape(value)}"')
        return "".join(parts)

    def _children_str(self) -> str:
        return "".join(
            html.escape(child, quote=False) if isinstance(child, str) else str(child)
            for child in self.children
        )

    def __str__(self) -> str:
        output = f"<{self.name}{self._attributes_str()}>"
        if not self.closed:
            return output + (f"\n{self._children_str()}" if self.children else "")
        if self.children:
            output += f"\n{self._children_str()}\n</{self.name}>"
        elif self.name not in VOID_ELEMENTS:
            output += f"</{self.name}>"
        return output

    def __repr__(self) -> str:
        return str(self)


class RootElement(Element):
    """The invisible parent of a fragment's top-level nodes."""

    def __init__(self) -> None:
        super().__init__(None, [])

    def __str__(self) -> str:
        return self._children_str()


class Parser(HTMLParser):
    """Build an ``Element`` tree, checking that end tags match start tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = RootElement()
        self.open_tags: list[Element] = []
        self.element_positions: dict[int, tuple[int, int]] = {}

    def error(self, message: str) -> None:
        """Raise with the parser's current position."""
        line, column = self.getpos()
        raise HTMLParseError(
            f"{message} (Line {line}, Column {column})", (line, column)
        )

    @property
    def current(self) -> Element:
        """The element new nodes are added to."""
        return self.open_tags[-1] if self.open_tags else self.root

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.current.append(element)
        if tag not in VOID_ELEMENTS:
            element.closed = False
            self.open_tags.append(element)
        self.element_positions[id(element)] = self.getpos()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if not self.open_tags:
            self.error(f"Unexpected end tag `{tag}`")
        element = self.open_tags.pop()
        while element.name != tag:
            if not self.open_tags:
                self.error(f"Unexpected end tag `{tag}`")
            element = self.open_tags.pop()
        element.closed = True

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def parse_html(html_text: str) -> Any:
    """Parse ``html_text`` into an ``Element`` (or a ``RootElement`` for many nodes).

    A fragment that is a single element returns that element; anything else
    (text, several nodes) returns the root holding them.
    """
    parser = Parser()
    parser.feed(html_text)
    parser.close()
    document = parser.root
    document.finalize()
    if len(document.children) == 1 and not isinstance(document.children[0], str):
        return document.children[0]
    return document
