"""Templates of the Django template language, compiled to Python functions.

A ``Template`` parses its source once into nodes, generates one Python
function per template (plus one per ``{% block %}`` and partial) and renders
by calling it. The parser, lexer and code generator live in ``_dtl``.
"""

from __future__ import annotations

from typing import Any

from manouche.template._dtl.codegen import LINES_KEY, TEMPLATE_KEY, CodeGen
from manouche.template._dtl.expressions import (
    FilterExpression,
    Variable,
    VariableDoesNotExist,
    token_kwargs,
)
from manouche.template._dtl.lexer import (
    DebugLexer,
    Lexer,
    Token,
    TokenType,
    token_debug,
)
from manouche.template._dtl.nodes import Node, NodeList, TextNode, VariableNode
from manouche.template._dtl.parser import Parser
from manouche.template._dtl.runtime import escape_out, plain_out
from manouche.template.context import Context
from manouche.template.exceptions import TemplateSyntaxError
from manouche.utils.safestring import SafeString

__all__ = [
    "UNKNOWN_SOURCE",
    "DebugLexer",
    "FilterExpression",
    "Lexer",
    "Node",
    "NodeList",
    "Origin",
    "Parser",
    "PartialTemplate",
    "Template",
    "TextNode",
    "Token",
    "TokenType",
    "Variable",
    "VariableDoesNotExist",
    "VariableNode",
    "render_value_in_context",
    "token_kwargs",
]

UNKNOWN_SOURCE = "<unknown source>"
_plain_bind = Context.bind_template


class Origin:
    """Where a template came from: its path (``name``) and the loader."""

    def __init__(
        self, name: str, template_name: str | None = None, loader: Any = None
    ) -> None:
        self.name = name
        self.template_name = template_name
        self.loader = loader

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} name={self.name!r}>"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Origin)
            and self.name == other.name
            and self.loader == other.loader
        )

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def loader_name(self) -> str | None:
        """Dotted path of the loader's class."""
        if self.loader:
            return f"{self.loader.__module__}.{type(self.loader).__name__}"
        return None


class Template:
    """A compiled template; ``render(context)`` calls its generated function."""

    def __init__(
        self,
        template_string: Any,
        origin: Origin | None = None,
        name: str | None = None,
        engine: Any = None,
    ) -> None:
        if engine is None:
            from manouche.template.engine import Engine

            engine = Engine.get_default()
        if origin is None:
            origin = Origin(UNKNOWN_SOURCE)
        self.name = name
        self.origin = origin
        self.engine = engine
        self.source = str(template_string)
        self.extra_data: dict[str, Any] = {}
        self.nodelist = self.compile_nodelist()
        self._compile()

    def __repr__(self) -> str:
        text = self.source[:20].replace("\n", "")
        return f'<{type(self).__qualname__} template_string="{text}...">'

    def __iter__(self) -> Any:
        for node in self.nodelist:
            yield from node

    def compile_nodelist(self) -> NodeList:
        """Parse the source into nodes, attaching debug info to syntax errors."""
        lexer = DebugLexer(self.source)
        tokens = lexer.tokenize()
        parser = Parser(
            tokens,
            self.engine.template_libraries,
            self.engine.template_builtins,
            self.origin,
            self.engine,
        )
        try:
            nodelist = parser.parse()
            self.extra_data = parser.extra_data
            return nodelist
        except Exception as exc:
            token = getattr(exc, "token", None)
            if token is not None and not hasattr(exc, "template_debug"):
                exc.template_debug = self.get_exception_info(exc, token)  # type: ignore[attr-defined]
            if isinstance(exc, TemplateSyntaxError) and token is not None:
                _name_template(exc, self.origin.name, token)
            raise

    def get_exception_info(self, exception: Exception, token: Token) -> dict[str, Any]:
        """Describe the failing token's place in the source (for debug pages)."""
        info = token_debug(self.source, token, self.origin.name)
        info["message"] = str(exception)
        return info

    def _compile(self) -> None:
        from manouche.template.loader_tags import BlockNode, ExtendsNode

        gen = CodeGen(self.engine, self.origin.name)
        gen.template = self
        gen.function("_root", self.nodelist)
        block_nodes = self.nodelist.get_nodes_by_type(BlockNode)
        names = {node.name: gen.block_function(node) for node in block_nodes}
        namespace = gen.build()
        self._root = namespace["_root"]
        self.blocks = {name: namespace[fname] for name, fname in names.items()}
        self.extends = bool(self.nodelist.get_nodes_by_type(ExtendsNode))
        self._source_code: str = namespace["__source__"]
        for partial in self.extra_data.get("partials", {}).values():
            partial.bind(self, namespace)

    def _render(self, context: Context) -> str:
        return self._root(context)  # type: ignore[no-any-return]

    def render(self, context: Context) -> SafeString:
        """Render with ``context``; the result is safe HTML."""
        render_context = context.render_context
        initial = render_context.template
        render_context.template = self
        render_context.dicts.append({})
        try:
            if context.template is None:
                if type(context).bind_template is not _plain_bind:
                    with context.bind_template(self):
                        context.template_name = self.name  # type: ignore[assignment]
                        return SafeString(self._render(context))
                # Context.bind_template, without a generator per render.
                context.template = self
                try:
                    context.template_name = self.name  # type: ignore[assignment]
                    return SafeString(self._render(context))
                finally:
                    context.template = None
            return SafeString(self._render(context))
        except Exception as exc:
            if self.engine.debug and not hasattr(exc, "template_debug"):
                _attach_template_debug(exc)
            raise
        finally:
            render_context.template = initial
            render_context.dicts.pop()


# The unpatched ``Template._render``, taken when this module loads, before the
# test instrumentation can replace it: ``{% include %}`` compares against it.
_PLAIN_RENDER = Template._render


class PartialTemplate:
    """A named ``{% partialdef %}`` of a template, renderable on its own."""

    def __init__(self, name: str, nodelist: NodeList, origin: Any) -> None:
        self.name = name
        self.nodelist = nodelist
        self.origin = origin
        self.function_name: str | None = None
        self.template: Template | None = None
        self._function: Any = None

    def bind(self, template: Template, namespace: dict[str, Any]) -> None:
        """Attach the compiled function once the template module is built."""
        self.template = template
        if self.function_name is not None:
            self._function = namespace[self.function_name]

    @property
    def engine(self) -> Any:
        """The engine of the template defining the partial."""
        return self.template.engine if self.template is not None else None

    @property
    def source(self) -> str:
        """The defining template's source."""
        return self.template.source if self.template is not None else ""

    def _render(self, context: Context) -> str:
        return self._function(context)  # type: ignore[no-any-return]

    def render(self, context: Context) -> SafeString:
        """Render the partial alone."""
        render_context = context.render_context
        initial = render_context.template
        render_context.template = self
        render_context.dicts.append({})
        try:
            if context.template is None:
                with context.bind_template(self):
                    return SafeString(self._render(context))
            return SafeString(self._render(context))
        except Exception as exc:
            if self.engine is not None and self.engine.debug:
                _attach_template_debug(exc)
            raise
        finally:
            render_context.template = initial
            render_context.dicts.pop()


def _name_template(exc: TemplateSyntaxError, name: str, token: Token) -> None:
    if getattr(exc, "_named", False):
        return
    exc._named = True  # type: ignore[attr-defined]
    where = f" (template '{name}', line {token.lineno}"
    source = {
        TokenType.BLOCK: "{%% %s %%}",
        TokenType.VAR: "{{ %s }}",
    }.get(token.token_type)
    if source is not None:
        where += f", in {source % token.contents!r}"
    message = str(exc.args[0]) if exc.args else ""
    exc.args = (message + where + ")", *exc.args[1:])


def _attach_template_debug(exc: BaseException) -> None:
    """Set ``exc.template_debug`` from the innermost template frame raising it.

    The generated code of each template carries a map from its line numbers
    to template tokens; the traceback says which generated line failed.
    """
    if hasattr(exc, "template_debug"):
        return
    tb = exc.__traceback__
    found: tuple[Any, Any] | None = None
    while tb is not None:
        namespace = tb.tb_frame.f_globals
        lines = namespace.get(LINES_KEY)
        template = namespace.get(TEMPLATE_KEY)
        if lines is not None and template is not None:
            token = lines.get(tb.tb_lineno)
            if token is not None:
                found = (template, token)
        tb = tb.tb_next
    if found is None:
        return
    template, token = found
    info = token_debug(template.source, token, template.origin.name)
    info["message"] = str(exc)
    # Django's debug page reads this attribute off any exception.
    exc.template_debug = info  # type: ignore[attr-defined]


def render_value_in_context(value: Any, context: Context) -> str:
    """Localise, stringify and (with autoescaping) escape ``value``."""
    if context.autoescape:
        return escape_out(value, context.use_tz, context.use_l10n)
    return plain_out(value, context.use_tz, context.use_l10n)
