"""Translation stand-ins used when USE_I18N is off: messages pass through."""

from __future__ import annotations

from typing import Any

from manouche.conf import settings
from manouche.utils.translation.trans_real import to_language, to_locale

__all__ = [
    "activate",
    "check_for_language",
    "deactivate",
    "deactivate_all",
    "get_language",
    "get_language_bidi",
    "get_language_from_path",
    "get_language_from_request",
    "get_supported_language_variant",
    "gettext",
    "gettext_noop",
    "ngettext",
    "npgettext",
    "pgettext",
    "to_language",
    "to_locale",
]

_DEFAULT_LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ug", "ur"]


def gettext(message: str) -> str:
    """Return ``message`` untranslated."""
    return message


gettext_noop = gettext


def ngettext(singular: str, plural: str, number: int) -> str:
    """Return ``singular`` for 1, else ``plural``."""
    return singular if number == 1 else plural


def pgettext(context: str, message: str) -> str:
    """Return ``message`` untranslated."""
    return message


def npgettext(context: str, singular: str, plural: str, number: int) -> str:
    """Return ``singular`` for 1, else ``plural``."""
    return ngettext(singular, plural, number)


def activate(language: str) -> None:
    """Do nothing: there is no language to switch to."""


def deactivate() -> None:
    """Do nothing: there is no language to switch from."""


deactivate_all = deactivate


def get_language() -> str:
    """Return LANGUAGE_CODE, the only language there is."""
    return str(settings.LANGUAGE_CODE)


def get_language_bidi() -> bool:
    """Return True when LANGUAGE_CODE is written right to left."""
    bidi = getattr(settings, "LANGUAGES_BIDI", _DEFAULT_LANGUAGES_BIDI)
    return str(settings.LANGUAGE_CODE).split("-")[0] in bidi


def check_for_language(lang_code: str) -> bool:
    """Return True: every language "has" the untranslated messages."""
    return True


def get_language_from_request(request: Any, check_path: bool = False) -> str:
    """Return LANGUAGE_CODE."""
    return str(settings.LANGUAGE_CODE)


def get_language_from_path(path: str, strict: bool = False) -> None:
    """Return None: URLs carry no language without i18n."""
    return None


def get_supported_language_variant(lang_code: str | None, strict: bool = False) -> str:
    """Return ``lang_code`` if it is LANGUAGE_CODE, else raise LookupError."""
    if lang_code and lang_code.lower() == str(settings.LANGUAGE_CODE).lower():
        return lang_code
    raise LookupError(lang_code)
