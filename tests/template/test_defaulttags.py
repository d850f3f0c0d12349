"""The built-in tags: control flow, inheritance, include, url, csrf_token, debug."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.template import Context, Engine
from manouche.template.loader import render_to_string
from manouche.urls import NoReverseMatch
from tests.template.helpers import render


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{% autoescape off %}{{ x }}{% endautoescape %}", {"x": "<b>"}, "<b>"),
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
            "{% for x in l %}{{ forloop.counter }}{{ x }}"
            "{% if forloop.last %}.{% endif %}{% endfor %}",
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
            "{% for x in l %}{% for y in l %}{{ forloop.parentloop.counter }}{{ y }}"
            "{% endfor %}{% endfor %}",
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
        (
            "{% for x in l %}{% ifchanged %}{{ x }}{% endifchanged %}{% endfor %}",
            {"l": [1, 1, 2]},
            "12",
        ),
        (
            "{% regroup l by k as g %}{% for i in g %}{{ i.grouper }}:"
            "{{ i.list|length }};{% endfor %}",
            {"l": [{"k": 1}, {"k": 1}, {"k": 2}]},
            "1:2;2:1;",
        ),
        ("{% lorem 3 w %}", {}, "lorem ipsum dolor"),
        ("{% now 'Y' as y %}{{ y|length }}", {}, "4"),
    ],
)
def test_tags(source: str, context: dict[str, Any], expected: str) -> None:
    assert render(source, context) == expected


def test_inheritance_with_block_super_and_partials(engine: Engine) -> None:
    assert engine.get_template("child.html").render(Context()) == "[a+A|B]"
    partial = engine.get_template("page.html#p")
    assert partial.render(Context({"x": 1})) == "P1"


def test_include_with_and_only(engine: Engine) -> None:
    t = engine.from_string(
        "{% include 'inc.html' with x=1 %}{% include 'inc.html' with x=2 only %}"
    )
    assert t.render(Context({"y": "Y"})) == "(1Y)(2)"


@pytest.mark.usefixtures("app_templates")
def test_inheritance_include_and_partials_from_app_directories() -> None:
    out = render_to_string("testapp/child.html", {"who": "<w>"})
    assert out == "<title>Child-Middle-Base</title><i>&lt;w&gt;</i>\n\n"
    assert render_to_string("testapp/page.html#card", {"title": "T"}) == (
        "<div>T</div>"
    )
    assert render_to_string("testapp/page.html", {"who": "W", "title": "T"}) == (
        "Hello W<div>T</div>\n"
    )


@pytest.mark.usefixtures("app_templates")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% url 'article' 7 %}", "/articles/7/"),
        ("{% url 'article' pk=pk %}", "/articles/42/"),
        ("{% url 'blog:article' pk %}", "/blog/42/"),
        ("{% url 'blog:article' pk as link %}[{{ link }}]", "[/blog/42/]"),
        ("{% url 'nowhere' as link %}[{{ link }}]", "[]"),
        ("{% url name 1 %}", "/blog/1/"),
    ],
)
def test_url_tag(source: str, expected: str) -> None:
    context = {"pk": 42, "name": "blog:article"}
    assert render(source, context) == expected


@pytest.mark.usefixtures("app_templates")
def test_url_tag_without_as_raises_for_an_unknown_name() -> None:
    with pytest.raises(NoReverseMatch, match="nowhere"):
        render("{% url 'nowhere' %}")


def test_url_tag_needs_a_view_name() -> None:
    from manouche.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="takes at least one argument"):
        render("{% url %}")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (
            "tok<en>",
            '<input type="hidden" name="csrfmiddlewaretoken" value="tok&lt;en&gt;">',
        ),
        ("NOTPROVIDED", ""),
    ],
)
def test_csrf_token_tag_renders_an_escaped_hidden_input(
    token: str, expected: str
) -> None:
    assert render("{% csrf_token %}", {"csrf_token": token}) == expected


def test_csrf_token_tag_without_a_token_warns_only_in_debug() -> None:
    assert render("{% csrf_token %}") == ""


def test_debug_tag_is_silent_unless_the_engine_debugs() -> None:
    assert render("{% debug %}", {"secret": "s"}, debug=False) == ""


def test_debug_tag_dumps_the_context_escaped_when_the_engine_debugs() -> None:
    out = render("{% debug %}", {"payload": "<script>"}, debug=True)
    assert "&#x27;payload&#x27;: &#x27;&lt;script&gt;&#x27;" in out
    assert "<script>" not in out
