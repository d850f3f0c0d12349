"""Variable resolution, Template objects, syntax and rendering errors."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.template import (
    Context,
    Engine,
    Template,
    TemplateSyntaxError,
    VariableDoesNotExist,
)
from manouche.utils.safestring import mark_safe
from tests.template.helpers import render


class Obj:
    name = "obj"
    items = (1, 2)

    def method(self) -> str:
        return "called"

    def danger(self) -> str:
        raise AssertionError("must not be called")

    danger.alters_data = True  # type: ignore[attr-defined]

    @property
    def boom(self) -> str:
        raise ZeroDivisionError("boom")


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
        ("{{ 'a'|add:'b' }} {{ 1|add:2 }}", {}, "ab 3"),
    ],
)
def test_variable_lookups(source: str, context: dict[str, Any], expected: str) -> None:
    assert render(source, context) == expected


def test_string_if_invalid_names_the_variable_and_skips_filters() -> None:
    assert (
        render("{{ nope|upper }}", {}, string_if_invalid="INVALID(%s)")
        == "INVALID(nope)"
    )


def test_missing_filter_argument_raises() -> None:
    with pytest.raises(VariableDoesNotExist, match="nope"):
        render("{{ 'a'|default:nope }}", {})


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
    with pytest.raises(TemplateSyntaxError) as info:
        Engine(debug=True).from_string(source)
    assert message in str(info.value)
    assert "template '<unknown source>'" in str(info.value)
    assert info.value.template_debug["line"] >= 1


def test_template_compiles_once_to_python() -> None:
    t = Template("{{ a }}", engine=Engine())
    assert t.render(Context({"a": 1})) == "1"
    assert "_root" in t._source_code


DEBUG_KEYS = {
    "name",
    "line",
    "message",
    "source_lines",
    "before",
    "during",
    "after",
    "top",
    "bottom",
    "total",
}


def test_render_error_carries_template_debug_of_the_failing_token() -> None:
    source = "one\n{% for i in l %}\n  <b>{{ o.boom }}</b>\n{% endfor %}\nend"
    template = Engine(debug=True).from_string(source)
    with pytest.raises(ZeroDivisionError, match="boom") as info:
        template.render(Context({"o": Obj(), "l": [1]}))
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert set(debug) >= DEBUG_KEYS
    assert debug["line"] == 3
    assert debug["during"] == "{{ o.boom }}"
    assert debug["before"] == "  <b>"
    assert debug["after"] == "</b>\n"
    assert debug["message"] == "boom"
    assert debug["name"] == "<unknown source>"
    assert (debug["top"], debug["bottom"], debug["total"]) == (1, 5, 5)
    assert debug["source_lines"][2] == (3, "  <b>{{ o.boom }}</b>\n")


def test_render_error_in_a_filter_argument_points_at_its_tag() -> None:
    template = Engine(debug=True).from_string("a\n\n{{ 1|add:o.boom }}")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(Context({"o": Obj()}))
    assert info.value.template_debug["line"] == 3  # type: ignore[attr-defined]


def test_render_error_inside_a_block_names_the_child_template(engine: Engine) -> None:
    from manouche.template.loaders.locmem import Loader

    loader = engine.template_loaders[0]
    assert isinstance(loader, Loader)
    loader.templates_dict["broken.html"] = (
        "{% extends 'base.html' %}{% block b %}\n\n{{ o.boom }}{% endblock %}"
    )
    with pytest.raises(ZeroDivisionError) as info:
        engine.get_template("broken.html").render(Context({"o": Obj()}))
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert (debug["name"], debug["line"]) == ("broken.html", 3)


def test_render_error_inside_an_include_names_the_included_template(
    engine: Engine,
) -> None:
    from manouche.template.loaders.locmem import Loader

    loader = engine.template_loaders[0]
    assert isinstance(loader, Loader)
    loader.templates_dict["bad_inc.html"] = "x\n{{ o.boom }}"
    template = engine.from_string("{% include 'bad_inc.html' %}")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(Context({"o": Obj()}))
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert (debug["name"], debug["line"]) == ("bad_inc.html", 2)


def test_render_errors_carry_no_template_debug_without_debug() -> None:
    template = Engine(debug=False).from_string("{{ o.boom }}")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(Context({"o": Obj()}))
    assert not hasattr(info.value, "template_debug")


@pytest.mark.usefixtures("app_templates")
def test_render_error_in_a_custom_tag_points_at_the_tag() -> None:
    from manouche.template import engines

    backend = engines["manouche"]
    backend.engine.debug = True
    template = backend.from_string("{% load custom %}\n{% explode %}")
    with pytest.raises(ZeroDivisionError, match="exploded") as info:
        template.render({})
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert (debug["line"], debug["during"]) == (2, "{% explode %}")


@pytest.mark.usefixtures("app_templates")
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% for x in l %}{{ x }}{% rebind 'x' 'new' %}{{ x }};{% endfor %}",
            "anew;bnew;",
        ),
        ("{% with x='old' %}{% rebind 'x' 'new' %}{{ x }}{% endwith %}", "new"),
        (
            "{% for x in l %}{% with y=x %}{% rebind 'x' 'z' %}{{ x }}{{ y }}"
            "{% endwith %}{% endfor %}",
            "zazb",
        ),
    ],
)
def test_custom_tag_rebinding_a_loop_or_with_variable_is_seen(
    source: str, expected: str
) -> None:
    from manouche.template import engines

    template = engines["manouche"].from_string("{% load custom %}" + source)
    assert template.render({"l": ["a", "b"]}) == expected


def test_debug_source_lines_end_with_the_line_after_the_last_break() -> None:
    template = Engine(debug=True).from_string("a\n{{ o.boom }}\n")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(Context({"o": Obj()}))
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert debug["source_lines"] == [(1, "a\n"), (2, "{{ o.boom }}\n"), (3, "")]
    assert debug["total"] == 3
