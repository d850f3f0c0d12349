"""Split an SQL script into statements (for ``RunSQL`` given one string).

Semicolons inside quotes, quoted identifiers, comments and PostgreSQL
dollar-quoted bodies do not end a statement. Comments are dropped.
"""

from __future__ import annotations

import re

__all__ = ["split_sql_script"]

_DOLLAR_TAG = re.compile(r"\$[A-Za-z_][A-Za-z_0-9]*\$|\$\$")


def _skip_quoted(sql: str, start: int, quote: str) -> int:
    """Return the index just after the quoted text opened at ``start``."""
    index = start + 1
    while index < len(sql):
        char = sql[index]
        if char == "\\" and quote == "'":
            index += 2
            continue
        if char == quote:
            if sql[index + 1 : index + 2] == quote:  # doubled quote
                index += 2
                continue
            return index + 1
        index += 1
    return len(sql)


def split_sql_script(sql: str) -> list[str]:
    """Return the non-empty statements of ``sql``, without trailing ``;``."""
    statements: list[str] = []
    current: list[str] = []
    index = 0
    length = len(sql)
    while index < length:
        char = sql[index]
        if char in "'\"`":
            end = _skip_quoted(sql, index, char)
            current.append(sql[index:end])
            index = end
        elif sql.startswith("--", index):
            end = sql.find("\n", index)
            index = length if end == -1 else end
        elif sql.startswith("/*", index):
            end = sql.find("*/", index + 2)
            index = length if end == -1 else end + 2
            current.append(" ")
        elif char == "$" and (match := _DOLLAR_TAG.match(sql, index)):
            tag = match.group()
            end = sql.find(tag, match.end())
            end = length if end == -1 else end + len(tag)
            current.append(sql[index:end])
            index = end
        elif char == ";":
            _flush(current, statements)
            index += 1
        else:
            current.append(char)
            index += 1
    _flush(current, statements)
    return statements


def _flush(current: list[str], statements: list[str]) -> None:
    statement = "".join(current).strip()
    if statement:
        statements.append(statement)
    current.clear()
