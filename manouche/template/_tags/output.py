"""Tags that output literal or computed text: ``now``, ``lorem``, ``verbatim``...

Also ``comment``, ``csrf_token``, ``debug``, ``templatetag`` and
``widthratio``: each a small node, rendered by the generated code.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from manouche.template._dtl.expressions import (
    FilterExpression,
    VariableDoesNotExist,
)
from manouche.template._dtl.nodes import Node, TextNode
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.html import conditional_escape, format_html

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = [
    "CommentNode",
    "CsrfTokenNode",
    "DebugNode",
    "LoremNode",
    "NowNode",
    "TemplateTagNode",
    "VerbatimNode",
    "WidthRatioNode",
    "comment",
    "csrf_token",
    "debug",
    "escape_text",
    "lorem",
    "now",
    "templatetag",
    "verbatim",
    "widthratio",
]


class CommentNode(Node):
    """``{% comment %}``: renders nothing."""

    child_nodelists = ()
    compiled = True

    def emit(self, f: FunctionBuilder) -> None:
        """Emit nothing."""

    def render(self, context: Any) -> str:
        """Render nothing."""
        return ""


class CsrfTokenNode(Node):
    """``{% csrf_token %}``: the hidden input carrying the CSRF token."""

    child_nodelists = ()

    def render(self, context: Any) -> str:
        """Return the hidden input, or nothing without a token."""
        csrf_token = context.get("csrf_token")
        if csrf_token:
            if csrf_token == "NOTPROVIDED":
                return ""
            return format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">',
                csrf_token,
            )
        return ""


class DebugNode(Node):
    """``{% debug %}``: the context and imported modules, pretty-printed."""

    child_nodelists = ()

    def render(self, context: Any) -> str:
        """Return the debug dump (empty unless DEBUG)."""
        from pprint import pformat

        if not getattr(context.template.engine, "debug", False):
            return ""
        output = [escape_text(pformat(val)) for val in context]
        return "".join(output)


def escape_text(value: str) -> str:
    """Escape for the debug tag."""
    return str(conditional_escape(value))


class LoremNode(Node):
    """``{% lorem [count] [w|p|b] [random] %}``."""

    child_nodelists = ()

    def __init__(self, count: FilterExpression, method: str, common: bool) -> None:
        self.count = count
        self.method = method
        self.common = common

    def render(self, context: Any) -> str:
        """Return the placeholder text."""
        from manouche.utils.lorem_ipsum import paragraphs, words

        try:
            count = int(self.count.resolve(context))
        except (ValueError, TypeError):
            count = 1
        if self.method == "w":
            return words(count, common=self.common)
        paras = paragraphs(count, common=self.common)
        if self.method == "p":
            paras = [f"<p>{p}</p>" for p in paras]
        return "\n\n".join(paras)


class NowNode(Node):
    """``{% now "format" [as var] %}``."""

    child_nodelists = ()

    def __init__(self, format_string: str, asvar: str | None = None) -> None:
        self.format_string = format_string
        self.asvar = asvar

    def render(self, context: Any) -> str:
        """Format the current time."""
        from manouche.conf import settings
        from manouche.utils.dateformat import format as date_format
        from manouche.utils.formats import get_format
        from manouche.utils.timezone import get_current_timezone

        tzinfo = get_current_timezone() if settings.USE_TZ else None
        fmt = self.format_string
        if fmt in _NAMED_FORMATS:
            fmt = get_format(fmt)
        formatted = date_format(datetime.now(tz=tzinfo), fmt)
        if self.asvar:
            context[self.asvar] = formatted
            return ""
        return formatted


_NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}


class TemplateTagNode(Node):
    """``{% templatetag openblock %}`` and friends."""

    child_nodelists = ()
    compiled = True
    mapping = {
        "openblock": "{%",
        "closeblock": "%}",
        "openvariable": "{{",
        "closevariable": "}}",
        "openbrace": "{",
        "closebrace": "}",
        "opencomment": "{#",
        "closecomment": "#}",
    }

    def __init__(self, tagtype: str) -> None:
        self.tagtype = tagtype

    def emit(self, f: FunctionBuilder) -> None:
        """Output the literal."""
        f.text(self.mapping[self.tagtype])


class VerbatimNode(Node):
    """``{% verbatim %}``: the raw text."""

    child_nodelists = ()
    compiled = True

    def __init__(self, content: str) -> None:
        self.content = content

    def emit(self, f: FunctionBuilder) -> None:
        """Output the text."""
        f.text(self.content)


class WidthRatioNode(Node):
    """``{% widthratio value max_value max_width [as var] %}``."""

    child_nodelists = ()

    def __init__(
        self,
        val_expr: FilterExpression,
        max_expr: FilterExpression,
        max_width: FilterExpression,
        asvar: str | None = None,
    ) -> None:
        self.val_expr = val_expr
        self.max_expr = max_expr
        self.max_width = max_width
        self.asvar = asvar

    def render(self, context: Any) -> str:
        """Return round(value / max_value * max_width)."""
        try:
            value = self.val_expr.resolve(context)
            max_value = self.max_expr.resolve(context)
        except VariableDoesNotExist:
            return ""
        try:
            max_width = int(self.max_width.resolve(context))
        except VariableDoesNotExist:
            return ""
        except (ValueError, TypeError):
            raise TemplateSyntaxError(
                "widthratio final argument must be a number"
            ) from None
        try:
            value = float(value)
            max_value = float(max_value)
            ratio = (value / max_value) * max_width
            result = str(round(ratio))
        except ZeroDivisionError:
            result = "0"
        except (ValueError, TypeError, OverflowError):
            result = ""
        if self.asvar:
            context[self.asvar] = result
            return ""
        return result


def comment(parser: Any, token: Any) -> Node:
    """Ignore everything up to ``{% endcomment %}``."""
    parser.skip_past("endcomment")
    return CommentNode()


def csrf_token(parser: Any, token: Any) -> Node:
    """Output the CSRF hidden input."""
    return CsrfTokenNode()


def debug(parser: Any, token: Any) -> Node:
    """Dump the context (when DEBUG)."""
    return DebugNode()


def lorem(parser: Any, token: Any) -> Node:
    """Output lorem ipsum text."""
    bits = list(token.split_contents())
    tagname = bits[0]
    common = bits[-1] != "random"
    if not common:
        bits.pop()
    method = bits.pop() if bits[-1] in ("w", "p", "b") else "b"
    if len(bits) > 1:
        count = bits.pop()
    else:
        count = "1"
    count_expr = parser.compile_filter(count)
    if len(bits) != 1:
        raise TemplateSyntaxError(f"Incorrect format for {tagname!r} tag")
    return LoremNode(count_expr, method, common)


def now(parser: Any, token: Any) -> Node:
    """Output the current date/time in a format."""
    bits = token.split_contents()
    asvar = None
    if len(bits) == 4 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    if len(bits) != 2:
        raise TemplateSyntaxError("'now' statement takes one argument")
    format_string = bits[1][1:-1]
    return NowNode(format_string, asvar)


def templatetag(parser: Any, token: Any) -> Node:
    """Output one of the template syntax characters."""
    bits = token.contents.split()
    if len(bits) != 2:
        raise TemplateSyntaxError("'templatetag' statement takes one argument")
    tag = bits[1]
    if tag not in TemplateTagNode.mapping:
        raise TemplateSyntaxError(
            f"Invalid templatetag argument: '{tag}'. Must be one of: "
            f"{', '.join(TemplateTagNode.mapping)}"
        )
    return TemplateTagNode(tag)


def verbatim(parser: Any, token: Any) -> Node:
    """Output the enclosed text without interpreting it."""
    nodelist = parser.parse(("endverbatim",))
    parser.delete_first_token()
    return VerbatimNode(
        "".join(node.s for node in nodelist if isinstance(node, TextNode))
    )


def widthratio(parser: Any, token: Any) -> Node:
    """Compute a width ratio for bar charts."""
    bits = token.split_contents()
    asvar = None
    if len(bits) == 4:
        _, this_value_expr, max_value_expr, max_width = bits
    elif len(bits) == 6:
        _, this_value_expr, max_value_expr, max_width, as_, asvar = bits
        if as_ != "as":
            raise TemplateSyntaxError(
                "Invalid syntax in widthratio tag. Expecting 'as' keyword"
            )
    else:
        raise TemplateSyntaxError("widthratio takes at least three arguments")
    return WidthRatioNode(
        parser.compile_filter(this_value_expr),
        parser.compile_filter(max_value_expr),
        parser.compile_filter(max_width),
        asvar=asvar,
    )
