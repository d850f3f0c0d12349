"""HTML escaping and safe strings."""

from __future__ import annotations

import pytest

from manouche.utils.functional import lazystr
from manouche.utils.html import (
    avoid_wrapping,
    conditional_escape,
    escape,
    escapejs,
    format_html,
    format_html_join,
    html_safe,
    json_script,
    linebreaks,
    smart_urlquote,
    strip_tags,
)
from manouche.utils.safestring import SafeData, SafeString, SafeText, mark_safe


def test_escape_and_conditional_escape():
    assert escape("<a href='x'>&\"</a>") == (
        "&lt;a href=&#x27;x&#x27;&gt;&amp;&quot;&lt;/a&gt;"
    )
    assert isinstance(escape("x"), SafeString)
    assert escape(mark_safe("<b>")) == "&lt;b&gt;"
    assert conditional_escape(mark_safe("<b>")) == "<b>"
    assert conditional_escape("<b>") == "&lt;b&gt;"
    assert conditional_escape(lazystr("<i>")) == "&lt;i&gt;"


def test_mark_safe_and_safestring_addition():
    safe = mark_safe("<b>")
    assert isinstance(safe, SafeData)
    assert isinstance(safe + mark_safe("</b>"), SafeString)
    assert not isinstance(safe + "<i>", SafeString)
    assert SafeText is SafeString
    assert mark_safe(safe) is safe

    @mark_safe
    def make():
        return "<p>"

    assert isinstance(make(), SafeString)


def test_format_html():
    assert format_html("<a href='{}'>{}</a>", "x'y", mark_safe("<b>")) == (
        "<a href='x&#x27;y'><b></a>"
    )
    assert format_html("{x}", x="<") == "&lt;"
    with pytest.raises(TypeError, match="args or kwargs must be provided"):
        format_html("<br>")


def test_format_html_join():
    result = format_html_join("\n", "<li>{}</li>", [("<a>",), ("b",)])
    assert result == "<li>&lt;a&gt;</li>\n<li>b</li>"
    assert format_html_join(", ", "{n}", [{"n": "<"}]) == "&lt;"


def test_escapejs():
    assert escapejs("</script>\"'\u2028") == (
        "\\u003C/script\\u003E\\u0022\\u0027\\u2028"
    )


def test_json_script_cannot_close_script():
    result = json_script({"a": "</script><script>alert(1)"}, "data")
    assert result == (
        '<script id="data" type="application/json">'
        '{"a": "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)"}</script>'
    )
    assert json_script([1]) == '<script type="application/json">[1]</script>'


def test_strip_tags():
    assert strip_tags("<p>Hello <b>world</b></p>") == "Hello world"
    assert strip_tags("a < b and c > d") == "a < b and c > d"
    assert strip_tags("<<script>script>x<</script>/script>") == "x"
    assert strip_tags("&amp; <br/>") == "&amp; "


def test_strip_tags_is_fast_on_hostile_input():
    assert strip_tags("<" * 50_000 + ">" * 50_000).count("<") <= 50_000


def test_linebreaks_and_avoid_wrapping():
    assert linebreaks("a\nb\n\nc") == "<p>a<br>b</p>\n\n<p>c</p>"
    assert linebreaks("<x>", autoescape=True) == "<p>&lt;x&gt;</p>"
    assert avoid_wrapping("a b") == "a\xa0b"


def test_smart_urlquote():
    assert smart_urlquote("http://example.com/a b?c=d e") == (
        "http://example.com/a%20b?c=d+e"
    )
    assert smart_urlquote("http://öbb.at/") == "http://xn--bb-eka.at/"


def test_html_safe():
    @html_safe
    class Thing:
        def __str__(self):
            return "<b>"

    assert conditional_escape(Thing()) == "<b>"
    with pytest.raises(ValueError, match="doesn't define __str__"):
        html_safe(type("X", (), {}))


def test_void_elements_are_what_the_test_html_parser_treats_as_void() -> None:
    from manouche.test.html import VOID_ELEMENTS as PARSER_VOID_ELEMENTS
    from manouche.test.html import parse_html
    from manouche.utils.html import VOID_ELEMENTS

    assert VOID_ELEMENTS == PARSER_VOID_ELEMENTS
    assert {"br", "img", "input", "wbr"} <= VOID_ELEMENTS
    assert "p" not in VOID_ELEMENTS
    dom = parse_html("<p>a <br> b</p>")
    assert [str(child) for child in dom.children] == ["a", "<br>", "b"]
