"""Inheritance and inclusion: ``{% block %}``, ``{% extends %}``, ``{% include %}``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.template._dtl.expressions import FilterExpression, token_kwargs
from manouche.template._dtl.nodes import Node, NodeList, TextNode
from manouche.template._dtl.runtime import BLOCK_CONTEXT_KEY, BlockContext
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
        """Find the parent, skipping origins already in the chain."""
        history = context.render_context.setdefault(self.context_key, [self.origin])
        template, origin = context.template.engine.find_template(
            template_name, skip=history
        )
        history.append(origin)
        return template

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
    """``{% include name [with a=b] [only] %}``."""

    child_nodelists = ()
    context_key = "__include_context"

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
        super().__init__()

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__}: template={self.template!r}>"

    def render(self, context: Any) -> Any:
        """Render the included template in the current (or a new) context."""
        template = self.template.resolve(context)
        if not callable(getattr(template, "render", None)):
            template_name = template or ()
            if isinstance(template_name, str):
                template_name = (template_name,)
            else:
                template_name = tuple(template_name)
            cache = context.render_context.dicts[0].setdefault(self, {})
            template = cache.get(template_name)
            if template is None:
                template = context.template.engine.select_template(template_name)
                cache[template_name] = template
        elif hasattr(template, "template"):
            template = template.template
        values = {
            name: var.resolve(context) for name, var in self.extra_context.items()
        }
        if self.isolated_context:
            return template.render(context.new(values))
        with context.push(**values):
            return template.render(context)


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
