"""Tags that steer rendering: ``if``, ``with``, ``autoescape``, ``filter``...

``if``, ``with`` and ``autoescape`` are hot and emit Python code; ``filter``,
``firstof`` and ``spaceless`` are nodes rendered by the generated code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.template._dtl.expressions import (
    FilterExpression,
    VariableDoesNotExist,
)
from manouche.template._dtl.ifparser import Condition, IfParser
from manouche.template._dtl.nodes import Node, NodeList
from manouche.template.exceptions import TemplateSyntaxError

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = [
    "AutoEscapeControlNode",
    "FilterNode",
    "FirstOfNode",
    "IfNode",
    "SpacelessNode",
    "WithNode",
    "autoescape",
    "do_filter",
    "do_if",
    "do_with",
    "firstof",
    "guard_condition",
    "spaceless",
]


class AutoEscapeControlNode(Node):
    """``{% autoescape on|off %}``."""

    compiled = True

    def __init__(self, setting: bool, nodelist: NodeList) -> None:
        self.setting = setting
        self.nodelist = nodelist

    def emit(self, f: FunctionBuilder) -> None:
        """Switch escaping for the body, in code and on the context."""
        saved = f.temp()
        f.stmt(f"{saved} = ctx.autoescape")
        f.stmt(f"ctx.autoescape = {self.setting!r}")
        outer = f.autoescape
        with f.block("try"):
            f.autoescape = self.setting
            f.emit_nodelist(self.nodelist)
            f.autoescape = outer
        with f.block("finally"):
            f.stmt(f"ctx.autoescape = {saved}")


class FilterNode(Node):
    """``{% filter f|g %}...{% endfilter %}``."""

    def __init__(self, filter_expr: FilterExpression, nodelist: NodeList) -> None:
        self.filter_expr = filter_expr
        self.nodelist = nodelist

    def render(self, context: Any) -> Any:
        """Render the body, then filter it."""
        output = self.nodelist.render(context)
        with context.push(var=output):
            return self.filter_expr.resolve(context)


class FirstOfNode(Node):
    """``{% firstof a b "fallback" [as var] %}``."""

    child_nodelists = ()

    def __init__(self, variables: list[FilterExpression], asvar: str | None) -> None:
        self.vars = variables
        self.asvar = asvar

    def render(self, context: Any) -> Any:
        """Output the first true value."""
        from manouche.template.base import render_value_in_context

        first: Any = ""
        for var in self.vars:
            value = var.resolve(context, ignore_failures=True)
            if value:
                first = render_value_in_context(value, context)
                break
        if self.asvar:
            context[self.asvar] = first
            return ""
        return first


class IfNode(Node):
    """``{% if %}`` / ``{% elif %}`` / ``{% else %}``."""

    compiled = True
    child_nodelists = ()

    def __init__(
        self, conditions_nodelists: list[tuple[Condition | None, NodeList]]
    ) -> None:
        self.conditions_nodelists = conditions_nodelists

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}>"

    def __iter__(self) -> Any:
        for _, nodelist in self.conditions_nodelists:
            yield from nodelist

    @property
    def nodelist(self) -> NodeList:
        """Every branch's nodes."""
        return NodeList(self)

    def child_nodes(self) -> Any:
        """The nodes of every branch."""
        for _, nodelist in self.conditions_nodelists:
            yield from nodelist

    def get_nodes_by_type(self, nodetype: type) -> list[Any]:
        """Search every branch."""
        nodes = [self] if isinstance(self, nodetype) else []
        for _, nodelist in self.conditions_nodelists:
            nodes.extend(nodelist.get_nodes_by_type(nodetype))
        return nodes

    def expressions(self) -> list[FilterExpression]:
        """Every operand of every condition."""
        found: list[FilterExpression] = []
        for condition, _ in self.conditions_nodelists:
            if condition is not None:
                found.extend(condition.expressions())
        return found

    def emit(self, f: FunctionBuilder) -> None:
        """Emit if/elif/else."""
        keyword = "if"
        for condition, nodelist in self.conditions_nodelists:
            if condition is None:
                header = "else"
            else:
                source = condition.source(f)
                if _has_variable_arguments(condition.expressions()):
                    # A missing filter argument makes the condition None.
                    source = f"{f.gen.const(guard_condition)}(lambda: {source})"
                header = f"{keyword} {source}"
            with f.block(header):
                f.emit_nodelist(nodelist)
            keyword = "elif"


def _has_variable_arguments(expressions: list[FilterExpression]) -> bool:
    return any(
        arg.lookups is not None
        for expression in expressions
        for _, args in expression.filters
        for arg in args
    )


def guard_condition(condition: Any) -> Any:
    """Evaluate ``condition()``; a missing filter argument makes it None."""
    try:
        return condition()
    except VariableDoesNotExist:
        return None


class SpacelessNode(Node):
    """``{% spaceless %}``: drop whitespace between tags."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        """Render, then strip whitespace between tags."""
        from manouche.utils.html import strip_spaces_between_tags

        return strip_spaces_between_tags(self.nodelist.render(context).strip())


class WithNode(Node):
    """``{% with a=b c=d %}``: names bound for the body."""

    compiled = True

    def __init__(
        self,
        var: FilterExpression | None,
        name: str | None,
        nodelist: NodeList,
        extra_context: dict[str, FilterExpression] | None = None,
    ) -> None:
        self.nodelist = nodelist
        self.extra_context = extra_context or {}
        if name and var is not None:
            self.extra_context[name] = var

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}>"

    def expressions(self) -> list[FilterExpression]:
        """The bound values."""
        return list(self.extra_context.values())

    def emit(self, f: FunctionBuilder) -> None:
        """Resolve the values, push them, bind locals."""
        layer = f.temp()
        values = [(name, f.value(expr)) for name, expr in self.extra_context.items()]
        pairs = ", ".join(f"{name!r}: {value}" for name, value in values)
        f.stmt(f"{layer} = {{{pairs}}}")
        f.stmt(f"ctx.dicts.append({layer})")
        with f.block("try"), f.scope():
            for name, value in values:
                local = f.bind(name)
                f.stmt(f"{local} = _called({value})")
            f.emit_nodelist(self.nodelist)
        with f.block("finally"):
            f.stmt("ctx.dicts.pop()")


def autoescape(parser: Any, token: Any) -> Node:
    """Turn autoescaping on or off for the enclosed block."""
    args = token.contents.split()
    if len(args) != 2:
        raise TemplateSyntaxError("'autoescape' tag requires exactly one argument.")
    arg = args[1]
    if arg not in ("on", "off"):
        raise TemplateSyntaxError("'autoescape' argument should be 'on' or 'off'")
    nodelist = parser.parse(("endautoescape",))
    parser.delete_first_token()
    return AutoEscapeControlNode(arg == "on", nodelist)


def do_filter(parser: Any, token: Any) -> Node:
    """Filter the enclosed block through filters."""
    _, rest = token.contents.split(None, 1)
    filter_expr = parser.compile_filter(f"var|{rest}")
    for func, _unused in filter_expr.filters:
        filter_name = getattr(func, "_filter_name", None)
        if filter_name in ("escape", "safe"):
            raise TemplateSyntaxError(
                f'"filter {filter_name}" is not permitted.  Use the "autoescape" '
                "tag instead."
            )
    nodelist = parser.parse(("endfilter",))
    parser.delete_first_token()
    return FilterNode(filter_expr, nodelist)


def firstof(parser: Any, token: Any) -> Node:
    """Output the first argument that is true."""
    bits = token.split_contents()[1:]
    asvar = None
    if not bits:
        raise TemplateSyntaxError("'firstof' statement requires at least one argument")
    if len(bits) >= 2 and bits[-2] == "as":
        asvar = bits[-1]
        bits = bits[:-2]
    return FirstOfNode([parser.compile_filter(bit) for bit in bits], asvar)


def do_if(parser: Any, token: Any) -> Node:
    """Conditionally output a block, with elif and else."""
    bits = token.split_contents()[1:]
    condition = IfParser(parser, bits).parse()
    nodelist = parser.parse(("elif", "else", "endif"))
    conditions_nodelists: list[tuple[Condition | None, NodeList]] = [
        (condition, nodelist)
    ]
    token = parser.next_token()
    while token.contents.startswith("elif"):
        bits = token.split_contents()[1:]
        condition = IfParser(parser, bits).parse()
        nodelist = parser.parse(("elif", "else", "endif"))
        conditions_nodelists.append((condition, nodelist))
        token = parser.next_token()
    if token.contents == "else":
        nodelist = parser.parse(("endif",))
        conditions_nodelists.append((None, nodelist))
        token = parser.next_token()
    if token.contents != "endif":
        raise TemplateSyntaxError(
            f'Malformed template tag at line {token.lineno}: "{token.contents}"'
        )
    return IfNode(conditions_nodelists)


def spaceless(parser: Any, token: Any) -> Node:
    """Remove whitespace between HTML tags."""
    nodelist = parser.parse(("endspaceless",))
    parser.delete_first_token()
    return SpacelessNode(nodelist)


def do_with(parser: Any, token: Any) -> Node:
    """Bind values to names for the enclosed block."""
    from manouche.template._dtl.expressions import token_kwargs

    bits = token.split_contents()
    remaining_bits = bits[1:]
    extra_context = token_kwargs(remaining_bits, parser, support_legacy=True)
    if not extra_context:
        raise TemplateSyntaxError(
            f"{bits[0]!r} expected at least one variable assignment"
        )
    if remaining_bits:
        raise TemplateSyntaxError(
            f"{bits[0]!r} received an invalid token: {remaining_bits[0]!r}"
        )
    nodelist = parser.parse(("endwith",))
    parser.delete_first_token()
    return WithNode(None, None, nodelist, extra_context=extra_context)
