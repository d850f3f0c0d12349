"""Custom tag libraries: every registration helper of Library."""

from __future__ import annotations

import pytest

from manouche import template
from manouche.template import Library, TemplateSyntaxError


@pytest.mark.usefixtures("app_templates")
def test_custom_libraries_of_every_kind() -> None:
    from manouche.template import engines

    src = (
        "{% load custom %}{{ 'a'|shout }} {% add_up 1 b=2 %} {% add_up 5 as r %}"
        "{{ r }} {% greet 'bob' %} {% show_item 'pen' %}"
        "{% box kind='k' %}<{{ x }}>{% endbox %} "
        "{% upper_block %}abc{{ x }}{% endupper_block %}"
    )
    out = engines["manouche"].from_string(src).render({"site": "S", "x": "y"})
    assert out == "a! 3 6 &lt;hi bob from S&gt; <i>pen</i>\n[k:&lt;y&gt;] ABCY"


def test_filter_registration_forms_keep_flags() -> None:
    register = Library()

    @register.filter
    def one(value: str) -> str:
        return value

    @register.filter("two", is_safe=True)
    def second(value: str) -> str:
        return value

    def third(value: str) -> str:
        return value

    register.filter("three", third, needs_autoescape=True)
    assert register.filters == {"one": one, "two": second, "three": third}
    assert second.is_safe is True  # type: ignore[attr-defined]
    assert third.needs_autoescape is True  # type: ignore[attr-defined]


def test_tag_registration_forms() -> None:
    register = Library()

    @register.tag
    def one(parser: object, token: object) -> template.Node:
        return template.Node()

    @register.tag("two")
    def second(parser: object, token: object) -> template.Node:
        return template.Node()

    assert register.tags == {"one": one, "two": second}
    with pytest.raises(ValueError, match="Unsupported arguments to Library.tag"):
        register.tag(None, one)  # type: ignore[call-overload]  # wrong on purpose


def _parse_with(register: Library, source: str) -> None:
    parser = template.base.Parser(
        template.base.Lexer(source).tokenize(), builtins=[register]
    )
    parser.parse()


def test_simple_block_tag_needs_a_content_argument_when_used() -> None:
    register = Library()

    # Registration succeeds (a library module must import); using it fails.
    @register.simple_block_tag
    def box(kind: str) -> str:
        return kind

    with pytest.raises(TemplateSyntaxError, match="first argument of 'content'"):
        _parse_with(register, "{% box 'a' %}x{% endbox %}")


def test_simple_block_tag_with_context_needs_context_then_content() -> None:
    register = Library()

    @register.simple_block_tag(takes_context=True)
    def panel(context: object, kind: str) -> str:
        return kind

    with pytest.raises(
        TemplateSyntaxError,
        match="takes_context=True so it must have a first argument of 'context' "
        "and a second argument of 'content'",
    ):
        _parse_with(register, "{% panel 'a' %}x{% endpanel %}")
