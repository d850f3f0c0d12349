"""Inheritance and inclusion: ``{% block %}``, ``{% extends %}``, ``{% include %}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.template._dtl.expressions import FilterExpression, token_kwargs
from manouche.template._dtl.nodes import Node, NodeList, TextNode
from manouche.template._dtl.runtime import BLOCK_CONTEXT_KEY, BlockContext
from manouche.template.base import _PLAIN_RENDER, Template, _attach_template_debug
from manouche.template.exceptions import TemplateSyntaxError
from manouche.template.library import Library

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = [
    "BLOCK_CONTEXT_KEY",
    "BlockContext",
    "BlockNode",
    "ExtendsNode",
    "IncludeNode",
    "register",
]

register = Library()
_plain_render = _PLAIN_RENDER


class ExtendsError(Exception):
    """Raised for invalid inheritance."""


class BlockNode(Node):
    """``{% block name %}``: a section a child template may override."""

    compiled = True
    reads_context = True

    def __init__(self, name: str, nodelist: NodeList, parent: Any = None) -> None:
        self.name = name
        self.nodelist = nodelist
        self.parent = parent

    def __repr__(self) -> str:
        return f"<Block Node: {self.name}. Contents: {self.nodelist!r}>"

    def emit(self, f: FunctionBuilder) -> None:
        """Render the most derived version of the block."""
        function = f.gen.block_function(self)
        f.output(f"_render_block(ctx, {self.name!r}, {function})", pure=False)


class ExtendsNode(Node):
    """``{% extends "base.html" %}``: render the parent with our blocks."""

    must_be_first = True
    compiled = True
    reads_context = True
    context_key = "extends_context"

    def __init__(
        self,
        nodelist: NodeList,
        parent_name: FilterExpression,
        template_dirs: Any = None,
    ) -> None:
        self.nodelist = nodelist
        self.parent_name = parent_name
        self.template_dirs = template_dirs
        self.blocks = {n.name: n for n in nodelist.get_nodes_by_type(BlockNode)}
        # (engine, name, parent, cached loader's dict) of the last lookup.
        self._found: tuple[Any, str, Any, dict[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: extends {self.parent_name.token}>"

    def expressions(self) -> list[FilterExpression]:
        """The parent name."""
        return [self.parent_name]

    def emit(self, f: FunctionBuilder) -> None:
        """Emit a call rendering the parent with this template's blocks."""
        names = {name: f.gen.block_function(node) for name, node in self.blocks.items()}
        blocks = "{" + ", ".join(f"{k!r}: {v}" for k, v in names.items()) + "}"
        parent = f.value(self.parent_name)
        f.output(
            f"{f.gen.const(self)}.render_parent(ctx, {parent}, {blocks})", pure=False
        )

    def find_template(self, template_name: str, context: Any) -> Any:
        """Find the parent, skipping origins already in the chain.

        The first ``extends`` of a render skips only its own origin; when that
        origin has another name, the cached loader keys the parent by name
        alone, so the parent found last time is reused for as long as the
        cached loader still holds it.
        """
        layer = context.render_context.dicts[-1]
        history = layer.get(self.context_key)
        engine = context.template.engine
        if history is None:
            history = layer[self.context_key] = [self.origin]
            found = self._found
            if (
                found is not None
                and found[0] is engine
                and found[1] == template_name
                and found[3].get(template_name) is found[2]
            ):
                parent: Any = found[2]
                history.append(parent.origin)
                return parent
            template, origin = engine.find_template(template_name, skip=history)
            history.append(origin)
            self._remember(engine, template_name, template)
            return template
        template, origin = engine.find_template(template_name, skip=history)
        history.append(origin)
        return template

    def _remember(self, engine: Any, name: str, template: Any) -> None:
        from manouche.template.loaders.cached import Loader as CachedLoader

        if getattr(self.origin, "template_name", None) == name:
            return
        loaders = engine.template_loaders
        if loaders and isinstance(loaders[0], CachedLoader):
            cache = loaders[0].get_template_cache
            if cache.get(name) is template:
                self._found = (engine, name, template, cache)

    def get_parent(self, context: Any, parent: Any) -> Any:
        """Return the parent Template for a name, Template or backend template."""
        if not parent:
            error_msg = f"Invalid template name in 'extends' tag: {parent!r}."
            if self.parent_name.filters or self.parent_name.is_var:
                error_msg += f" Got this from the '{self.parent_name.token}' variable."
            raise TemplateSyntaxError(error_msg)
        if hasattr(parent, "_render"):
            return parent
        if hasattr(getattr(parent, "template", None), "_render"):
            return parent.template
        return self.find_template(parent, context)

    def render_parent(self, context: Any, parent: Any, blocks: dict[str, Any]) -> str:
        """Register the blocks and render the parent in the same state."""
        compiled_parent = self.get_parent(context, parent)
        render_context = context.render_context
        block_context = render_context.get(BLOCK_CONTEXT_KEY)
        if block_context is None:
            block_context = render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context.add_blocks(blocks)
        if not getattr(compiled_parent, "extends", False):
            block_context.add_blocks(getattr(compiled_parent, "blocks", {}))
        initial = render_context.template
        render_context.template = compiled_parent
        try:
            return compiled_parent._render(context)  # type: ignore[no-any-return]
        finally:
            render_context.template = initial


class IncludeNode(Node):
    """``{% include name [with a=b] [only] %}``.

    Compiled: the generated code calls ``render_included``, which renders a
    plain ``Template`` through its ``_render`` without the wrapping done by
    ``Template.render`` (the context is already bound). A constant name
    remembers the template it found while the engine's cached loader still
    holds that very template, so the engine is not searched on every render.
    """

    child_nodelists = ()
    context_key = "__include_context"
    compiled = True
    reads_context = True

    def __init__(
        self,
        template: FilterExpression,
        *args: Any,
        extra_context: dict[str, FilterExpression] | None = None,
        isolated_context: bool = False,
        **kwargs: Any,
    ) -> None:
        self.template = template
        self.extra_context = extra_context or {}
        self.isolated_context = isolated_context
        # (engine, template, cached loader's dict) of the last constant lookup.
        self._found: tuple[Any, Any, dict[str, Any]] | None = None
        self._constant_name: str | None = None
        var = getattr(template, "var", None)
        if (
            var is not None
            and not template.filters
            and var.lookups is None
            and isinstance(var.literal, str)
            and not var.translate
        ):
            self._constant_name = str(var.literal)
        super().__init__()

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: template={self.template!r}>"

    def emit(self, f: FunctionBuilder) -> None:
        """Emit a call to ``render_included``; then refresh bound locals."""
        f.output(f"{f.gen.const(self)}.render_included(ctx)", pure=False)
        f.refresh_locals()

    def expressions(self) -> list[FilterExpression]:
        """The template name and the ``with`` values."""
        return [self.template, *self.extra_context.values()]

    def get_template(self, context: Any) -> Any:
        """Resolve the name and find the template, as ``render`` does."""
        name = self._constant_name
        if name is not None:
            found = self._found
            if (
                found is not None
                and found[0] is context.template.engine
                and found[2].get(name) is found[1]
            ):
                return found[1]
            template: Any = name
        else:
            template = self.template.resolve(context)
        if not callable(getattr(template, "render", None)):
            template_name: Any = template or ()
            if isinstance(template_name, str):
                template_name = (template_name,)
            else:
                template_name = tuple(template_name)
            cache = context.render_context.dicts[0].setdefault(self, {})
            template = cache.get(template_name)
            if template is None:
                engine = context.template.engine
                template = engine.select_template(template_name)
                cache[template_name] = template
                if name is not None:
                    self._remember(engine, name, template)
        elif hasattr(template, "template"):
            template = template.template
        return template

    def _remember(self, engine: Any, name: str, template: Any) -> None:
        from manouche.template.loaders.cached import Loader as CachedLoader

        loaders = engine.template_loaders
        if loaders and isinstance(loaders[0], CachedLoader):
            cache = loaders[0].get_template_cache
            if cache.get(name) is template:
                self._found = (engine, template, cache)

    def render(self, context: Any) -> Any:
        """Render the included template in the current (or a new) context."""
        return self._render_template(self.get_template(context), context)

    def _render_template(self, template: Any, context: Any) -> Any:
        values = {
            name: var.resolve(context) for name, var in self.extra_context.items()
        }
        if self.isolated_context:
            return template.render(context.new(values))
        with context.push(**values):
            return template.render(context)

    def render_included(self, context: Any) -> str:
        """``render`` for the generated code: same output, less overhead."""
        template = self.get_template(context)
        if (
            self.isolated_context
            or type(template) is not Template
            or context.template is None
        ):
            return str(self._render_template(template, context))
        extra = self.extra_context
        values = (
            {name: var.resolve(context) for name, var in extra.items()} if extra else {}
        )
        dicts = context.dicts
        dicts.append(values)
        render_context = context.render_context
        initial = render_context.template
        render_context.template = template
        render_context.dicts.append({})
        try:
            rendered: str
            if Template._render is _plain_render:
                rendered = template._root(context)
            else:
                # The test instrumentation patched it: announce the render.
                rendered = template._render(context)
            return rendered
        except Exception as exc:
            if template.engine.debug:
                _attach_template_debug(exc)
            raise
        finally:
            render_context.template = initial
            render_context.dicts.pop()
            dicts.pop()


@register.tag("block")
def do_block(parser: Any, token: Any) -> Node:
    """Define a block that child templates can override."""
    bits = token.contents.split()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' tag takes only one argument")
    block_name = bits[1]
    loaded: set[str] = parser.extra_data.setdefault("__loaded_blocks", set())
    if block_name in loaded:
        raise TemplateSyntaxError(
            f"'{bits[0]}' tag with name '{block_name}' appears more than once"
        )
    loaded.add(block_name)
    nodelist = parser.parse(("endblock",))
    endblock = parser.next_token()
    acceptable_endblocks = ("endblock", f"endblock {block_name}")
    if endblock.contents not in acceptable_endblocks:
        parser.invalid_block_tag(endblock, "endblock", acceptable_endblocks)
    return BlockNode(block_name, nodelist)


def construct_relative_path(
    current_template_name: str | None, relative_name: str, allow_recursion: bool = False
) -> str:
    """Resolve ``"./x.html"`` / ``"../x.html"`` against the current template."""
    import posixpath

    new_name = relative_name.strip("'\"")
    if not new_name.startswith(("./", "../")):
        return relative_name
    if current_template_name is None:
        raise TemplateSyntaxError(
            f"The relative path {relative_name} cannot be evaluated due to an "
            "unknown template origin."
        )
    new_name = posixpath.normpath(
        posixpath.join(posixpath.dirname(current_template_name.lstrip("/")), new_name)
    )
    if new_name.startswith("../"):
        raise TemplateSyntaxError(
            f"The relative path '{relative_name}' points outside the file "
            f"hierarchy that template '{current_template_name}' is in."
        )
    if not allow_recursion and current_template_name.lstrip("/") == new_name:
        raise TemplateSyntaxError(
            f"The relative path '{relative_name}' was translated to template name "
            f"'{current_template_name}', the same template in which the tag appears."
        )
    has_quotes = (
        relative_name.startswith(('"', "'")) and relative_name[0] == relative_name[-1]
    )
    return f'"{new_name}"' if has_quotes else new_name


@register.tag("extends")
def do_extends(parser: Any, token: Any) -> Node:
    """Make this template a child of another."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise TemplateSyntaxError(f"'{bits[0]}' takes one argument")
    bits[1] = construct_relative_path(
        getattr(parser.origin, "template_name", None), bits[1]
    )
    parent_name = parser.compile_filter(bits[1])
    nodelist = parser.parse()
    if nodelist.get_nodes_by_type(ExtendsNode):
        raise TemplateSyntaxError(
            f"'{bits[0]}' cannot appear more than once in the same template"
        )
    return ExtendsNode(nodelist, parent_name)


@register.tag("include")
def do_include(parser: Any, token: Any) -> Node:
    """Render another template here."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise TemplateSyntaxError(
            f"{bits[0]!r} tag takes at least one argument: the name of the "
            "template to be included."
        )
    options: dict[str, Any] = {}
    remaining_bits = bits[2:]
    while remaining_bits:
        option = remaining_bits.pop(0)
        if option in options:
            raise TemplateSyntaxError(
                f"The {option!r} option was specified more than once."
            )
        if option == "with":
            value: Any = token_kwargs(remaining_bits, parser, support_legacy=False)
            if not value:
                raise TemplateSyntaxError(
                    f'"with" in {bits[0]!r} tag needs at least one keyword argument.'
                )
        elif option == "only":
            value = True
        else:
            raise TemplateSyntaxError(
                f"Unknown argument for {bits[0]!r} tag: {option!r}."
            )
        options[option] = value
    isolated_context = options.get("only", False)
    namemap = options.get("with", {})
    bits[1] = construct_relative_path(
        getattr(parser.origin, "template_name", None), bits[1], allow_recursion=True
    )
    return IncludeNode(
        parser.compile_filter(bits[1]),
        extra_context=namemap,
        isolated_context=isolated_context,
    )


__all__ += ["ExtendsError", "TextNode", "construct_relative_path"]
