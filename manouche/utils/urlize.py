"""Turn URLs and email addresses in plain text into links, in linear time.

Each whitespace-separated word is examined once; punctuation trimming is a
bounded scan, never a backtracking regular expression.
"""

from __future__ import annotations

import re
from typing import Any

from manouche.utils.html import escape, smart_urlquote

__all__ = ["urlize"]

_word_split_re = re.compile(r"(\s+)")
_simple_url_re = re.compile(r"^https?://\[?\w", re.IGNORECASE)
_simple_url_2_re = re.compile(
    r"^www\.|^(?!http)\w[^@]+\.(com|edu|gov|int|mil|net|org)($|/.*)$", re.IGNORECASE
)
_email_re = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRAILING = ".,:;!"
WRAPPING = [("(", ")"), ("[", "]")]


def _trim_punctuation(word: str) -> tuple[str, str, str]:
    lead = trail = ""
    changed = True
    while changed:
        changed = False
        for opening, closing in WRAPPING:
            if word.startswith(opening):
                word = word[len(opening) :]
                lead += opening
                changed = True
            if word.endswith(closing) and word.count(closing) > word.count(opening):
                word = word[: -len(closing)]
                trail = closing + trail
                changed = True
        stripped = word.rstrip(TRAILING)
        if stripped != word:
            trail = word[len(stripped) :] + trail
            word = stripped
            changed = True
    return lead, word, trail


def urlize(
    text: Any,
    trim_url_limit: int | None = None,
    nofollow: bool = False,
    autoescape: bool = False,
) -> str:
    """Return ``text`` with URLs and emails wrapped in <a> tags."""
    safe_input = hasattr(text, "__html__")
    words = _word_split_re.split(str(text))
    out = []

    def trim(x: str) -> str:
        if trim_url_limit is None or len(x) <= trim_url_limit:
            return x
        return f"{x[: max(0, trim_url_limit - 1)]}\u2026"

    for word in words:
        if "." not in word and "@" not in word and ":" not in word:
            out.append(escape(word) if autoescape and not safe_input else word)
            continue
        lead, middle, trail = _trim_punctuation(word)
        url = None
        nofollow_attr = ' rel="nofollow"' if nofollow else ""
        if _simple_url_re.match(middle):
            url = smart_urlquote(middle)
        elif _simple_url_2_re.match(middle):
            url = smart_urlquote(f"http://{middle}")
        elif ":" not in middle and _email_re.match(middle):
            local, domain = middle.rsplit("@", 1)
            url = f"mailto:{local}@{domain}"
            nofollow_attr = ""
        if url:
            trimmed = trim(middle)
            if autoescape and not safe_input:
                lead, trail = escape(lead), escape(trail)
                trimmed = escape(trimmed)
            middle = f'<a href="{escape(url)}"{nofollow_attr}>{trimmed}</a>'
            out.append(f"{lead}{middle}{trail}")
        elif autoescape and not safe_input:
            out.append(escape(word))
        else:
            out.append(word)
    return "".join(out)
