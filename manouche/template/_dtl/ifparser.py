"""Parse the ``{% if %}`` expression language into Python source.

Precedence, lowest first: or, and, not, then in / not in / is / is not /
comparisons. Comparisons that raise count as False, as in the DTL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.template.exceptions import TemplateSyntaxError

if TYPE_CHECKING:
    from manouche.template._dtl.codegen import FunctionBuilder

__all__ = ["Condition", "IfParser"]

_INFIX = {
    "or": 6,
    "and": 7,
    "in": 9,
    "not in": 9,
    "is": 10,
    "is not": 10,
    "==": 10,
    "!=": 10,
    ">": 10,
    ">=": 10,
    "<": 10,
    "<=": 10,
}
_COMPARISONS = {
    "==": "_op.eq",
    "!=": "_op.ne",
    ">": "_op.gt",
    ">=": "_op.ge",
    "<": "_op.lt",
    "<=": "_op.le",
}
_NOT_PRECEDENCE = 8
_END = object()


def _contains(left: Any, right: Any) -> bool:
    return left in right


def _not_contains(left: Any, right: Any) -> bool:
    return left not in right


class Condition:
    """A node of the parsed expression: an operator or a value."""

    def __init__(self, op: str | None, *args: Any) -> None:
        self.op = op
        self.args = args

    def expressions(self) -> list[Any]:
        """Every filter expression in the condition."""
        if self.op is None:
            return [self.args[0]]
        found = []
        for arg in self.args:
            found.extend(arg.expressions())
        return found

    def source(self, f: FunctionBuilder) -> str:
        """Python source evaluating the condition lazily."""
        op = self.op
        if op is None:
            return f.lazy_value(self.args[0])
        if op == "not":
            return f"(not {self.args[0].source(f)})"
        left, right = (arg.source(f) for arg in self.args)
        if op in ("and", "or"):
            return f"({left} {op} {right})"
        if op == "is":
            return f"({left} is {right})"
        if op == "is not":
            return f"({left} is not {right})"
        if op == "in":
            return f"_compare({f.gen.const(_contains)}, {left}, {right})"
        if op == "not in":
            return f"_compare({f.gen.const(_not_contains)}, {left}, {right})"
        return f"_compare({_COMPARISONS[op]}, {left}, {right})"

    def eval(self, context: Any) -> Any:
        """Evaluate without compiling (used by ``Node.render`` fallbacks)."""
        op = self.op
        if op is None:
            return self.args[0].resolve(context, ignore_failures=True)
        try:
            if op == "not":
                return not self.args[0].eval(context)
            if op == "and":
                return self.args[0].eval(context) and self.args[1].eval(context)
            if op == "or":
                return self.args[0].eval(context) or self.args[1].eval(context)
            left, right = (arg.eval(context) for arg in self.args)
            import operator

            funcs = {
                "is": operator.is_,
                "is not": operator.is_not,
                "in": _contains,
                "not in": _not_contains,
                "==": operator.eq,
                "!=": operator.ne,
                ">": operator.gt,
                ">=": operator.ge,
                "<": operator.lt,
                "<=": operator.le,
            }
            return funcs[op](left, right)
        except Exception:
            return False


class IfParser:
    """A Pratt parser over the tag's bits."""

    def __init__(self, parser: Any, tokens: list[str]) -> None:
        self.parser = parser
        merged: list[str] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "is" and i + 1 < len(tokens) and tokens[i + 1] == "not":
                token = "is not"
                i += 1
            elif token == "not" and i + 1 < len(tokens) and tokens[i + 1] == "in":
                token = "not in"
                i += 1
            merged.append(token)
            i += 1
        self.tokens = merged
        self.pos = 0

    def _next(self) -> Any:
        if self.pos >= len(self.tokens):
            return _END
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self) -> Any:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else _END

    def parse(self) -> Condition:
        """Parse the whole expression."""
        result = self.expression()
        token = self._peek()
        if token is not _END:
            raise TemplateSyntaxError(f"Unused '{token}' at end of if expression.")
        return result

    def expression(self, rbp: int = 0) -> Condition:
        """Parse an expression binding tighter than ``rbp``."""
        token = self._next()
        if token is _END:
            raise TemplateSyntaxError("Unexpected end of expression in if tag.")
        left = self.prefix(token)
        while True:
            token = self._peek()
            if token is _END or token not in _INFIX or _INFIX[token] <= rbp:
                return left
            self._next()
            right = self.expression(_INFIX[token])
            left = Condition(token, left, right)

    def prefix(self, token: str) -> Condition:
        """Parse a value or a ``not``."""
        if token == "not":
            return Condition("not", self.expression(_NOT_PRECEDENCE))
        if token in _INFIX:
            raise TemplateSyntaxError(
                f"Not expecting '{token}' in this position in if tag."
            )
        return Condition(None, self.parser.compile_filter(token))
