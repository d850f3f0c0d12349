"""Nodes of a parsed template and the lists that hold them.

Built-in nodes emit Python source (``emit``); a node written by a user only
implements ``render(context)`` and is called from the generated code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from manouche.utils.safestring import SafeString

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder
    from manouche.template._dtl.expressions import FilterExpression

__all__ = ["Node", "NodeList", "TextNode", "VariableNode"]


class Node:
    """A piece of a template. Subclass it and implement ``render(context)``."""

    must_be_first = False
    child_nodelists: tuple[str, ...] = ("nodelist",)
    token: Any = None
    origin: Any = None
    # Built-in nodes set this: they emit code and read no state they don't name.
    compiled = False
    _render_function: Any = None

    def render(self, context: Any) -> Any:
        """Return the node rendered as a string."""
        if not self.compiled:
            raise NotImplementedError(
                "subclasses of Node must provide a render() method"
            )
        function = self._render_function
        if function is None:
            from manouche.template._dtl.codegen import compile_function

            engine = getattr(getattr(context, "template", None), "engine", None)
            function = compile_function(NodeList([self]), engine)
            self._render_function = function
        return SafeString(function(context))

    def render_annotated(self, context: Any) -> Any:
        """Render, attaching template debug information to any exception.

        The information is attached here only when the template being rendered
        is the one this node comes from; otherwise ``Template.render`` finds
        the node's place from the traceback of the generated code.
        """
        try:
            return self.render(context)
        except Exception as exc:
            template = getattr(context.render_context, "template", None)
            engine = getattr(template, "engine", None)
            if (
                getattr(engine, "debug", False)
                and not hasattr(exc, "template_debug")
                and self.token is not None
                and template is not None
                and getattr(template, "origin", None) == self.origin
            ):
                from manouche.template._dtl.lexer import token_debug

                info = token_debug(template.source, self.token, self.origin.name)
                info["message"] = str(exc)
                # Django's debug page reads this attribute off any exception.
                exc.template_debug = info  # type: ignore[attr-defined]
            raise

    def emit(self, f: FunctionBuilder) -> None:
        """Emit code calling this node's ``render``, then refresh bound locals."""
        name = f.gen.const(self)
        f.output(f"_str({name}.render_annotated(ctx))", pure=False)
        f.refresh_locals()

    def expressions(self) -> list[FilterExpression]:
        """The filter expressions this node evaluates (for compile-time scans)."""
        return []

    def __iter__(self) -> Iterator[Node]:
        yield self

    def get_nodes_by_type(self, nodetype: type) -> list[Any]:
        """Return this node and every child node that is a ``nodetype``."""
        nodes = []
        if isinstance(self, nodetype):
            nodes.append(self)
        for attr in self.child_nodelists:
            nodelist = getattr(self, attr, None)
            if nodelist:
                nodes.extend(nodelist.get_nodes_by_type(nodetype))
        return nodes

    def child_nodes(self) -> Iterator[Node]:
        """Yield the nodes of every child node list."""
        for attr in self.child_nodelists:
            nodelist = getattr(self, attr, None)
            if nodelist:
                yield from nodelist


class NodeList(list[Any]):
    """A list of nodes; rendering compiles it once into a Python function."""

    contains_nontext = False
    engine: Any = None
    _function: Any = None

    def render(self, context: Any) -> SafeString:
        """Render every node and join the output (marked safe)."""
        function = self._function
        if function is None:
            from manouche.template._dtl.codegen import compile_function

            engine = self.engine
            if engine is None:
                engine = getattr(getattr(context, "template", None), "engine", None)
            function = self._function = compile_function(self, engine)
        return SafeString(function(context))

    def get_nodes_by_type(self, nodetype: type) -> list[Any]:
        """Return every node of ``nodetype`` in the list, recursively."""
        nodes = []
        for node in self:
            nodes.extend(node.get_nodes_by_type(nodetype))
        return nodes


class TextNode(Node):
    """Literal text."""

    child_nodelists = ()
    compiled = True

    def __init__(self, s: str) -> None:
        self.s = s

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: {self.s[:25]!r}>"

    def render(self, context: Any) -> Any:
        """Return the text."""
        return self.s

    def emit(self, f: FunctionBuilder) -> None:
        """Output the text as a constant."""
        f.text(self.s)


class VariableNode(Node):
    """``{{ expression }}``: a value, filtered, localised and escaped."""

    child_nodelists = ()
    compiled = True

    def __init__(self, filter_expression: FilterExpression) -> None:
        self.filter_expression = filter_expression

    def __repr__(self) -> str:
        return f"<Variable Node: {self.filter_expression}>"

    def expressions(self) -> list[FilterExpression]:
        """The expression output by this node."""
        return [self.filter_expression]

    def emit(self, f: FunctionBuilder) -> None:
        """Resolve, filter and output the value."""
        value = f.value(self.filter_expression)
        f.output(f"{f.escape_function()}({value})")


def walk(nodelist: Any) -> Iterator[Node]:
    """Yield every node in ``nodelist`` and below, depth first."""
    for node in nodelist:
        yield node
        yield from walk(node.child_nodes())


def is_opaque(node: Node) -> bool:
    """True for nodes whose code reads the context in ways we cannot see."""
    return not node.compiled or bool(getattr(node, "reads_context", False))
