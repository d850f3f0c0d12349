"""The built-in filters, including their behaviour on hostile input."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from manouche.core.exceptions import SuspiciousOperation
from manouche.template import Context, Engine
from tests.template.helpers import render

FILTERS: list[tuple[str, Any, str]] = [
    ("addslashes", "I'm", "I\\&#x27;m"),
    ("capfirst", "abc", "Abc"),
    ("center:'5'", "a", "  a  "),
    ("cut:' '", "a b c", "abc"),
    ("date:'Y-m-d'", datetime.date(2024, 2, 3), "2024-02-03"),
    ("default:'none'", "", "none"),
    ("default_if_none:'x'", None, "x"),
    (
        "dictsort:'k'|join:','",
        [{"k": 2}, {"k": 1}],
        "{&#x27;k&#x27;: 1},{&#x27;k&#x27;: 2}",
    ),
    ("divisibleby:3", 9, "True"),
    ("escape", "<", "&lt;"),
    ("escapejs", "'", "\\u0027"),
    ("escapeseq|join:','", ["<", ">"], "&lt;,&gt;"),
    ("filesizeformat", 1024, "1.0\xa0KB"),
    ("first", "abc", "a"),
    ("floatformat", 34.23234, "34.2"),
    ("floatformat:2", 34.23234, "34.23"),
    ("floatformat:'-3'", 34.0, "34"),
    ("force_escape", "<", "&lt;"),
    ("get_digit:2", 123, "2"),
    ("iriencode", "?a=é", "?a=%C3%A9"),
    ("join:'-'", ["a", "b"], "a-b"),
    (
        "json_script:'d'",
        {"a": "<"},
        '<script id="d" type="application/json">{"a": "\\u003C"}</script>',
    ),
    ("last", "abc", "c"),
    ("length", [1, 2], "2"),
    ("linebreaks", "a\nb", "<p>a<br>b</p>"),
    ("linebreaksbr", "a\nb", "a<br>b"),
    ("linebreaksbr", "<a>\r\nb", "&lt;a&gt;<br>b"),
    ("linenumbers", "a\nb", "1. a\n2. b"),
    ("ljust:'3'", "a", "a  "),
    ("lower", "AB", "ab"),
    ("make_list|length", "abc", "3"),
    ("phone2numeric", "1-800-COLLECT", "1-800-2655328"),
    ("pluralize", 2, "s"),
    ("pluralize:'y,ies'", 1, "y"),
    ("pprint", [1], "[1]"),
    ("random", "a", "a"),
    ("rjust:'3'", "a", "  a"),
    ("safe", "<b>", "<b>"),
    ("safeseq|join:','", ["<b>"], "<b>"),
    ("slice:':2'", "abc", "ab"),
    ("slugify", "Hello World!", "hello-world"),
    ("stringformat:'03d'", 5, "005"),
    ("striptags", "<b>x</b>", "x"),
    ("time:'H:i'", datetime.time(13, 5), "13:05"),
    ("timesince:b", datetime.datetime(2024, 1, 1), "1\xa0day"),
    ("title", "my first post", "My First Post"),
    ("truncatechars:4", "abcdef", "abc…"),
    ("safe|truncatechars_html:4", "<p>abcdef</p>", "<p>abc…</p>"),
    ("truncatewords:2", "a b c", "a b …"),
    ("truncatewords:2", "a  b", "a b"),
    ("truncatewords:1", "<a> b", "&lt;a&gt; …"),
    ("safe|truncatewords_html:1", "<p>a b</p>", "<p>a …</p>"),
    (
        "unordered_list",
        ["a", ["b"]],
        "\t<li>a\n\t<ul>\n\t\t<li>b</li>\n\t</ul>\n\t</li>",
    ),
    ("upper", "ab", "AB"),
    ("urlencode", "a b/", "a%20b/"),
    (
        "urlize",
        "see www.x.com",
        'see <a href="http://www.x.com" rel="nofollow">www.x.com</a>',
    ),
    (
        "urlizetrunc:5",
        "http://example.com",
        '<a href="http://example.com" rel="nofollow">http…</a>',
    ),
    ("wordcount", "a b c", "3"),
    ("wordwrap:3", "ab cd", "ab\ncd"),
    ("yesno:'y,n'", False, "n"),
    ("add:1", 1, "2"),
]


@pytest.mark.parametrize(("expr", "value", "expected"), FILTERS)
def test_builtin_filters(expr: str, value: Any, expected: str) -> None:
    b = datetime.datetime(2024, 1, 2, 0, 30)
    assert render("{{ v|" + expr + " }}", {"v": value, "b": b}) == expected


def test_timeuntil_filter() -> None:
    context = {"a": datetime.date(2024, 1, 8), "b": datetime.date(2024, 1, 1)}
    assert render("{{ a|timeuntil:b }}", context) == "1\xa0week"


def test_filter_block_applies_filters_to_its_body() -> None:
    assert render("{% filter upper %}ab{% endfilter %}") == "AB"


@pytest.mark.parametrize(
    "flt",
    [
        "urlize",
        "urlizetrunc:10",
        "truncatechars_html:10",
        "truncatewords_html:5",
        "striptags",
        "wordwrap:5",
        "truncatewords:3",
        "linebreaksbr",
    ],
)
def test_text_filters_are_linear_on_hostile_input(flt: str) -> None:
    hostile = ("<a" * 20000) + ("(" * 20000) + ("x." * 20000) + ("&" * 20000)
    t = Engine().from_string("{{ v|" + flt + " }}")
    start = time.perf_counter()
    t.render(Context({"v": hostile}))
    assert time.perf_counter() - start < 5


def test_text_filters_refuse_more_than_one_mebibyte() -> None:
    with pytest.raises(SuspiciousOperation, match="too long"):
        render("{{ v|urlize }}", {"v": "a" * (1 << 20 + 1)})
