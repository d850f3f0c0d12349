"""Split template source into text, variable, block and comment tokens."""

from __future__ import annotations

import enum
import re
from typing import Any

__all__ = ["DebugLexer", "Lexer", "Token", "TokenType", "smart_split"]

BLOCK_TAG_START = "{%"
BLOCK_TAG_END = "%}"
VARIABLE_TAG_START = "{{"
VARIABLE_TAG_END = "}}"
COMMENT_TAG_START = "{#"
COMMENT_TAG_END = "#}"

# Tags never span lines: each match is bounded by the line it starts on.
tag_re = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})")

_smart_split_re = re.compile(
    r"""
    ((?:
        [^\s'"]*
        (?:
            (?:"(?:[^"\\]|\\.)*" | '(?:[^'\\]|\\.)*')
            [^\s'"]*
        )+
    ) | \S+)
    """,
    re.VERBOSE,
)


def smart_split(text: str) -> list[str]:
    """Split on whitespace, keeping quoted strings (with their quotes) whole."""
    return [m.group(0) for m in _smart_split_re.finditer(text)]


class TokenType(enum.Enum):
    """The four kinds of token."""

    TEXT = 0
    VAR = 1
    BLOCK = 2
    COMMENT = 3


class Token:
    """One token: its type, stripped contents, source position and line."""

    __slots__ = ("contents", "lineno", "position", "token_type")

    def __init__(
        self,
        token_type: TokenType,
        contents: str,
        position: tuple[int, int] | None = None,
        lineno: int | None = None,
    ) -> None:
        self.token_type = token_type
        self.contents = contents
        self.position = position
        self.lineno = lineno

    def __repr__(self) -> str:
        name = self.token_type.name.capitalize()
        text = self.contents[:20].replace("\n", "")
        return f'<{name} token: "{text}...">'

    def split_contents(self) -> list[str]:
        """Split like ``str.split`` but keep quoted strings and _("...") whole."""
        split: list[str] = []
        bits = iter(smart_split(self.contents))
        for bit in bits:
            if bit.startswith(('_("', "_('")):
                sentinel = bit[2] + ")"
                trans_bit = [bit]
                while not bit.endswith(sentinel):
                    try:
                        bit = next(bits)
                    except StopIteration:
                        break
                    trans_bit.append(bit)
                bit = " ".join(trans_bit)
            split.append(bit)
        return split


class Lexer:
    """Turn a template string into a list of tokens (without source positions)."""

    record_positions = False

    def __init__(self, template_string: str) -> None:
        self.template_string = template_string
        self.verbatim: str | bool = False

    def __repr__(self) -> str:
        return (
            f'<{type(self).__qualname__} template_string="'
            f'{self.template_string[:20].replace(chr(10), "")}...", '
            f"verbatim={self.verbatim}>"
        )

    def tokenize(self) -> list[Token]:
        """Return every token, tracking line numbers and verbatim sections."""
        in_tag = False
        lineno = 1
        result = []
        upto = 0
        for bit in tag_re.split(self.template_string):
            if bit:
                start = upto
                end = upto + len(bit)
                position = (start, end) if self.record_positions else None
                result.append(self.create_token(bit, position, lineno, in_tag))
                lineno += bit.count("\n")
                upto = end
            in_tag = not in_tag
        return result

    def create_token(
        self,
        token_string: str,
        position: tuple[int, int] | None,
        lineno: int,
        in_tag: bool,
    ) -> Token:
        """Build one token; inside {% verbatim %} everything but its end is text."""
        if in_tag:
            token_start = token_string[0:2]
            if token_start == BLOCK_TAG_START:
                content = token_string[2:-2].strip()
                if self.verbatim:
                    if content != self.verbatim:
                        return Token(TokenType.TEXT, token_string, position, lineno)
                    self.verbatim = False
                elif content[:9] in ("verbatim", "verbatim "):
                    self.verbatim = f"end{content}"
                return Token(TokenType.BLOCK, content, position, lineno)
            if not self.verbatim:
                content = token_string[2:-2].strip()
                if token_start == VARIABLE_TAG_START:
                    return Token(TokenType.VAR, content, position, lineno)
                return Token(TokenType.COMMENT, content, position, lineno)
        return Token(TokenType.TEXT, token_string, position, lineno)


class DebugLexer(Lexer):
    """A lexer recording each token's (start, end) in the source.

    Templates always lex with it: the positions let errors point at the
    failing tag whether or not the engine is in debug mode.
    """

    record_positions = True


def token_debug(source: str, token: Any, name: str) -> dict[str, Any]:
    """Describe where ``token`` sits in ``source`` for the technical 500 page."""
    context_lines = 10
    line = 0
    upto = 0
    source_lines = []
    before = during = after = ""
    start, end = token.position or (0, 0)
    for num, next_line in enumerate(source.splitlines(True)):
        line_start = upto
        upto += len(next_line)
        if start >= line_start and start < upto:
            before = source[line_start:start]
            during = source[start:end]
            after = source[end:upto]
            line = num + 1
        source_lines.append((num + 1, next_line))
    if not source or source.endswith("\n"):
        # Text after the last line break is a (possibly empty) line too.
        source_lines.append((len(source_lines) + 1, ""))
    total = len(source_lines)
    top = max(1, line - context_lines)
    bottom = min(total, line + 1 + context_lines)
    return {
        "message": "",
        "source_lines": source_lines[top - 1 : bottom],
        "before": before,
        "during": during,
        "after": after,
        "top": top,
        "bottom": bottom,
        "total": total,
        "line": line,
        "name": name,
        "start": start,
        "end": end,
    }
