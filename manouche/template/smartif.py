"""The ``{% if %}`` expression language as an evaluating parser.

The template compiler turns ``{% if %}`` conditions into Python source
(``manouche.template._dtl.ifparser``); this module is the public, evaluating
form of the same grammar for code that parses its own token lists: feed
``IfParser`` a list of values and operator strings, ``parse()`` it and call
``eval(context)`` on the result. Subclasses override ``create_var`` to turn
operands into objects with an ``eval(context)`` method.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

__all__ = [
    "OPERATORS",
    "EndToken",
    "IfParser",
    "Literal",
    "TokenBase",
    "infix",
    "prefix",
]


class TokenBase:
    """A token of the expression; operators subclass it through ``infix``."""

    id: str | None = None
    value: Any = None
    first: Any = None
    second: Any = None
    lbp = 0

    def nud(self, parser: IfParser) -> TokenBase:
        """Parse the token in prefix position."""
        raise parser.error_class(
            f"Not expecting '{self.id}' in this position in if tag."
        )

    def led(self, left: Any, parser: IfParser) -> TokenBase:
        """Parse the token in infix position, ``left`` being its left operand."""
        raise parser.error_class(
            f"Not expecting '{self.id}' as infix operator in if tag."
        )

    def eval(self, context: Any) -> Any:
        """Evaluate against ``context``."""
        raise NotImplementedError

    def display(self) -> str:
        """The operator as written in the template."""
        return str(self.id)

    def __repr__(self) -> str:
        parts = [self.id, self.first, self.second]
        return "(" + " ".join(str(part) for part in parts if part is not None) + ")"


def infix(bp: int, func: Callable[[Any, Any, Any], Any]) -> type[TokenBase]:
    """Make a binary operator class binding with power ``bp``.

    ``func(context, left, right)`` computes the value; exceptions make the
    operator evaluate to False, as in the template language.
    """

    class Operator(TokenBase):
        lbp = bp

        def led(self, left: Any, parser: IfParser) -> TokenBase:
            self.first = left
            self.second = parser.expression(bp)
            return self

        def eval(self, context: Any) -> Any:
            try:
                return func(context, self.first, self.second)
            except Exception:
                return False

    return Operator


def prefix(bp: int, func: Callable[[Any, Any], Any]) -> type[TokenBase]:
    """Make a unary prefix operator class binding with power ``bp``."""

    class Operator(TokenBase):
        lbp = bp

        def nud(self, parser: IfParser) -> TokenBase:
            self.first = parser.expression(bp)
            self.second = None
            return self

        def eval(self, context: Any) -> Any:
            try:
                return func(context, self.first)
            except Exception:
                return False

    return Operator


def _binary(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any, Any], Any]:
    def apply(context: Any, x: Any, y: Any) -> Any:
        return op(x.eval(context), y.eval(context))

    return apply


OPERATORS: dict[str, type[TokenBase]] = {
    "or": infix(6, lambda c, x, y: x.eval(c) or y.eval(c)),
    "and": infix(7, lambda c, x, y: x.eval(c) and y.eval(c)),
    "not": prefix(8, lambda c, x: not x.eval(c)),
    "in": infix(9, _binary(lambda x, y: x in y)),
    "not in": infix(9, _binary(lambda x, y: x not in y)),
    "is": infix(10, _binary(operator.is_)),
    "is not": infix(10, _binary(operator.is_not)),
    "==": infix(10, _binary(operator.eq)),
    "!=": infix(10, _binary(operator.ne)),
    ">": infix(10, _binary(operator.gt)),
    ">=": infix(10, _binary(operator.ge)),
    "<": infix(10, _binary(operator.lt)),
    "<=": infix(10, _binary(operator.le)),
}
for _key, _op in OPERATORS.items():
    _op.id = _key


class Literal(TokenBase):
    """An operand: a value, or a variable that resolves itself in ``eval``."""

    id = "literal"
    lbp = 0

    def __init__(self, value: Any) -> None:
        self.value = value

    def display(self) -> str:
        return repr(self.value)

    def nud(self, parser: IfParser) -> TokenBase:
        return self

    def eval(self, context: Any) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"({self.id} {self.value!r})"


class EndToken(TokenBase):
    """Marks the end of the token list."""

    lbp = 0

    def nud(self, parser: IfParser) -> TokenBase:
        raise parser.error_class("Unexpected end of expression in if tag.")


_END = EndToken()


class IfParser:
    """A Pratt parser over a list of operands and operator strings."""

    error_class: type[Exception] = ValueError

    def __init__(self, tokens: list[Any]) -> None:
        merged: list[TokenBase] = []
        i = 0
        count = len(tokens)
        while i < count:
            token = tokens[i]
            if token == "is" and i + 1 < count and tokens[i + 1] == "not":
                token = "is not"
                i += 1
            elif token == "not" and i + 1 < count and tokens[i + 1] == "in":
                token = "not in"
                i += 1
            merged.append(self.translate_token(token))
            i += 1
        self.tokens = merged
        self.pos = 0
        self.current_token = self.next_token()

    def translate_token(self, token: Any) -> TokenBase:
        """Turn an operator string into its operator, anything else into a var."""
        try:
            op = OPERATORS[token]
        except (KeyError, TypeError):
            return self.create_var(token)
        return op()

    def next_token(self) -> TokenBase:
        """Advance to the next token (``EndToken`` past the end)."""
        if self.pos >= len(self.tokens):
            return _END
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> TokenBase:
        """Parse the whole list; leftover tokens are an error."""
        result = self.expression()
        if self.current_token is not _END:
            raise self.error_class(
                f"Unused '{self.current_token.display()}' at end of if expression."
            )
        return result

    def expression(self, rbp: int = 0) -> TokenBase:
        """Parse an expression whose operators bind tighter than ``rbp``."""
        token = self.current_token
        self.current_token = self.next_token()
        left = token.nud(self)
        while rbp < self.current_token.lbp:
            token = self.current_token
            self.current_token = self.next_token()
            left = token.led(left, self)
        return left

    def create_var(self, value: Any) -> TokenBase:
        """Wrap an operand; override to resolve variables."""
        return Literal(value)
