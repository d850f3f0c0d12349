"""Tags that build links: ``url`` (reverse a URL name) and ``querystring``.

Both read the request context; ``url`` may store its result with ``as``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from manouche.template._dtl.expressions import (
    FilterExpression,
    kwarg_re,
)
from manouche.template._dtl.nodes import Node
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.html import conditional_escape

if TYPE_CHECKING:
    pass

__all__ = [
    "URLNode",
    "querystring",
    "url",
]


class URLNode(Node):
    """``{% url "name" arg key=val [as var] %}``."""

    child_nodelists = ()

    def __init__(
        self,
        view_name: FilterExpression,
        args: list[FilterExpression],
        kwargs: dict[str, FilterExpression],
        asvar: str | None,
    ) -> None:
        self.view_name = view_name
        self.args = args
        self.kwargs = kwargs
        self.asvar = asvar

    def __repr__(self) -> str:
        return (
            f"<{type(self).__qualname__} view_name={self.view_name!r} "
            f"args={self.args!r} kwargs={self.kwargs!r} as={self.asvar!r}>"
        )

    def render(self, context: Any) -> str:
        """Reverse the URL (in the current app's namespace when known)."""
        from manouche.urls import NoReverseMatch, reverse

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        current_app = None
        request = context.get("request")
        if request is not None:
            current_app = getattr(request, "current_app", None)
            if current_app is None:
                match = getattr(request, "resolver_match", None)
                current_app = getattr(match, "namespace", None)
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


def url(parser: Any, token: Any) -> Node:
    """Output the URL of a named view."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(
            f"'{bits[0]}' takes at least one argument, a URL pattern name."
        )
    viewname = parser.compile_filter(bits[1])
    args: list[FilterExpression] = []
    kwargs: dict[str, FilterExpression] = {}
    asvar = None
    bits = bits[2:]
    if len(bits) >= 2 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    for bit in bits:
        match = kwarg_re.match(bit)
        if not match:
            raise TemplateSyntaxError("Malformed arguments to url tag")
        name, value = match.groups()
        if name:
            kwargs[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(value))
    return URLNode(viewname, args, kwargs, asvar)


def querystring(context: Any, query_dict: Any = None, **kwargs: Any) -> str:
    """Build a query string from ``query_dict`` (default: the request's GET).

    Each keyword replaces a parameter; None removes it, and a non-string
    iterable sets every one of its values. The result starts with "?" unless
    there was never anything to say.
    """
    from manouche.http import QueryDict

    if query_dict is None:
        query_dict = context.request.GET
    params = QueryDict(mutable=True)
    if hasattr(query_dict, "lists"):
        for key, values in query_dict.lists():
            params.setlist(key, list(values))
    else:
        for key, value in query_dict.items():
            params[key] = value
    for key, value in kwargs.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, Iterable) and not isinstance(value, str):
            params.setlist(key, list(value))
        else:
            params[key] = value
    if not params and not query_dict:
        return ""
    return f"?{params.urlencode()}"
