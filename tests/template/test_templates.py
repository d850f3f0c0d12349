"""Tests of the Django template language engine."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from manouche.core.exceptions import SuspiciousOperation
from manouche.template import (
    Context,
    Engine,
    Template,
    TemplateDoesNotExist,
    TemplateSyntaxError,
)
from manouche.template.loader import get_template, render_to_string
from manouche.test.utils import override_settings
from manouche.utils.safestring import mark_safe

TEMPLATES = [
    {
        "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["manouche.template.context_processors.request"]
        },
    },
    {
        "BACKEND": "manouche.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": False,
    },
]
APPS = ["tests.template.testapp"]


@pytest.fixture
def engine() -> Engine:
    return Engine(
        loaders=[
            (
                "manouche.template.loaders.locmem.Loader",
                {
                    "base.html": "[{% block a %}A{% endblock %}|{% block b %}B{% endblock %}]",
                    "child.html": "{% extends 'base.html' %}{% block a %}a+{{ block.super }}{% endblock %}",
                    "inc.html": "({{ x }}{{ y }})",
                    "page.html": "{% partialdef p %}P{{ x }}{% endpartialdef %}",
                },
            )
        ]
    )


def render(source: str, context: dict[str, Any] | None = None, **options: Any) -> str:
    return str(Engine(**options).from_string(source).render(Context(context or {})))


class Obj:
    name = "obj"
    items = (1, 2)

    def method(self) -> str:
        return "called"

    def danger(self) -> str:
        raise AssertionError("must not be called")

    danger.alters_data = True  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ d.k }}", {"d": {"k": "v"}}, "v"),
        ("{{ o.name }}", {"o": Obj()}, "obj"),
        ("{{ o.method }}", {"o": Obj()}, "called"),
        ("{{ o.danger }}", {"o": Obj()}, ""),
        ("{{ l.1 }}", {"l": ["a", "b"]}, "b"),
        ("{{ d.items }}", {"d": {"items": "key wins"}}, "key wins"),
        ("{{ missing }}|{{ missing.attr }}", {}, "|"),
        ("{{ x }}", {"x": "<b>"}, "&lt;b&gt;"),
        ("{{ x }}", {"x": mark_safe("<b>")}, "<b>"),
        ("{{ x|safe }}", {"x": "<b>"}, "<b>"),
        ("{% autoescape off %}{{ x }}{% endautoescape %}", {"x": "<b>"}, "<b>"),
        ("{{ x|default:'none' }}", {}, "none"),
        ("{{ 'a'|add:'b' }} {{ 1|add:2 }}", {}, "ab 3"),
        ("{% if a and not b or c %}y{% else %}n{% endif %}", {"a": 1}, "y"),
        ("{% if a > 2 %}y{% elif a == 2 %}two{% endif %}", {"a": 2}, "two"),
        (
            "{% if x in l %}in{% endif %}{% if x not in l %}out{% endif %}",
            {"x": 1, "l": [1]},
            "in",
        ),
        ("{% if x is None %}none{% endif %}", {}, "none"),
        ("{% if a < 'b' %}y{% else %}n{% endif %}", {"a": 1}, "n"),
        (
            "{% for x in l %}{{ forloop.counter }}{{ x }}{% if forloop.last %}.{% endif %}{% endfor %}",
            {"l": "ab"},
            "1a2b.",
        ),
        ("{% for x in l %}{% empty %}empty{% endfor %}", {"l": []}, "empty"),
        ("{% for x in l reversed %}{{ x }}{% endfor %}", {"l": [1, 2]}, "21"),
        (
            "{% for a, b in l %}{{ a }}{{ b }}{% endfor %}",
            {"l": [(1, 2), (3, 4)]},
            "1234",
        ),
        (
            "{% for x in l %}{% for y in l %}{{ forloop.parentloop.counter }}{{ y }}{% endfor %}{% endfor %}",
            {"l": [1, 2]},
            "11122122",
        ),
        ("{% with y=x|upper %}{{ y }}{% endwith %}", {"x": "a"}, "A"),
        ("{% with x as y %}{{ y }}{% endwith %}", {"x": "a"}, "a"),
        ("{# hidden #}{% comment %}x{% endcomment %}ok", {}, "ok"),
        ("{% for x in l %}{% cycle 'a' 'b' %}{% endfor %}", {"l": [1, 2, 3]}, "aba"),
        ("{% firstof a b 'c' %}", {"b": "<b>"}, "&lt;b&gt;"),
        ("{% spaceless %}<p> <b>x</b> </p>{% endspaceless %}", {}, "<p><b>x</b></p>"),
        ("{% verbatim %}{{ x }}{% endverbatim %}", {"x": 1}, "{{ x }}"),
        ("{% templatetag openblock %}", {}, "{%"),
        ("{% widthratio 175 200 100 %}", {}, "88"),
        ("{% filter upper %}ab{% endfilter %}", {}, "AB"),
        (
            "{% for x in l %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}",
            {"l": [1, 1, 2]},
            "12",
        ),
        (
            "{% regroup l by k as g %}{% for i in g %}{{ i.grouper }}:{{ i.list|length }};{% endfor %}",
            {"l": [{"k": 1}, {"k": 1}, {"k": 2}]},
            "1:2;2:1;",
        ),
        ("{% lorem 3 w %}", {}, "lorem ipsum dolor"),
        ("{% now 'Y' as y %}{{ y|length }}", {}, "4"),
        ("{{ v|floatformat }} {{ v|floatformat:2 }}", {"v": 34.23234}, "34.2 34.23"),
        ("{{ v|floatformat:'-3' }}", {"v": 34.0}, "34"),
    ],
)
def test_tags_and_lookups(source: str, context: dict[str, Any], expected: str) -> None:
    assert render(source, context) == expected


FILTERS: list[tuple[str, Any, str]] = [
    ("addslashes", "I'm", "I\\&#x27;m"),
    ("capfirst", "abc", "Abc"),
    ("center:'5'", "a", "  a  "),
    ("cut:' '", "a b c", "abc"),
    ("date:'Y-m-d'", datetime.date(2024, 2, 3), "2024-02-03"),
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
    assert (
        render(
            "{{ a|timeuntil:b }}",
            {"a": datetime.date(2024, 1, 8), "b": datetime.date(2024, 1, 1)},
        )
        == "1\xa0week"
    )


def test_string_if_invalid_names_the_variable_and_skips_filters() -> None:
    assert (
        render("{{ nope|upper }}", {}, string_if_invalid="INVALID(%s)")
        == "INVALID(nope)"
    )


def test_missing_filter_argument_raises() -> None:
    from manouche.template import VariableDoesNotExist

    with pytest.raises(VariableDoesNotExist, match="nope"):
        render("{{ 'a'|default:nope }}", {})


def test_inheritance_with_block_super_and_partials(engine: Engine) -> None:
    assert engine.get_template("child.html").render(Context()) == "[a+A|B]"
    partial = engine.get_template("page.html#p")
    assert partial.render(Context({"x": 1})) == "P1"


def test_include_with_and_only(engine: Engine) -> None:
    t = engine.from_string(
        "{% include 'inc.html' with x=1 %}{% include 'inc.html' with x=2 only %}"
    )
    assert t.render(Context({"y": "Y"})) == "(1Y)(2)"


def test_template_does_not_exist_lists_tried_paths(tmp_path: Any) -> None:
    engine = Engine(dirs=[str(tmp_path)], debug=True)
    with pytest.raises(TemplateDoesNotExist) as info:
        engine.get_template("nope.html")
    assert info.value.tried[0][0].name == str(tmp_path / "nope.html")
    assert info.value.tried[0][1] == "Source does not exist"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("line\n{% bogus %}", "Invalid block tag on line 2: 'bogus'. Did you forget"),
        (
            "{% if a %}",
            "Unclosed tag on line 1: 'if'. Looking for one of: elif, else, endif.",
        ),
        ("{{ a|nofilter }}", "Invalid filter: 'nofilter'"),
        ("{{ _x }}", "Variables and attributes may not begin with underscores: '_x'"),
        ("{% if a b %}{% endif %}", "Unused 'b' at end of if expression."),
        (
            "{% block a %}{% endblock %}{% block a %}{% endblock %}",
            "appears more than once",
        ),
        ("x{% extends 'b' %}{% extends 'c' %}", "cannot appear more than once"),
    ],
)
def test_syntax_errors_name_line_and_token(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=None) as info:
        Engine(debug=True).from_string(source)
    assert message in str(info.value)
    assert "template '<unknown source>'" in str(info.value)
    assert info.value.template_debug["line"] >= 1


def test_custom_libraries_of_every_kind() -> None:
    with override_settings(INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES):
        t = get_template("testapp/base.html")  # warm the engines
        assert t is not None
        from manouche.template import engines

        django_engine = engines["manouche"]
        src = (
            "{% load custom %}{{ 'a'|shout }} {% add_up 1 b=2 %} {% add_up 5 as r %}{{ r }} "
            "{% greet 'bob' %} {% show_item 'pen' %}{% box kind='k' %}<{{ x }}>{% endbox %} "
            "{% upper_block %}abc{{ x }}{% endupper_block %}"
        )
        out = django_engine.from_string(src).render({"site": "S", "x": "y"})
        assert out == ("a! 3 6 &lt;hi bob from S&gt; <i>pen</i>\n[k:&lt;y&gt;] ABCY")


def test_inheritance_include_and_partials_from_app_directories() -> None:
    with override_settings(INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES):
        out = render_to_string("testapp/child.html", {"who": "<w>"})
        assert out == "<title>Child-Middle-Base</title><i>&lt;w&gt;</i>\n\n"
        assert (
            render_to_string("testapp/page.html#card", {"title": "T"}) == "<div>T</div>"
        )
        assert render_to_string("testapp/page.html", {"who": "W", "title": "T"}) == (
            "Hello W<div>T</div>\n"
        )


def test_jinja2_backend() -> None:
    with override_settings(INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES):
        from manouche.template import engines

        t = engines["jinja2"].from_string(
            "{{ x }}{% for i in l %}{{ loop.index }}{% endfor %}"
        )
        assert t.render({"x": "<", "l": [1, 2]}) == "&lt;12"


def test_render_shortcut_and_template_response_through_client() -> None:
    from manouche.shortcuts import render as render_shortcut
    from manouche.template.response import TemplateResponse
    from manouche.test.client import RequestFactory

    with override_settings(INSTALLED_APPS=APPS, TEMPLATES=TEMPLATES):
        request = RequestFactory().get("/")
        response = render_shortcut(request, "testapp/item.html", {"name": "n"})
        assert response.content == b"<i>n</i>\n"
        tr = TemplateResponse(request, "testapp/item.html", {"name": "m"})
        assert not tr.is_rendered
        tr.render()
        assert tr.content == b"<i>m</i>\n"


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


def test_template_repr_and_default_engine_compile_once() -> None:
    t = Template("{{ a }}", engine=Engine())
    assert t.render(Context({"a": 1})) == "1"
    assert "_root" in t._source_code
