"""``{% load i18n %}``: translate, blocktranslate and the language tags."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.template import TemplateSyntaxError
from manouche.test.utils import override_settings
from manouche.utils import translation
from tests.template.helpers import render

COUNTED = (
    "{% blocktranslate count counter=n %}one {{ counter }} item{% plural %}"
    "{{ counter }} items{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{% translate 'Hello' %}", {}, "Hello"),
        ("{% trans 'Hello' as greeting %}[{{ greeting }}]", {}, "[Hello]"),
        ("{% translate 'Hi' noop %}", {}, "Hi"),
        ("{% translate 'May' context 'month' %}", {}, "May"),
        ("{% translate v %}", {"v": "<b>"}, "&lt;b&gt;"),
        (COUNTED, {"n": 1}, "one 1 item"),
        (COUNTED, {"n": 3}, "3 items"),
        (
            "{% blocktranslate with who=name|upper %}Hi {{ who }}"
            "{% endblocktranslate %}",
            {"name": "<b>"},
            "Hi &lt;B&gt;",
        ),
        (
            "{% blocktrans asvar v %}x{{ name }}{% endblocktrans %}[{{ v }}]",
            {"name": "<b>"},
            "[x&lt;b&gt;]",
        ),
        (
            "{% blocktranslate trimmed %}\n  a\n  b\n{% endblocktranslate %}",
            {},
            "a b",
        ),
        ("{% get_current_language as L %}{{ L }}", {}, "en-us"),
        ("{% get_current_language_bidi as b %}{{ b }}", {}, "False"),
        (
            "{% language 'de' %}{% get_current_language as L %}{{ L }}"
            "{% endlanguage %}",
            {},
            "de",
        ),
    ],
)
def test_i18n_tags(source: str, context: dict[str, Any], expected: str) -> None:
    with translation.override("en-us"):
        assert render("{% load i18n %}" + source, context) == expected


@override_settings(LANGUAGES=[("en", "English"), ("fr", "French")])
def test_get_available_languages() -> None:
    source = (
        "{% load i18n %}{% get_available_languages as langs %}"
        "{% for code, name in langs %}{{ code }}={{ name }};{% endfor %}"
    )
    assert render(source) == "en=English;fr=French;"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% get_current_language %}", "requires 'as variable'"),
        ("{% translate 'a' bogus %}", "Unknown argument for 'translate' tag"),
        (
            "{% blocktranslate %}{% if a %}{% endblocktranslate %}",
            "doesn't allow other block tags",
        ),
    ],
)
def test_i18n_tag_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=message):
        render("{% load i18n %}" + source)
