"""Language information tags and filters, and blocktranslate option parsing."""

from __future__ import annotations

import pytest

from manouche.template import TemplateSyntaxError
from tests.template.helpers import render


def test_language_filters_describe_a_language() -> None:
    source = (
        "{% load i18n %}{{ 'nl'|language_name }} {{ 'nl'|language_name_local }} "
        "{{ 'fa'|language_bidi }} {{ 'nl'|language_name_translated }}"
    )
    assert render(source) == "Dutch Nederlands True Dutch"


def test_get_language_info_list_accepts_codes_and_pairs() -> None:
    source = (
        "{% load i18n %}{% get_language_info_list for langs as infos %}"
        "{% for i in infos %}{{ i.code }}:{{ i.name }};{% endfor %}"
        "{% get_language_info for 'de' as de %}{{ de.name_local }}"
    )
    langs = ["it", ("sl", "Slovenian")]
    assert render(source, {"langs": langs}) == "it:Italian;sl:Slovenian;Deutsch"


def test_get_language_info_requires_for_and_as() -> None:
    with pytest.raises(
        TemplateSyntaxError, match=r"requires 'for string as variable' \(got \[\]\)"
    ):
        render("{% load i18n %}{% get_language_info %}")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% blocktranslate with %}{% endblocktranslate %}", "needs at least one"),
        (
            "{% blocktranslate with a=1 with b=2 %}{% endblocktranslate %}",
            "'with' option was specified more than once",
        ),
        ("{% blocktranslate asvar %}{% endblocktranslate %}", "for the asvar option"),
        ("{% translate 'x' as %}", "for the as option"),
        ("{% translate 'x' context as v %}", "Invalid argument 'as'"),
    ],
)
def test_translate_tags_report_bad_options(source: str, message: str) -> None:
    with pytest.raises(TemplateSyntaxError, match=message):
        render("{% load i18n %}" + source)


def test_blocktranslate_count_must_be_a_number() -> None:
    source = (
        "{% load i18n %}{% blocktranslate count n=v %}one{% plural %}many"
        "{% endblocktranslate %}"
    )
    assert render(source, {"v": 2}) == "many"
    with pytest.raises(TemplateSyntaxError, match="'n' argument to 'blocktranslate'"):
        render(source, {"v": "2"})


def test_blocktranslate_missing_variable_uses_string_if_invalid() -> None:
    source = "{% load i18n %}{% blocktranslate %}[{{ gone }}]{% endblocktranslate %}"
    assert render(source) == "[]"
    assert render(source, string_if_invalid="?%s?") == "[?gone?]"
