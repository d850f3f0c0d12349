"""The built-in tags of the Django template language.

Hot tags (for, if, with, autoescape) emit Python code; the rest are nodes with
a ``render`` method that the generated code calls.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple

from manouche.template._dtl.expressions import (
    FilterExpression,
    VariableDoesNotExist,
    kwarg_re,
)
from manouche.template._dtl.ifparser import Condition, IfParser
from manouche.template._dtl.nodes import Node, NodeList, TextNode, is_opaque, walk
from manouche.template.base import PartialTemplate
from manouche.template.exceptions import TemplateSyntaxError
from manouche.template.library import Library
from manouche.utils.html import conditional_escape, format_html

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = ["register"]

register = Library()


def _expressions_in(nodelist: Any) -> list[FilterExpression]:
    found: list[FilterExpression] = []
    for node in walk(nodelist):
        found.extend(node.expressions())
    return found


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


class CommentNode(Node):
    """``{% comment %}``: renders nothing."""

    child_nodelists = ()
    compiled = True

    def emit(self, f: FunctionBuilder) -> None:
        """Emit nothing."""

    def render(self, context: Any) -> str:
        """Render nothing."""
        return ""


class LoadNode(CommentNode):
    """``{% load %}``: acts at parse time only."""


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


class CycleNode(Node):
    """``{% cycle a b c [as name [silent]] %}``."""

    child_nodelists = ()

    def __init__(
        self,
        cyclevars: list[FilterExpression],
        variable_name: str | None = None,
        silent: bool = False,
    ) -> None:
        self.cyclevars = cyclevars
        self.variable_name = variable_name
        self.silent = silent

    def render(self, context: Any) -> Any:
        """Return the next value of the cycle."""
        if self not in context.render_context:
            context.render_context[self] = itertools.cycle(self.cyclevars)
        cycle_iter = context.render_context[self]
        value = next(cycle_iter).resolve(context)
        if self.variable_name:
            context.set_upward(self.variable_name, value)
        if self.silent:
            return ""
        from manouche.template.base import render_value_in_context

        return render_value_in_context(value, context)

    def reset(self, context: Any) -> None:
        """Start the cycle again."""
        context.render_context[self] = itertools.cycle(self.cyclevars)


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


class ForNode(Node):
    """``{% for x in seq [reversed] %}...{% empty %}...{% endfor %}``."""

    child_nodelists = ("nodelist_loop", "nodelist_empty")
    compiled = True

    def __init__(
        self,
        loopvars: list[str],
        sequence: FilterExpression,
        is_reversed: bool,
        nodelist_loop: NodeList,
        nodelist_empty: NodeList | None = None,
    ) -> None:
        self.loopvars = loopvars
        self.sequence = sequence
        self.is_reversed = is_reversed
        self.nodelist_loop = nodelist_loop
        self.nodelist_empty = (
            nodelist_empty if nodelist_empty is not None else NodeList()
        )

    def __repr__(self) -> str:
        reversed_text = " reversed" if self.is_reversed else ""
        return (
            f"<{type(self).__qualname__}: for {', '.join(self.loopvars)} in "
            f"{self.sequence}, tail_len: {len(self.nodelist_loop)}{reversed_text}>"
        )

    def expressions(self) -> list[FilterExpression]:
        """The sequence expression."""
        return [self.sequence]

    def _needs_forloop_dict(self) -> bool:
        for node in walk(self.nodelist_loop):
            if is_opaque(node):
                return True
        fast = {"counter", "counter0", "revcounter", "revcounter0", "first", "last"}
        for fexpr in _expressions_in(self.nodelist_loop):
            exprs = [fexpr.var] + [arg for _, args in fexpr.filters for arg in args]
            for var in exprs:
                lookups = var.lookups
                if (
                    lookups
                    and lookups[0] == "forloop"
                    and (len(lookups) == 1 or lookups[1] not in fast)
                ):
                    return True
        return False

    def emit(self, f: FunctionBuilder) -> None:
        """Emit a Python for loop keeping the context in step."""
        seq = f.value(self.sequence, ignore_failures=True)
        items = f.temp()
        f.stmt(
            f"{items} = {f.gen.const(_prepare_sequence)}({seq}, {self.is_reversed!r})"
        )
        with f.block(f"if {items}"):
            length, layer, index, item = f.temp(), f.temp(), f.temp(), f.temp()
            f.stmt(f"{length} = len({items})")
            f.stmt(f"{layer} = {{}}")
            f.stmt(f"ctx.dicts.append({layer})")
            forloop = None
            if self._needs_forloop_dict():
                forloop = f.temp()
                f.stmt(
                    f"{forloop} = {{'parentloop': {f.gen.const(_parent_loop)}(ctx)}}"
                )
                f.stmt(f"{layer}['forloop'] = {forloop}")
            with f.block("try"), f.block(f"for {index}, {item} in enumerate({items})"):
                if forloop is not None:
                    f.stmt(
                        f"{f.gen.const(_update_forloop)}({forloop}, {index}, {length})"
                    )
                with f.scope():
                    self._bind(f, layer, item)
                    f.loops.append({"counter0": index, "length": length})
                    f.emit_nodelist(self.nodelist_loop)
                    f.loops.pop()
            with f.block("finally"):
                f.stmt("ctx.dicts.pop()")
        if self.nodelist_empty:
            with f.block("else"):
                f.emit_nodelist(self.nodelist_empty)

    def _bind(self, f: FunctionBuilder, layer: str, item: str) -> None:
        if len(self.loopvars) == 1:
            name = self.loopvars[0]
            f.stmt(f"{layer}[{name!r}] = {item}")
            local = f.bind(name)
            f.stmt(f"{local} = _called({item}) if callable({item}) else {item}")
            return
        values = f.temp()
        unpack = f.gen.const(_unpack)
        f.stmt(f"{values} = {unpack}({item}, {len(self.loopvars)})")
        for position, name in enumerate(self.loopvars):
            local = f.bind(name)
            f.stmt(f"{layer}[{name!r}] = {values}[{position}]")
            f.stmt(f"{local} = _called({values}[{position}])")


def _prepare_sequence(values: Any, is_reversed: bool) -> Any:
    if values is None:
        return []
    if not hasattr(values, "__len__"):
        values = list(values)
    if is_reversed:
        values = reversed(values)
        return list(values)
    return values


def _parent_loop(context: Any) -> Any:
    return context.get("forloop", {})


def _update_forloop(forloop: dict[str, Any], index: int, length: int) -> None:
    forloop["counter0"] = index
    forloop["counter"] = index + 1
    forloop["revcounter"] = length - index
    forloop["revcounter0"] = length - index - 1
    forloop["first"] = index == 0
    forloop["last"] = index == length - 1


def _unpack(item: Any, count: int) -> Any:
    try:
        len_item = len(item)
    except TypeError:
        len_item = 1
    if len_item != count:
        raise ValueError(f"Need {count} values to unpack in for loop; got {len_item}. ")
    return list(item)


class IfChangedNode(Node):
    """``{% ifchanged [vars] %}...{% else %}...{% endifchanged %}``."""

    child_nodelists = ("nodelist_true", "nodelist_false")

    def __init__(
        self, nodelist_true: NodeList, nodelist_false: NodeList, *varlist: Any
    ) -> None:
        self.nodelist_true = nodelist_true
        self.nodelist_false = nodelist_false
        self._varlist = varlist

    def render(self, context: Any) -> Any:
        """Render when the watched values (or the output) changed."""
        state_frame = self._get_context_stack_frame(context)
        state_frame.setdefault(self)
        nodelist_true_output = None
        compare_to: Any
        if self._varlist:
            compare_to = [
                var.resolve(context, ignore_failures=True) for var in self._varlist
            ]
        else:
            nodelist_true_output = self.nodelist_true.render(context)
            compare_to = nodelist_true_output
        if compare_to != state_frame[self]:
            state_frame[self] = compare_to
            return nodelist_true_output or self.nodelist_true.render(context)
        if self.nodelist_false:
            return self.nodelist_false.render(context)
        return ""

    def _get_context_stack_frame(self, context: Any) -> Any:
        if "forloop" in context:
            return context["forloop"]
        return context.render_context


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


class ResetCycleNode(Node):
    """``{% resetcycle [name] %}``."""

    child_nodelists = ()

    def __init__(self, node: CycleNode) -> None:
        self.node = node

    def render(self, context: Any) -> str:
        """Reset the cycle."""
        self.node.reset(context)
        return ""


class _GroupedResult(NamedTuple):
    """One group of ``{% regroup %}``: the shared key and its items."""

    grouper: Any
    list: list[Any]


class RegroupNode(Node):
    """``{% regroup list by attr as name %}``."""

    child_nodelists = ()

    def __init__(
        self, target: FilterExpression, expression: FilterExpression, var_name: str
    ) -> None:
        self.target = target
        self.expression = expression
        self.var_name = var_name

    def resolve_expression(self, obj: Any, context: Any) -> Any:
        """Resolve the grouping expression with ``obj`` as the variable."""
        context[self.var_name] = obj
        return self.expression.resolve(context, ignore_failures=True)

    def render(self, context: Any) -> str:
        """Group consecutive items into ``(grouper, list)`` pairs."""

        obj_list = self.target.resolve(context, ignore_failures=True)
        if obj_list is None:
            context[self.var_name] = []
            return ""
        context[self.var_name] = [
            _GroupedResult(key, list(val))
            for key, val in groupby(
                obj_list, lambda obj: self.resolve_expression(obj, context)
            )
        ]
        return ""


class SpacelessNode(Node):
    """``{% spaceless %}``: drop whitespace between tags."""

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Any) -> str:
        """Render, then strip whitespace between tags."""
        from manouche.utils.html import strip_spaces_between_tags

        return strip_spaces_between_tags(self.nodelist.render(context).strip())


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


# -- compile functions --------------------------------------------------


@register.tag
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


@register.tag
def comment(parser: Any, token: Any) -> Node:
    """Ignore everything up to ``{% endcomment %}``."""
    parser.skip_past("endcomment")
    return CommentNode()


@register.tag
def cycle(parser: Any, token: Any) -> Node:
    """Cycle among values each time the tag is reached."""
    args = token.split_contents()
    if len(args) < 2:
        raise TemplateSyntaxError("'cycle' tag requires at least two arguments")
    if len(args) == 2:
        name = args[1]
        named = getattr(parser, "_named_cycle_nodes", {})
        if name not in named:
            raise TemplateSyntaxError(
                f"No named cycles in template. '{name}' is not defined"
            )
        return named[name]  # type: ignore[no-any-return]
    as_form = False
    if len(args) > 4:
        if args[-3] == "as":
            if args[-1] != "silent":
                raise TemplateSyntaxError(
                    "Only 'silent' flag is allowed after cycle's name, not "
                    f"'{args[-1]}'."
                )
            as_form = True
            silent = True
            args = args[:-1]
        elif args[-2] == "as":
            as_form = True
            silent = False
    if as_form:
        name = args[-1]
        values = [parser.compile_filter(arg) for arg in args[1:-2]]
        node = CycleNode(values, name, silent=silent)
        if not hasattr(parser, "_named_cycle_nodes"):
            parser._named_cycle_nodes = {}
        parser._named_cycle_nodes[name] = node
    else:
        values = [parser.compile_filter(arg) for arg in args[1:]]
        node = CycleNode(values)
    parser._last_cycle_node = node
    return node


@register.tag
def csrf_token(parser: Any, token: Any) -> Node:
    """Output the CSRF hidden input."""
    return CsrfTokenNode()


@register.tag
def debug(parser: Any, token: Any) -> Node:
    """Dump the context (when DEBUG)."""
    return DebugNode()


@register.tag("filter")
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


@register.tag
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


@register.tag("for")
def do_for(parser: Any, token: Any) -> Node:
    """Loop over a sequence, with forloop variables and an optional empty."""
    bits = token.split_contents()
    if len(bits) < 4:
        raise TemplateSyntaxError(
            f"'for' statements should have at least four words: {token.contents}"
        )
    is_reversed = bits[-1] == "reversed"
    in_index = -3 if is_reversed else -2
    if bits[in_index] != "in":
        raise TemplateSyntaxError(
            f"'for' statements should use the format 'for x in y': {token.contents}"
        )
    invalid_chars = frozenset((" ", '"', "'", "|"))
    loopvars = re.split(r" *, *", " ".join(bits[1:in_index]))
    for var in loopvars:
        if not var or not invalid_chars.isdisjoint(var):
            raise TemplateSyntaxError(
                f"'for' tag received an invalid argument: {token.contents}"
            )
    sequence = parser.compile_filter(bits[in_index + 1])
    nodelist_loop = parser.parse(("empty", "endfor"))
    token = parser.next_token()
    if token.contents == "empty":
        nodelist_empty = parser.parse(("endfor",))
        parser.delete_first_token()
    else:
        nodelist_empty = None
    return ForNode(loopvars, sequence, is_reversed, nodelist_loop, nodelist_empty)


@register.tag("if")
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


@register.tag
def ifchanged(parser: Any, token: Any) -> Node:
    """Output the block only when it (or the given values) changed."""
    bits = token.split_contents()
    nodelist_true = parser.parse(("else", "endifchanged"))
    token = parser.next_token()
    if token.contents == "else":
        nodelist_false = parser.parse(("endifchanged",))
        parser.delete_first_token()
    else:
        nodelist_false = NodeList()
    values = [parser.compile_filter(bit) for bit in bits[1:]]
    return IfChangedNode(nodelist_true, nodelist_false, *values)


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


@register.tag
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


@register.tag
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


@register.tag
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


@register.tag
def regroup(parser: Any, token: Any) -> Node:
    """Group a list of like objects by a common attribute."""
    bits = token.split_contents()
    if len(bits) != 6:
        raise TemplateSyntaxError("'regroup' tag takes five arguments")
    target = parser.compile_filter(bits[1])
    if bits[2] != "by":
        raise TemplateSyntaxError("second argument to 'regroup' tag must be 'by'")
    if bits[4] != "as":
        raise TemplateSyntaxError("next-to-last argument to 'regroup' tag must be 'as'")
    var_name = bits[5]
    expression = parser.compile_filter(var_name + "." + bits[3])
    return RegroupNode(target, expression, var_name)


@register.tag
def resetcycle(parser: Any, token: Any) -> Node:
    """Reset a cycle (the last one, or the named one)."""
    args = token.split_contents()
    if len(args) > 2:
        raise TemplateSyntaxError(f"{args[0]!r} tag accepts at most one argument.")
    if len(args) == 2:
        name = args[1]
        try:
            return ResetCycleNode(parser._named_cycle_nodes[name])
        except (AttributeError, KeyError):
            raise TemplateSyntaxError(f"Named cycle '{name}' does not exist.") from None
    try:
        return ResetCycleNode(parser._last_cycle_node)
    except AttributeError:
        raise TemplateSyntaxError("No cycles in template.") from None


@register.tag
def spaceless(parser: Any, token: Any) -> Node:
    """Remove whitespace between HTML tags."""
    nodelist = parser.parse(("endspaceless",))
    parser.delete_first_token()
    return SpacelessNode(nodelist)


@register.tag
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


@register.tag
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


@register.tag
def verbatim(parser: Any, token: Any) -> Node:
    """Output the enclosed text without interpreting it."""
    nodelist = parser.parse(("endverbatim",))
    parser.delete_first_token()
    return VerbatimNode(
        "".join(node.s for node in nodelist if isinstance(node, TextNode))
    )


@register.tag
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


@register.tag("with")
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


@register.tag
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


@register.tag
def partial(parser: Any, token: Any) -> Node:
    """Render a named fragment of this template."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError("'partial' tag requires a single argument")
    partials = parser.extra_data.setdefault("partials", {})
    return PartialNode(bits[1], partials, token)


@register.simple_tag(name="querystring", takes_context=True)
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
