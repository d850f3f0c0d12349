"""The querystring tag, l10n library, smartif parser, autoreload and repr helpers."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from manouche.http import QueryDict
from manouche.template import (
    Context,
    Engine,
    RequestContext,
    TemplateSyntaxError,
    Variable,
    VariableDoesNotExist,
    autoreload,
)
from manouche.template.base import DebugLexer, Lexer
from manouche.template.smartif import IfParser
from manouche.test.client import RequestFactory
from manouche.test.utils import override_settings
from manouche.utils.version import get_main_version, get_version

from .helpers import render


def _qs(source: str, path: str, extra: dict[str, object] | None = None) -> str:
    request = RequestFactory().get(path)
    template = Engine().from_string(source)
    return str(template.render(RequestContext(request, extra or {})))


def test_querystring_repeats_the_request_query() -> None:
    assert _qs("{% querystring %}", "/?a=1&b=2") == "?a=1&amp;b=2"


def test_querystring_replaces_adds_and_removes_keys() -> None:
    source = "{% querystring a=3 c='x y' b=None %}"
    assert _qs(source, "/?a=1&b=2") == "?a=3&amp;c=x+y"


def test_querystring_is_empty_only_when_nothing_was_there() -> None:
    assert _qs("{% querystring %}", "/") == ""
    assert _qs("{% querystring a=None %}", "/") == ""
    assert _qs("{% querystring a=None %}", "/?a=1") == "?"


def test_querystring_sets_every_value_of_a_list() -> None:
    assert _qs("{% querystring a=v %}", "/", {"v": [1, 2]}) == "?a=1&amp;a=2"


def test_querystring_takes_an_explicit_mapping_without_a_request() -> None:
    template = Engine().from_string("{% querystring q page=2 %}")
    output = template.render(Context({"q": QueryDict("page=1&s=x")}))
    assert output == "?page=2&amp;s=x"


def test_querystring_without_request_or_mapping_raises() -> None:
    template = Engine().from_string("{% querystring %}")
    with pytest.raises(AttributeError, match="has no attribute 'request'"):
        template.render(Context())


@override_settings(USE_THOUSAND_SEPARATOR=True, NUMBER_GROUPING=3)
def test_localize_tag_and_filters_switch_grouping() -> None:
    source = (
        "{% load l10n %}{{ n }} {% localize off %}{{ n }}{% endlocalize %} "
        "{{ n|unlocalize }} {{ n|localize }}"
    )
    libraries = {"l10n": "manouche.templatetags.l10n"}
    assert render(source, {"n": 12345}, libraries=libraries) == (
        "12,345 12345 12345 12,345"
    )


def test_localize_tag_rejects_other_arguments() -> None:
    libraries = {"l10n": "manouche.templatetags.l10n"}
    with pytest.raises(TemplateSyntaxError, match="argument should be 'on' or 'off'"):
        render(
            "{% load l10n %}{% localize maybe %}{% endlocalize %}", libraries=libraries
        )


def test_smartif_parses_with_python_precedence() -> None:
    tree = IfParser([1, "==", 2, "and", 3, "or", 4]).parse()
    assert repr(tree) == (
        "(or (and (== (literal 1) (literal 2)) (literal 3)) (literal 4))"
    )
    assert tree.eval({}) == 4
    assert IfParser([1, "not", "in", None]).parse().eval({}) is False
    with pytest.raises(ValueError, match="Not expecting 'or' in this position"):
        IfParser(["or"]).parse()


def test_variable_resolve_accepts_plain_dicts_and_logs_misses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert Variable("a.b").resolve({"a": {"b": 1}}) == 1
    missing = r"key \[c\] in \{'b': 1\}"
    with (
        caplog.at_level(logging.DEBUG, logger="manouche.template"),
        pytest.raises(VariableDoesNotExist, match=missing),
    ):
        Variable("a.c").resolve({"a": {"b": 1}})
    assert caplog.records[0].getMessage() == (
        "Exception while resolving variable 'c' in template 'unknown'."
    )


def test_missing_filter_argument_in_if_makes_condition_false() -> None:
    source = "{% if x|default_if_none:y %}yes{% else %}no{% endif %}"
    assert render(source) == "no"


def test_widthratio_rejects_a_non_numeric_width() -> None:
    with pytest.raises(TemplateSyntaxError, match="final argument must be a number"):
        render("{% widthratio a b c %}", {"a": 1, "b": 2, "c": "wide"})


def test_only_the_debug_lexer_records_positions() -> None:
    source = "a{{ b }}"
    assert [t.position for t in Lexer(source).tokenize()] == [None, None]
    assert [t.position for t in DebugLexer(source).tokenize()] == [(0, 1), (1, 8)]


def test_template_change_resets_loaders_only_inside_template_dirs(
    tmp_path: Path,
) -> None:
    templates = [
        {
            "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
            "DIRS": [tmp_path],
            "OPTIONS": {"loaders": ["manouche.template.loaders.filesystem.Loader"]},
        }
    ]
    with override_settings(TEMPLATES=templates):
        assert autoreload.get_template_directories() == {tmp_path}
        assert autoreload.template_changed(None, tmp_path / "page.html") is True
        assert autoreload.template_changed(None, tmp_path / "views.py") is None
        assert autoreload.template_changed(None, Path("/elsewhere/x.html")) is None


def test_version_strings() -> None:
    assert get_version((1, 2, 0, "final", 0)) == "1.2"
    assert get_version((1, 2, 3, "rc", 1)) == "1.2.3rc1"
    assert get_main_version((5, 1, 0, "alpha", 0)) == "5.1"
