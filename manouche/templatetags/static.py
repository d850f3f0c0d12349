"""``{% load static %}``: static, get_static_prefix, get_media_prefix."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urljoin

from manouche.template import Library, Node
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.html import conditional_escape

__all__ = ["StaticNode", "register", "static"]

register = Library()


def _setting_url(name: str) -> str:
    from manouche.conf import settings
    from manouche.utils.encoding import iri_to_uri

    return str(iri_to_uri(getattr(settings, name, "") or ""))


class PrefixNode(Node):
    """Output (or store) STATIC_URL / MEDIA_URL."""

    child_nodelists = ()

    def __init__(self, varname: str | None = None, name: str = "") -> None:
        self.varname = varname
        self.name = name

    def render(self, context: Any) -> str:
        """Return the prefix."""
        prefix = _setting_url(self.name)
        if self.varname is None:
            return prefix
        context[self.varname] = prefix
        return ""


def _prefix_tag(parser: Any, token: Any, name: str) -> Node:
    tokens = token.contents.split()
    if len(tokens) > 1 and tokens[1] != "as":
        raise TemplateSyntaxError(f"First argument in '{tokens[0]}' must be 'as'")
    varname = tokens[2] if len(tokens) > 1 else None
    return PrefixNode(varname, name)


@register.tag
def get_static_prefix(parser: Any, token: Any) -> Node:
    """Output STATIC_URL (or ``as var``)."""
    return _prefix_tag(parser, token, "STATIC_URL")


@register.tag
def get_media_prefix(parser: Any, token: Any) -> Node:
    """Output MEDIA_URL (or ``as var``)."""
    return _prefix_tag(parser, token, "MEDIA_URL")


def static(path: str) -> str:
    """Return the URL of a static file (through staticfiles storage if any)."""
    from manouche.apps import apps

    if not apps.is_installed("manouche.contrib.staticfiles"):
        return urljoin(_setting_url("STATIC_URL"), quote(path))
    from manouche.contrib.staticfiles.storage import staticfiles_storage

    return str(staticfiles_storage.url(path))


class StaticNode(Node):
    """``{% static "path" [as var] %}``."""

    child_nodelists = ()

    def __init__(self, varname: str | None = None, path: Any = None) -> None:
        if path is None:
            raise TemplateSyntaxError(
                "Static template nodes must be given a path to return."
            )
        self.path = path
        self.varname = varname

    def __repr__(self) -> str:
        return (
            f"{type(self).__qualname__}(varname={self.varname!r}, path={self.path!r})"
        )

    def url(self, context: Any) -> str:
        """The URL of the resolved path."""
        return self.handle_simple(self.path.resolve(context))

    def render(self, context: Any) -> str:
        """Output (escaped) or store the URL."""
        url = self.url(context)
        if context.autoescape:
            url = conditional_escape(url)
        if self.varname is None:
            return url
        context[self.varname] = url
        return ""

    @classmethod
    def handle_simple(cls, path: str) -> str:
        """The URL for ``path``."""
        return static(path)

    @classmethod
    def handle_token(cls, parser: Any, token: Any) -> StaticNode:
        """Parse ``{% static path [as var] %}``."""
        bits = token.split_contents()
        if len(bits) < 2:
            raise TemplateSyntaxError(
                f"'{bits[0]}' takes at least one argument (path to file)"
            )
        path = parser.compile_filter(bits[1])
        varname = (
            bits[3] if len(bits) >= 2 and len(bits) > 3 and bits[-2] == "as" else None
        )
        return cls(varname, path)


@register.tag("static")
def do_static(parser: Any, token: Any) -> Node:
    """Output the URL of a static file."""
    return StaticNode.handle_token(parser, token)
