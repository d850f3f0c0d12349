"""Tags that shape the template itself: ``load``, ``partialdef``, ``partial``.

``load`` adds tag libraries to the parser at compile time; partials are named
fragments defined once and rendered where referenced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.template._dtl.nodes import Node
from manouche.template._tags.output import CommentNode
from manouche.template.base import PartialTemplate
from manouche.template.exceptions import TemplateSyntaxError
from manouche.template.library import Library

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = [
    "LoadNode",
    "PartialDefNode",
    "PartialNode",
    "find_library",
    "load",
    "load_from_library",
    "partial",
    "partialdef",
]


class LoadNode(CommentNode):
    """``{% load %}``: acts at parse time only."""


class PartialDefNode(Node):
    """``{% partialdef name [inline] %}``: define a reusable fragment."""

    compiled = True

    def __init__(self, partial: PartialTemplate, inline: bool) -> None:
        self.partial = partial
        self.nodelist = partial.nodelist
        self.inline = inline

    def emit(self, f: FunctionBuilder) -> None:
        """Compile the fragment's function; output it here when inline."""
        name = self.partial.function_name
        if name is None:
            name = self.partial.function_name = f.gen.unique("_partial")
            f.gen.function(name, self.nodelist)
        if self.inline:
            f.output(f"{name}(ctx)", pure=False)


class PartialNode(Node):
    """``{% partial name %}``: render a fragment defined in this template."""

    child_nodelists = ()
    compiled = True

    def __init__(
        self, name: str, partials: dict[str, PartialTemplate], token: Any
    ) -> None:
        self.name = name
        self.partials = partials
        self.partial_token = token

    def emit(self, f: FunctionBuilder) -> None:
        """Call the fragment's function."""
        partial = self.partials.get(self.name)
        if partial is None:
            raise TemplateSyntaxError(
                f"Partial '{self.name}' is not defined in the current template."
            )
        name = partial.function_name
        if name is None:
            name = partial.function_name = f.gen.unique("_partial")
            f.gen.function(name, partial.nodelist)
        f.output(f"{name}(ctx)", pure=False)


def find_library(parser: Any, name: str) -> Any:
    """Return the loadable library ``name``."""
    try:
        return parser.libraries[name]
    except KeyError:
        raise TemplateSyntaxError(
            f"'{name}' is not a registered tag library. Must be one of:\n"
            + "\n".join(sorted(parser.libraries))
        ) from None


def load_from_library(library: Any, label: str, names: list[str]) -> Library:
    """Return a library holding only ``names`` from ``library``."""
    subset = Library()
    for name in names:
        found = False
        if name in library.tags:
            found = True
            subset.tags[name] = library.tags[name]
        if name in library.filters:
            found = True
            subset.filters[name] = library.filters[name]
        if found is False:
            raise TemplateSyntaxError(
                f"'{name}' is not a valid tag or filter in tag library '{label}'"
            )
    return subset


def load(parser: Any, token: Any) -> Node:
    """Load tag libraries (or some names from one)."""
    bits = token.contents.split()
    if len(bits) >= 4 and bits[-2] == "from":
        name = bits[-1]
        lib = find_library(parser, name)
        subset = load_from_library(lib, name, bits[1:-2])
        parser.add_library(subset)
    else:
        for name in bits[1:]:
            lib = find_library(parser, name)
            parser.add_library(lib)
    return LoadNode()


def partialdef(parser: Any, token: Any) -> Node:
    """Define a named fragment (``inline`` also renders it in place)."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "inline"):
        raise TemplateSyntaxError(
            "'partialdef' tag requires a name and an optional 'inline' argument"
        )
    name = bits[1]
    inline = len(bits) == 3
    partials = parser.extra_data.setdefault("partials", {})
    if name in partials:
        raise TemplateSyntaxError(
            f"Partial '{name}' is already defined in the "
            f"'{getattr(parser.origin, 'name', '')}' template."
        )
    nodelist = parser.parse(("endpartialdef", f"endpartialdef {name}"))
    parser.delete_first_token()
    partial = PartialTemplate(name, nodelist, parser.origin)
    partials[name] = partial
    return PartialDefNode(partial, inline)


def partial(parser: Any, token: Any) -> Node:
    """Render a named fragment of this template."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError("'partial' tag requires a single argument")
    partials = parser.extra_data.setdefault("partials", {})
    return PartialNode(bits[1], partials, token)
