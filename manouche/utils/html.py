"""HTML escaping and small HTML-building helpers."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from manouche.utils.encoding import punycode
from manouche.utils.functional import Promise, keep_lazy, keep_lazy_text
from manouche.utils.http import RFC3986_GENDELIMS, RFC3986_SUBDELIMS
from manouche.utils.safestring import SafeString, mark_safe

__all__ = [
    "MAX_STRIP_TAGS_LENGTH",
    "VOID_ELEMENTS",
    "avoid_wrapping",
    "conditional_escape",
    "escape",
    "escapejs",
    "format_html",
    "format_html_join",
    "html_safe",
    "json_script",
    "linebreaks",
    "smart_urlquote",
    "strip_spaces_between_tags",
    "strip_tags",
]

MAX_STRIP_TAGS_LENGTH = 1_000_000

# The HTML elements that have no content and no end tag (WHATWG "void
# elements", plus the obsolete <param>): ``<br>`` and ``<br />`` are the same.
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)


@keep_lazy(SafeString)
def escape(text: Any) -> SafeString:
    """Return ``text`` with &, <, >, " and ' encoded for HTML; always escapes."""
    return SafeString(html.escape(str(text)))


_js_escapes = {
    ord("\\"): "\\u005C",
    ord("'"): "\\u0027",
    ord('"'): "\\u0022",
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    ord("="): "\\u003D",
    ord("-"): "\\u002D",
    ord(";"): "\\u003B",
    ord("`"): "\\u0060",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}
_js_escapes.update((ord(f"{z:c}"), f"\\u{z:04X}") for z in range(32))


@keep_lazy(SafeString)
def escapejs(value: Any) -> SafeString:
    """Escape ``value`` for use inside a JavaScript string literal."""
    return mark_safe(str(value).translate(_js_escapes))  # type: ignore[no-any-return]


_json_script_escapes = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
}


def json_script(
    value: Any, element_id: str | None = None, encoder: type | None = None
) -> SafeString:
    """Serialise ``value`` as JSON inside a <script type="application/json"> tag.

    <, > and & are escaped so the data cannot close the script element.
    """
    from manouche.core.serializers.json import DjangoJSONEncoder

    json_str = json.dumps(value, cls=encoder or DjangoJSONEncoder).translate(
        _json_script_escapes
    )
    if element_id:
        return format_html(
            '<script id="{}" type="application/json">{}</script>',
            element_id,
            mark_safe(json_str),
        )
    return format_html(
        '<script type="application/json">{}</script>', mark_safe(json_str)
    )


def conditional_escape(text: Any) -> Any:
    """Escape ``text`` unless it is already safe (has ``__html__``)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(text)


def format_html(format_string: str, *args: Any, **kwargs: Any) -> SafeString:
    """Like str.format, but escape every argument and mark the result safe.

    Calling it without arguments is refused: use mark_safe for literal HTML.
    """
    if not (args or kwargs):
        raise TypeError("args or kwargs must be provided.")
    args_safe = map(conditional_escape, args)
    kwargs_safe = {k: conditional_escape(v) for (k, v) in kwargs.items()}
    return mark_safe(format_string.format(*args_safe, **kwargs_safe))  # type: ignore[no-any-return]


def format_html_join(
    sep: str, format_string: str, args_generator: Iterable[Any]
) -> SafeString:
    """Join ``format_html(format_string, *args)`` for each args with ``sep``."""
    return mark_safe(  # type: ignore[no-any-return]
        conditional_escape(sep).join(
            format_html(format_string, **args)
            if isinstance(args, dict)
            else format_html(format_string, *args)
            for args in args_generator
        )
    )


@keep_lazy_text
def linebreaks(value: Any, autoescape: bool = False) -> str:
    """Turn blank-line separated text into <p> paragraphs and newlines into <br>."""
    value = normalize_newlines(str(value))
    paras = re.split("\n{2,}", value)
    if autoescape:
        paras = [f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paras]
    else:
        paras = [f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paras]
    return "\n\n".join(paras)


def normalize_newlines(text: str) -> str:
    return re.sub(r"\r\n|\r", "\n", text)


class _MLStripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.fed: list[str] = []

    def handle_data(self, d: str) -> None:
        self.fed.append(d)

    def handle_entityref(self, name: str) -> None:
        self.fed.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.fed.append(f"&#{name};")

    def get_data(self) -> str:
        return "".join(self.fed)


def _strip_once(value: str) -> str:
    s = _MLStripper()
    s.feed(value)
    s.close()
    return s.get_data()


@keep_lazy_text
def strip_tags(value: Any) -> str:
    """Return ``value`` with HTML tags removed; the result is not safe HTML.

    Each pass is linear; passes repeat only while they shrink the text, and
    inputs over MAX_STRIP_TAGS_LENGTH are refused.
    """
    value = str(value)
    if len(value) > MAX_STRIP_TAGS_LENGTH:
        from manouche.core.exceptions import SuspiciousOperation

        raise SuspiciousOperation("strip_tags() input is too long.")
    while "<" in value and ">" in value:
        new_value = _strip_once(value)
        if value.count("<") == new_value.count("<"):
            break
        value = new_value
    return str(value)


@keep_lazy_text
def strip_spaces_between_tags(value: Any) -> str:
    """Remove whitespace between HTML tags."""
    return re.sub(r">\s+<", "><", str(value))


@keep_lazy_text
def avoid_wrapping(value: Any) -> str:
    """Replace spaces with non-breaking spaces so the text stays on one line."""
    return str(value).replace(" ", "\xa0")


def smart_urlquote(url: str) -> str:
    """Quote the parts of ``url`` that need it, leaving existing escapes alone."""

    def unquote_quote(segment: str) -> str:
        segment = unquote(segment)
        return quote(segment, safe=RFC3986_SUBDELIMS + RFC3986_GENDELIMS + "~")

    try:
        scheme, netloc, path, query, fragment = urlsplit(url)
    except ValueError:
        return unquote_quote(url)
    try:
        netloc = punycode(netloc)
    except UnicodeError:
        return unquote_quote(url)
    if query:
        query_parts = [
            (unquote(q[0]), unquote(q[1]))
            for q in parse_qsl(query, keep_blank_values=True)
        ]
        query = urlencode(query_parts)
    path = unquote_quote(path)
    fragment = unquote_quote(fragment)
    return urlunsplit((scheme, netloc, path, query, fragment))


def html_safe(klass: type) -> type:
    """Class decorator: give ``klass`` an ``__html__`` built from its __str__."""
    if "__html__" in klass.__dict__:
        raise ValueError(
            f"can't apply @html_safe to {klass.__name__} because it defines __html__()."
        )
    if "__str__" not in klass.__dict__:
        raise ValueError(
            f"can't apply @html_safe to {klass.__name__} because it doesn't "
            "define __str__()."
        )
    klass_str: Any = klass.__str__

    def __str__(self: Any) -> Any:
        return mark_safe(klass_str(self))

    def __html__(self: Any) -> str:
        return str(self)

    setattr(klass, "__str__", __str__)  # noqa: B010 - keep mypy off the slot
    setattr(klass, "__html__", __html__)  # noqa: B010
    return klass
