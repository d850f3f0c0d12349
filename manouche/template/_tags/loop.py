"""Tags about iteration: ``for``, ``cycle``, ``resetcycle``, ``ifchanged``, ``regroup``.

``for`` is hot and emits Python code (its forloop helpers are passed in as
constants); the others are nodes keeping their state in the render context.
"""

from __future__ import annotations

import itertools
import re
from itertools import groupby
from typing import TYPE_CHECKING, Any, NamedTuple

from manouche.template._dtl.expressions import (
    FilterExpression,
)
from manouche.template._dtl.nodes import Node, NodeList, is_opaque, walk
from manouche.template.exceptions import TemplateSyntaxError

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = [
    "CycleNode",
    "ForNode",
    "IfChangedNode",
    "RegroupNode",
    "ResetCycleNode",
    "cycle",
    "do_for",
    "ifchanged",
    "regroup",
    "resetcycle",
]


def _expressions_in(nodelist: Any) -> list[FilterExpression]:
    found: list[FilterExpression] = []
    for node in walk(nodelist):
        found.extend(node.expressions())
    return found


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
