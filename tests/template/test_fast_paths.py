"""The fast paths of rendering keep the semantics of the slow ones.

Compiled ``{% include %}`` and ``{% extends %}`` remember templates between
renders while the cached loader holds them; stringfilters are called without
their wrapper; plain strings skip escaping. Each test here checks that the
output, the errors and the test instrumentation stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest

from manouche.template import (
    Context,
    Engine,
    Template,
    TemplateDoesNotExist,
    TemplateSyntaxError,
    loader_tags,
)
from manouche.template.defaultfilters import stringfilter
from manouche.template.library import Library
from manouche.template.loaders.cached import Loader as CachedLoader
from manouche.test.signals import template_rendered
from manouche.test.utils import override_settings
from manouche.utils.safestring import SafeData, SafeString, mark_safe

SOURCES = {
    "inc.html": "({{ x }}{{ y }})",
    "other.html": "<{{ x }}>",
    "base.html": "[{% block a %}A{% endblock %}]",
    "child.html": (
        "{% extends 'base.html' %}{% block a %}a{{ block.super }}{% endblock %}"
    ),
    "tree.html": (
        "{{ node.name }}{% if node.kids %}({% for node in node.kids %}"
        "{% include 'tree.html' %}{% endfor %}){% endif %}"
    ),
    "loop.html": "{% include 'loop.html' %}",
    "cycler.html": "{% cycle 'p' 'q' as c %}",
    "setter.html": "{% with z='inner' %}{{ z }}{% endwith %}",
}


@pytest.fixture(params=["plain", "instrumented"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Render without the test instrumentation, and with it.

    The test session instruments ``Template._render``; the fast path that
    production takes runs only when it is the original method.
    """
    if request.param == "plain":
        monkeypatch.setattr(Template, "_render", loader_tags._plain_render)
    else:
        assert Template._render is not loader_tags._plain_render
    return str(request.param)


def cached_engine(sources: dict[str, str] | None = None, **options: Any) -> Engine:
    """An engine with the cached loader over in-memory templates."""
    return Engine(
        loaders=[
            (
                "manouche.template.loaders.cached.Loader",
                [("manouche.template.loaders.locmem.Loader", dict(sources or SOURCES))],
            )
        ],
        **options,
    )


def locmem(engine: Engine) -> dict[str, str]:
    """The dict of templates under the engine's cached loader."""
    cached = engine.template_loaders[0]
    assert isinstance(cached, CachedLoader)
    templates: dict[str, str] = cached.loaders[0].templates_dict
    return templates


def render(engine: Engine, source: str, **context: Any) -> str:
    return str(engine.from_string(source).render(Context(context)))


@pytest.mark.usefixtures("mode")
def test_constant_include_renders_again_from_the_cached_loader() -> None:
    engine = cached_engine()
    template = engine.from_string("{% include 'inc.html' %}")
    assert template.render(Context({"x": 1, "y": 2})) == "(12)"
    assert template.render(Context({"x": 3, "y": 4})) == "(34)"


@pytest.mark.usefixtures("mode")
def test_constant_include_sees_a_reset_of_the_cached_loader() -> None:
    engine = cached_engine()
    template = engine.from_string("{% include 'inc.html' %}")
    assert template.render(Context({"x": 1})) == "(1)"
    locmem(engine)["inc.html"] = "new {{ x }}"
    assert template.render(Context({"x": 1})) == "(1)"
    engine.template_loaders[0].reset()
    assert template.render(Context({"x": 1})) == "new 1"


@pytest.mark.usefixtures("mode")
def test_constant_include_without_cached_loader_reloads_every_render() -> None:
    sources = dict(SOURCES)
    engine = Engine(loaders=[("manouche.template.loaders.locmem.Loader", sources)])
    template = engine.from_string("{% include 'inc.html' %}")
    assert template.render(Context({"x": 1})) == "(1)"
    sources["inc.html"] = "changed"
    assert template.render(Context({"x": 1})) == "changed"


@pytest.mark.usefixtures("mode")
def test_include_of_a_variable_name_a_list_or_a_template() -> None:
    engine = cached_engine()
    source = "{% include name %}"
    assert render(engine, source, name="inc.html", x=1) == "(1)"
    assert render(engine, source, name="other.html", x="&") == "<&amp;>"
    assert render(engine, source, name=["nope.html", "other.html"], x=2) == "<2>"
    assert render(engine, source, name=engine.get_template("inc.html"), x=3) == "(3)"


@pytest.mark.usefixtures("mode")
def test_include_with_values_and_only() -> None:
    engine = cached_engine()
    source = (
        "{% include 'inc.html' with x=1 %}{% include 'inc.html' with x=v only %}"
        "{% include 'inc.html' only %}{{ x }}"
    )
    assert render(engine, source, y="Y", v="V", x="X") == "(1Y)(V)()X"


@pytest.mark.usefixtures("mode")
def test_include_keeps_its_assignments_to_itself() -> None:
    engine = cached_engine()
    source = "{% include 'setter.html' %}[{{ z }}]"
    assert render(engine, source, z="outer") == "inner[outer]"


@pytest.mark.usefixtures("mode")
def test_include_set_upward_rebinds_the_loop_variable_like_django() -> None:
    engine = cached_engine()
    source = "{% for c in items %}{% include 'cycler.html' %}{{ c }};{% endfor %}"
    # Each include renders with fresh tag state, and the cycle's ``as``
    # rebinds the includer's loop variable through set_upward.
    assert render(engine, source, items=[1, 2]) == "pp;pp;"


@pytest.mark.usefixtures("mode")
def test_missing_included_template_raises_when_rendered() -> None:
    engine = cached_engine()
    template = engine.from_string("x{% include 'missing.html' %}")
    with pytest.raises(TemplateDoesNotExist, match="missing.html"):
        template.render(Context())
    dynamic = engine.from_string("{% include name %}")
    with pytest.raises(TemplateDoesNotExist, match="No template names provided"):
        dynamic.render(Context({"name": ""}))


@pytest.mark.usefixtures("mode")
def test_missing_included_template_is_found_once_added_and_reset() -> None:
    engine = cached_engine()
    template = engine.from_string("{% include 'late.html' %}")
    with pytest.raises(TemplateDoesNotExist):
        template.render(Context())
    locmem(engine)["late.html"] = "late"
    engine.template_loaders[0].reset()
    assert template.render(Context()) == "late"


@pytest.mark.usefixtures("mode")
def test_recursive_include_renders_a_tree() -> None:
    engine = cached_engine()
    tree = {
        "name": "r",
        "kids": [{"name": "a", "kids": [{"name": "b"}]}, {"name": "c"}],
    }
    template = engine.get_template("tree.html")
    assert template.render(Context({"node": tree})) == "r(a(b)c)"


@pytest.mark.usefixtures("mode")
def test_endless_include_recursion_raises_recursion_error() -> None:
    template = cached_engine().get_template("loop.html")
    with pytest.raises(RecursionError):
        template.render(Context())


def test_relative_include_of_itself_is_allowed_but_extends_is_not() -> None:
    engine = cached_engine({"dir/a.html": "{% include './a.html' %}"})
    with pytest.raises(RecursionError):
        engine.get_template("dir/a.html").render(Context())
    bad = {"dir/b.html": "{% extends './b.html' %}"}
    with pytest.raises(TemplateSyntaxError, match="the same template"):
        cached_engine(bad).get_template("dir/b.html")


def test_template_rendered_fires_once_per_include_and_parent() -> None:
    engine = cached_engine()
    template = engine.from_string(
        "{% include 'inc.html' %}{% include 'child.html' %}{% include 'inc.html' %}"
    )
    seen: list[str | None] = []

    def receiver(sender: Any, template: Any, **kwargs: Any) -> None:
        seen.append(template.name)

    template_rendered.connect(receiver)
    try:
        assert template.render(Context({"x": 1})) == "(1)[aA](1)"
    finally:
        template_rendered.disconnect(receiver)
    assert seen == [None, "inc.html", "child.html", "base.html", "inc.html"]


def test_fast_include_announces_nothing_without_instrumentation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Template, "_render", loader_tags._plain_render)
    seen: list[Any] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(sender)

    template_rendered.connect(receiver)
    try:
        out = cached_engine().from_string("{% include 'inc.html' %}")
        assert out.render(Context({"x": 1})) == "(1)"
    finally:
        template_rendered.disconnect(receiver)
    assert seen == []


@pytest.mark.usefixtures("mode")
def test_error_in_an_included_template_names_it_in_debug() -> None:
    engine = cached_engine({"bad.html": "ok\n{{ 1|divisibleby:0 }}"}, debug=True)
    template = engine.from_string("{% include 'bad.html' %}")
    with pytest.raises(ZeroDivisionError) as info:
        template.render(Context())
    debug = info.value.template_debug  # type: ignore[attr-defined]
    assert (debug["name"], debug["line"]) == ("bad.html", 2)


@pytest.mark.usefixtures("mode")
def test_include_inside_a_block_of_a_child() -> None:
    engine = cached_engine(
        {
            "base.html": "<{% block b %}{% endblock %}>",
            "child.html": (
                "{% extends 'base.html' %}{% block b %}{% include 'inc.html' %}"
                "{% endblock %}"
            ),
            "inc.html": "{% block b %}inner{% endblock %}{{ x }}",
        }
    )
    # The included template's blocks are its own, not the child's.
    assert engine.get_template("child.html").render(Context({"x": 1})) == "<inner1>"


class PlainTemplate(Template):
    """A Template subclass: includes go through its own render."""

    def render(self, context: Context) -> SafeString:
        return SafeString("sub:" + super().render(context))


@pytest.mark.usefixtures("mode")
def test_include_of_a_template_subclass_uses_its_render() -> None:
    engine = cached_engine()
    included = PlainTemplate("{{ x }}", engine=engine)
    assert render(engine, "{% include t %}", t=included, x=1) == "sub:1"


@pytest.mark.usefixtures("mode")
def test_extends_sees_a_reset_of_the_cached_loader() -> None:
    engine = cached_engine()
    child = engine.get_template("child.html")
    assert child.render(Context()) == "[aA]"
    assert child.render(Context()) == "[aA]"
    locmem(engine)["base.html"] = "<{% block a %}{% endblock %}>"
    engine.template_loaders[0].reset()
    child = engine.get_template("child.html")
    assert child.render(Context()) == "<a>"


@pytest.mark.usefixtures("mode")
def test_extends_of_a_template_with_the_same_name_in_another_loader() -> None:
    engine = Engine(
        loaders=[
            (
                "manouche.template.loaders.cached.Loader",
                [
                    (
                        "manouche.template.loaders.locmem.Loader",
                        {
                            "p.html": (
                                "{% extends 'p.html' %}{% block a %}top{% endblock %}"
                            )
                        },
                    ),
                    (
                        "manouche.template.loaders.locmem.Loader",
                        {"p.html": "<{% block a %}bottom{% endblock %}>"},
                    ),
                ],
            )
        ]
    )
    template = engine.get_template("p.html")
    assert template.render(Context()) == "<top>"
    assert template.render(Context()) == "<top>"


@pytest.mark.usefixtures("mode")
def test_three_level_inheritance_renders_repeatedly() -> None:
    engine = cached_engine(
        {
            "a.html": "{% block x %}A{% endblock %}",
            "b.html": "{% extends 'a.html' %}{% block x %}B{{ block.super }}"
            "{% endblock %}",
            "c.html": "{% extends 'b.html' %}{% block x %}C{{ block.super }}"
            "{% endblock %}",
        }
    )
    template = engine.get_template("c.html")
    assert [template.render(Context()) for _ in range(2)] == ["CBA", "CBA"]


# -- stringfilters and escaping ------------------------------------------


class Html:
    """An object whose str() is safe HTML (like a rendered form field)."""

    def __str__(self) -> str:
        return SafeString("<i>hi</i>")


class NotSafe:
    def __str__(self) -> str:
        return "<b>x</b>"


lib = Library()


@lib.filter(is_safe=False)
@stringfilter
def shout(value: str) -> str:
    return value + "!"


@lib.filter(is_safe=True)
@stringfilter
def wrap_in(value: str, arg: str) -> str:
    return f"{arg}{value}{arg}"


def filter_engine() -> Engine:
    engine = Engine()
    engine.template_builtins.append(lib)
    return engine


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v|title }}", "it's a <b>", "It&#x27;s A &lt;B&gt;"),
        ("{{ v|title }}", mark_safe("<b>bold</b>"), "<B>Bold</B>"),
        ("{{ v|title }}", Html(), "<I>Hi</I>"),
        ("{{ v|title }}", NotSafe(), "&lt;B&gt;X&lt;/B&gt;"),
        ("{{ v|title }}", 7, "7"),
        ("{{ v|title }}", "1st 2nd", "1st 2nd"),
        ("{{ v|upper|lower }}", mark_safe("<A>"), "&lt;a&gt;"),
        ("{{ v|lower }}", mark_safe("<A>"), "<a>"),
        ("{{ v|shout }}", mark_safe("<a>"), "&lt;a&gt;!"),
        ("{{ v|wrap_in:'*' }}", mark_safe("<a>"), "*<a>*"),
        ("{{ v|wrap_in:'*' }}", "<a>", "*&lt;a&gt;*"),
        ("{{ v|wrap_in:'*' }}", Html(), "*<i>hi</i>*"),
        ("{{ v|truncatewords:2 }}", mark_safe("<b>a b c</b>"), "<b>a b …"),
        ("{{ v|linebreaksbr }}", "a\n<b>", "a<br>&lt;b&gt;"),
        ("{{ v|cut:' ' }}", mark_safe("<a b>"), "<ab>"),
        ("{{ missing|title }}|{{ missing.attr.x|upper }}", None, "|"),
    ],
)
def test_stringfilters_keep_their_output_and_safety(
    source: str, value: Any, expected: str
) -> None:
    template = filter_engine().from_string(source)
    assert template.render(Context({"v": value})) == expected


def test_stringfilter_result_is_safe_only_when_it_should_be() -> None:
    engine = filter_engine()
    safe = engine.from_string(
        "{% filter force_escape %}{{ v|wrap_in:'*' }}{% endfilter %}"
    )
    assert safe.render(Context({"v": mark_safe("<a>")})) == "*&lt;a&gt;*"
    value = (
        filter_engine()
        .from_string("{{ v|title|escape }}")
        .render(Context({"v": Html()}))
    )
    assert value == "<I>Hi</I>"
    assert isinstance(mark_safe("x"), SafeData)


@pytest.mark.parametrize("char", ["&", "<", ">", '"', "'"])
def test_every_special_character_is_still_escaped(char: str) -> None:
    out = Engine().from_string("{{ v }}").render(Context({"v": f"a{char}b"}))
    assert (
        out
        == "a"
        + {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}[char]
        + "b"
    )


def test_plain_text_is_returned_unescaped_and_unchanged() -> None:
    text = "plain text with no specials: ü ∑ 1+1=2"
    assert Engine().from_string("{{ v }}").render(Context({"v": text})) == text


def test_a_custom_context_bind_template_still_runs() -> None:
    calls: list[Any] = []

    class Tracking(Context):
        def bind_template(self, template: Any) -> Any:
            calls.append(template)
            return super().bind_template(template)

    template = Engine().from_string("{{ x }}")
    assert template.render(Tracking({"x": 1})) == "1"
    assert calls == [template]


def test_render_context_setdefault_uses_the_current_layer() -> None:
    context = Context()
    render_context = context.render_context
    assert render_context.setdefault("k", 1) == 1
    render_context.push()
    assert "k" not in render_context
    assert render_context.setdefault("k", 2) == 2
    render_context.pop()
    assert render_context["k"] == 1


@override_settings(USE_TZ=True)
def test_output_of_functions_with_no_output() -> None:
    engine = Engine()
    assert engine.from_string("{% with a=1 %}{% endwith %}").render(Context()) == ""
    assert engine.from_string("").render(Context()) == ""
    template = engine.from_string("{% block a %}{% endblock %}x")
    assert template.render(Context()) == "x"


@pytest.mark.usefixtures("mode")
def test_include_resolves_its_name_once_per_render() -> None:
    engine = cached_engine()
    calls: list[int] = []

    def name() -> str:
        calls.append(1)
        return "inc.html"

    def subclass() -> Template:
        calls.append(1)
        return PlainTemplate("{{ x }}", engine=engine)

    source = "{% include n %}{% include n only %}{% include s %}{% include s only %}"
    out = render(engine, source, n=name, s=subclass, x=1)
    assert out == "(1)()sub:1sub:"
    assert len(calls) == 4
