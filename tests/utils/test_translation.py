"""manouche.utils.translation: catalogs, the active language, negotiation."""

from __future__ import annotations

import pathlib

import pytest

from manouche.test import RequestFactory
from manouche.test.utils import override_settings
from manouche.utils import translation
from manouche.utils.safestring import SafeString, mark_safe
from manouche.utils.translation import trans_real

LOCALE = str(pathlib.Path(__file__).parent / "translation_locale")


@pytest.fixture
def german_catalog():
    with override_settings(
        LOCALE_PATHS=[LOCALE], LANGUAGES=[("en", "English"), ("de", "German")]
    ):
        yield


def test_catalog_from_locale_paths_is_used_for_the_active_language(german_catalog):
    with translation.override("de"):
        assert translation.gettext("Hello") == "Hallo"
        assert translation.pgettext("month", "May") == "Mai"
        assert translation.ngettext("apple", "apples", 1) == "Apfel"
        assert translation.ngettext("apple", "apples", 3) == "Äpfel"
        assert translation.gettext("Unknown") == "Unknown"
    assert translation.gettext("Hello") == "Hello"


def test_lazy_text_follows_the_language_at_use_time(german_catalog):
    lazy = translation.gettext_lazy("Hello")
    with translation.override("de"):
        assert str(lazy) == "Hallo"
    assert str(lazy) == "Hello"


def test_ngettext_lazy_takes_the_number_from_formatting_values(german_catalog):
    lazy = translation.ngettext_lazy("%(n)s apple", "%(n)s apples", "n")
    assert lazy % {"n": 1} == "1 apple"
    assert lazy % {"n": 2} == "2 apples"
    with pytest.raises(KeyError, match="lacks key 'n'"):
        lazy % {"x": 1}


def test_override_restores_and_deactivate_all_removes_the_language():
    with translation.override("fr"):
        assert translation.get_language() == "fr"
        with translation.override(None):
            assert translation.get_language() is None
        assert translation.get_language() == "fr"
    assert translation.get_language() == "en-us"


def test_safe_messages_stay_safe():
    assert isinstance(translation.gettext(mark_safe("Hello")), SafeString)


def test_without_i18n_messages_pass_through(german_catalog):
    with override_settings(USE_I18N=False):
        translation.activate("de")
        assert translation.gettext("Hello") == "Hello"
        assert translation.get_language() == "en-us"
    with translation.override("de"):
        assert translation.gettext("Hello") == "Hallo"


@pytest.mark.parametrize(
    ("language", "locale"),
    [("en-us", "en_US"), ("sr-latn", "sr_Latn"), ("de", "de"), ("EN-us", "en_US")],
)
def test_to_locale_and_back(language, locale):
    assert translation.to_locale(language) == locale
    assert translation.to_language(locale) == language.lower()


@override_settings(LANGUAGES=[("en", "English"), ("pt-br", "Portuguese"), ("de", "G")])
def test_supported_variant_falls_back_to_generic_or_regional():
    assert translation.get_supported_language_variant("de-at") == "de"
    assert translation.get_supported_language_variant("pt") == "pt-br"
    with pytest.raises(LookupError):
        translation.get_supported_language_variant("pt", strict=True)
    with pytest.raises(LookupError):
        translation.get_supported_language_variant("x" * 501)


@override_settings(LANGUAGES=[("en", "English"), ("de", "German"), ("fr", "French")])
def test_language_from_request_prefers_path_then_cookie_then_header():
    factory = RequestFactory()
    request = factory.get("/fr/page/", HTTP_ACCEPT_LANGUAGE="de;q=0.9, xx")
    assert translation.get_language_from_request(request, check_path=True) == "fr"
    assert translation.get_language_from_request(request) == "de"
    request.COOKIES["manouche_language"] = "fr"
    assert translation.get_language_from_request(request) == "fr"


@pytest.mark.parametrize(
    ("header", "parsed"),
    [
        ("de;q=0.5, fr", (("fr", 1.0), ("de", 0.5))),
        ("*", (("*", 1.0),)),
        ("de;q=2", ()),
        ("x" * 600, ()),
    ],
)
def test_accept_language_parsing_is_bounded_and_strict(header, parsed):
    assert trans_real.parse_accept_lang_header(header) == parsed


def test_overlong_accept_language_is_cut_at_the_last_complete_entry():
    parsed = trans_real.parse_accept_lang_header("en-us, " * 100)
    assert 0 < len(parsed) < 100
    assert {language for language, _ in parsed} == {"en-us"}


def test_language_info_knows_bidi_and_fallbacks():
    assert translation.get_language_info("ar")["bidi"] is True
    assert translation.get_language_info("zh-cn")["code"] == "zh-hans"
    assert translation.get_language_info("de-at")["name"] == "German"
    with pytest.raises(KeyError, match="Unknown language code xx."):
        translation.get_language_info("xx")
