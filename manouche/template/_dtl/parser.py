"""Turn tokens into a node tree, calling each tag's compile function."""

from __future__ import annotations

from typing import Any

from manouche.template._dtl.expressions import FilterExpression
from manouche.template._dtl.lexer import Token, TokenType
from manouche.template._dtl.nodes import Node, NodeList, TextNode, VariableNode
from manouche.template.exceptions import TemplateSyntaxError

__all__ = ["Parser"]


class Parser:
    """The parser handed to tag compile functions.

    A block tag with its own end tag parses its body with
    ``nodelist = parser.parse(("endfoo",))`` and then drops the end tag with
    ``parser.delete_first_token()``.
    """

    def __init__(
        self,
        tokens: list[Token],
        libraries: dict[str, Any] | None = None,
        builtins: list[Any] | None = None,
        origin: Any = None,
        engine: Any = None,
    ) -> None:
        self.tokens = list(reversed(tokens))
        self.tags: dict[str, Any] = {}
        self.filters: dict[str, Any] = {}
        self.command_stack: list[tuple[str, Token]] = []
        self.libraries = libraries if libraries is not None else {}
        for builtin in builtins or ():
            self.add_library(builtin)
        self.origin = origin
        self.engine = engine
        self.extra_data: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__qualname__} tokens={self.tokens!r}>"

    def parse(self, parse_until: tuple[str, ...] | list[str] | None = None) -> NodeList:
        """Parse until one of the ``parse_until`` block tags (left unconsumed)."""
        if parse_until is None:
            parse_until = ()
        nodelist = NodeList()
        nodelist.engine = self.engine
        while self.tokens:
            token = self.next_token()
            token_type = token.token_type
            if token_type is TokenType.TEXT:
                self.extend_nodelist(nodelist, TextNode(token.contents), token)
            elif token_type is TokenType.VAR:
                if not token.contents:
                    raise self.error(
                        token, f"Empty variable tag on line {token.lineno}"
                    )
                try:
                    filter_expression = self.compile_filter(token.contents)
                except TemplateSyntaxError as exc:
                    raise self.error(token, exc) from None
                self.extend_nodelist(nodelist, VariableNode(filter_expression), token)
            elif token_type is TokenType.BLOCK:
                try:
                    command = token.contents.split()[0]
                except IndexError:
                    raise self.error(
                        token, f"Empty block tag on line {token.lineno}"
                    ) from None
                if command in parse_until:
                    self.prepend_token(token)
                    return nodelist
                self.command_stack.append((command, token))
                try:
                    compile_func = self.tags[command]
                except KeyError:
                    self.invalid_block_tag(token, command, parse_until)
                try:
                    compiled_result = compile_func(self, token)
                except Exception as exc:
                    raise self.error(token, exc) from None
                self.extend_nodelist(nodelist, compiled_result, token)
                self.command_stack.pop()
        if parse_until:
            self.unclosed_block_tag(parse_until)
        return nodelist

    def skip_past(self, endtag: str) -> None:
        """Discard tokens up to and including the block tag ``endtag``."""
        while self.tokens:
            token = self.next_token()
            if token.token_type is TokenType.BLOCK and token.contents == endtag:
                return
        self.unclosed_block_tag([endtag])

    def extend_nodelist(self, nodelist: NodeList, node: Node, token: Token) -> None:
        """Append ``node``, enforcing tags that must come first."""
        if node.must_be_first and nodelist.contains_nontext:
            raise self.error(token, f"{node!r} must be the first tag in the template.")
        if not isinstance(node, TextNode):
            nodelist.contains_nontext = True
        node.token = token
        node.origin = self.origin
        nodelist.append(node)

    def error(self, token: Token, e: Exception | str) -> Exception:
        """Return an exception tied to ``token`` (for debug information)."""
        if not isinstance(e, Exception):
            e = TemplateSyntaxError(e)
        if not hasattr(e, "token"):
            e.token = token  # type: ignore[attr-defined]
        return e

    def invalid_block_tag(
        self, token: Token, command: str, parse_until: Any = None
    ) -> None:
        """Raise the error for an unknown or unexpected block tag."""
        if parse_until:
            expected = " or ".join(f"'{p}'" for p in parse_until)
            if len(parse_until) > 2:
                expected = ", ".join(f"'{p}'" for p in parse_until[:-1])
                expected += f" or '{parse_until[-1]}'"
            raise self.error(
                token,
                f"Invalid block tag on line {token.lineno}: '{command}', expected "
                f"{expected}. Did you forget to register or load this tag?",
            )
        raise self.error(
            token,
            f"Invalid block tag on line {token.lineno}: '{command}'. Did you "
            "forget to register or load this tag?",
        )

    def unclosed_block_tag(self, parse_until: Any) -> None:
        """Raise the error for a block tag whose end tag never came."""
        command, token = self.command_stack.pop()
        msg = (
            f"Unclosed tag on line {token.lineno}: '{command}'. Looking for one "
            f"of: {', '.join(parse_until)}."
        )
        raise self.error(token, msg)

    def next_token(self) -> Token:
        """Take the next token."""
        return self.tokens.pop()

    def prepend_token(self, token: Token) -> None:
        """Put a token back."""
        self.tokens.append(token)

    def delete_first_token(self) -> None:
        """Drop the next token (usually the end tag just reached)."""
        del self.tokens[-1]

    def add_library(self, lib: Any) -> None:
        """Make a library's tags and filters available."""
        self.tags.update(lib.tags)
        self.filters.update(lib.filters)

    def compile_filter(self, token: str) -> FilterExpression:
        """Parse a filter expression."""
        return FilterExpression(token, self)

    def find_filter(self, filter_name: str) -> Any:
        """Return the filter function called ``filter_name``."""
        if filter_name in self.filters:
            return self.filters[filter_name]
        raise TemplateSyntaxError(f"Invalid filter: '{filter_name}'")
