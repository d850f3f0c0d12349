"""Translation machinery used when USE_I18N is on.

Catalogs are stdlib ``gettext`` ``.mo`` files of the ``manouche`` domain found in
LOCALE_PATHS, the installed apps' ``locale`` folders and manouche's own
``conf/locale``. manouche ships no catalogs, so without project catalogs every
message comes back in English. The active translation is held per context
(contextvars), so concurrent requests on one event loop never see each other's
language.
"""

from __future__ import annotations

import functools
import gettext as gettext_module
import os
import re
from contextvars import ContextVar
from typing import Any

from manouche.conf import settings
from manouche.conf.locale import LANG_INFO
from manouche.utils.safestring import SafeData, mark_safe

__all__ = [
    "ACCEPT_LANGUAGE_HEADER_MAX_LENGTH",
    "CONTEXT_SEPARATOR",
    "LANGUAGE_CODE_MAX_LENGTH",
    "DjangoTranslation",
    "activate",
    "all_locale_paths",
    "check_for_language",
    "deactivate",
    "deactivate_all",
    "get_language",
    "get_language_bidi",
    "get_language_from_path",
    "get_language_from_request",
    "get_languages",
    "get_supported_language_variant",
    "gettext",
    "gettext_noop",
    "ngettext",
    "npgettext",
    "parse_accept_lang_header",
    "pgettext",
    "to_language",
    "to_locale",
    "translation",
]

DOMAIN = "manouche"
CONTEXT_SEPARATOR = "\x04"
# Bounds on attacker-controlled input (Accept-Language, cookies, URL prefixes).
ACCEPT_LANGUAGE_HEADER_MAX_LENGTH = 500
LANGUAGE_CODE_MAX_LENGTH = 500

_DEFAULT_LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ug", "ur"]

# Language code per BCP 47 as far as manouche cares: "de", "pt-br", "sr@latin".
language_code_re = re.compile(
    r"^[a-z]{1,8}(?:-[a-z0-9]{1,8})*(?:@[a-z0-9]{1,20})?$", re.IGNORECASE
)
language_code_prefix_re = re.compile(r"^/(\w+([@-]\w+){0,2})(/|$)")
accept_language_re = re.compile(
    r"""
    # "en", "en-au", "x-y-z", "es-419", "*"
    ([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)
    # optional quality: "q=1", "q=1.0", "q=0.8", "q=0.125"
    (?:\s*;\s*q=(0(?:\.[0-9]{,3})?|1(?:\.0{,3})?))?
    # followed by a comma or the end of the string
    (?:\s*,\s*|$)
    """,
    re.VERBOSE,
)

# language code -> DjangoTranslation; tests reset it by assigning a new dict.
_translations: dict[str, DjangoTranslation] = {}
_default: DjangoTranslation | None = None


class _ActiveTranslation:
    """The translation active in this context, read as ``_active.value``.

    Backed by a ContextVar, so each request, task and thread has its own.
    Code reads it with ``getattr(_active, "value", None)`` as Django's does,
    so tests may swap ``_active`` for another local object.
    """

    __slots__ = ()
    _var: ContextVar[gettext_module.NullTranslations | None] = ContextVar(
        "manouche_active_translation", default=None
    )

    @property
    def value(self) -> gettext_module.NullTranslations | None:
        return self._var.get()

    @value.setter
    def value(self, translation: gettext_module.NullTranslations | None) -> None:
        self._var.set(translation)

    @value.deleter
    def value(self) -> None:
        self._var.set(None)


_active: Any = _ActiveTranslation()


def to_locale(language: str) -> str:
    """Turn a language name (en-us) into a locale name (en_US)."""
    lang, _, country = language.lower().partition("-")
    if not country:
        return language[:3].lower() + language[3:]
    country, _, tail = country.partition("-")
    country = country.title() if len(country) > 2 else country.upper()
    if tail:
        country += "-" + tail
    return f"{lang}_{country}"


def to_language(locale: str) -> str:
    """Turn a locale name (en_US) into a language name (en-us)."""
    lang, sep, country = locale.partition("_")
    if not sep:
        return locale.lower()
    return f"{lang.lower()}-{country.lower()}"


def _framework_locale_path() -> str:
    import manouche

    return os.path.join(os.path.dirname(manouche.__file__), "conf", "locale")


def _app_locale_paths() -> list[str]:
    from manouche.apps import apps

    if not apps.ready:
        return []
    paths = []
    for app_config in apps.get_app_configs():
        path = os.path.join(app_config.path, "locale")
        if os.path.isdir(path):
            paths.append(path)
    return paths


def all_locale_paths() -> list[str]:
    """Return every folder searched for catalogs, framework first."""
    locale_paths = [str(path) for path in settings.LOCALE_PATHS]
    return [_framework_locale_path(), *locale_paths, *_app_locale_paths()]


class _NoTranslation(gettext_module.NullTranslations):
    """What ``deactivate_all()`` installs: messages untouched, no language."""

    def to_language(self) -> None:
        return None


class DjangoTranslation(gettext_module.NullTranslations):
    """The catalogs of one language, merged by priority.

    Messages are looked up in LOCALE_PATHS first (in order), then the installed
    apps (in INSTALLED_APPS order), then manouche's own catalogs, then the
    LANGUAGE_CODE translation for languages other than the default and English.
    """

    def __init__(
        self,
        language: str,
        domain: str | None = None,
        localedirs: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.__language = language
        self.__to_language = to_language(language)
        self.__locale = to_locale(language)
        self.domain = domain or DOMAIN
        self.plural = lambda n: int(n != 1)
        self._catalog: dict[Any, str] | None = None
        self._custom_dirs = localedirs
        if localedirs is None:
            paths = [str(path) for path in settings.LOCALE_PATHS]
            localedirs = [*paths, *_app_locale_paths(), _framework_locale_path()]
        for localedir in localedirs:
            self._add_catalog(localedir)
        self._add_default_fallback()

    def _add_catalog(self, localedir: str) -> None:
        catalog = gettext_module.translation(
            domain=self.domain,
            localedir=localedir,
            languages=[self.__locale],
            fallback=True,
        )
        if isinstance(catalog, gettext_module.GNUTranslations):
            if self._catalog is None:
                self._catalog = {}
                self.plural = catalog.plural  # type: ignore[attr-defined]
            self.add_fallback(catalog)

    def _add_default_fallback(self) -> None:
        if self.__language == settings.LANGUAGE_CODE or self.__language.startswith(
            "en"
        ):
            return
        if self.domain == DOMAIN and self._custom_dirs is None:
            self.add_fallback(translation(settings.LANGUAGE_CODE))
        else:
            self.add_fallback(
                DjangoTranslation(
                    settings.LANGUAGE_CODE, self.domain, self._custom_dirs
                )
            )

    def __repr__(self) -> str:
        return f"<DjangoTranslation lang:{self.__language}>"

    def language(self) -> str:
        """Return the language code this translation was built for."""
        return self.__language

    def to_language(self) -> str:
        """Return the normalised language name (``pt-br``)."""
        return self.__to_language


def translation(language: str) -> DjangoTranslation:
    """Return the (cached) translation object for ``language``."""
    if language not in _translations:
        _translations[language] = DjangoTranslation(language)
    return _translations[language]


def activate(language: str) -> None:
    """Use ``language`` for translations in the current context."""
    if not language:
        return
    _active.value = translation(language)


def deactivate() -> None:
    """Forget the current context's language: LANGUAGE_CODE applies again."""
    _active.value = None


def deactivate_all() -> None:
    """Return untranslated messages in this context; ``get_language()`` is None."""
    _active.value = _NoTranslation()


def get_language() -> str | None:
    """Return the active language, or LANGUAGE_CODE when none is active."""
    active = getattr(_active, "value", None)
    if active is not None:
        try:
            return active.to_language()  # type: ignore[no-any-return]
        except AttributeError:
            pass
    return str(settings.LANGUAGE_CODE)


def get_language_bidi() -> bool:
    """Return True when the active language is written right to left."""
    language = get_language()
    if language is None:
        return False
    bidi = getattr(settings, "LANGUAGES_BIDI", _DEFAULT_LANGUAGES_BIDI)
    return language.split("-")[0] in bidi


def _current() -> gettext_module.NullTranslations:
    global _default
    active: gettext_module.NullTranslations | None = getattr(_active, "value", None)
    if active is not None:
        return active
    if _default is None:
        _default = translation(settings.LANGUAGE_CODE)
    return _default


def gettext(message: str) -> str:
    """Translate ``message`` into the active language."""
    eol_message = message.replace("\r\n", "\n").replace("\r", "\n")
    if not eol_message:
        result = type(message)("")
    else:
        result = _current().gettext(eol_message)
    if isinstance(message, SafeData):
        return mark_safe(result)  # type: ignore[no-any-return]
    return result


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context`` (disambiguates equal source texts)."""
    result = _current().pgettext(context, message)
    if isinstance(message, SafeData):
        return mark_safe(result)  # type: ignore[no-any-return]
    return result


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate the singular or plural form matching ``number``."""
    return _current().ngettext(singular, plural, number)


def npgettext(context: str, singular: str, plural: str, number: int) -> str:
    """Translate the form matching ``number`` in ``context``."""
    return _current().npgettext(context, singular, plural, number)


@functools.lru_cache
def get_languages() -> dict[str, str]:
    """Return settings.LANGUAGES as a dict (cached until LANGUAGES changes)."""
    return dict(settings.LANGUAGES)


def _framework_has_language(lang_code: str) -> bool:
    # manouche stands in for the catalogs Django ships: every language it
    # describes in LANG_INFO counts as available, with English messages.
    lowered = lang_code.lower()
    return lowered in LANG_INFO or lowered.split("-")[0] in LANG_INFO


@functools.lru_cache(maxsize=1000)
def check_for_language(lang_code: str) -> bool:
    """Return True if a catalog exists for ``lang_code`` in any locale path."""
    if not language_code_re.search(lang_code):
        return False
    if _framework_has_language(lang_code):
        return True
    locale = to_locale(lang_code)
    return any(
        gettext_module.find(DOMAIN, path, [locale]) is not None
        for path in all_locale_paths()
    )


def _possible_codes(lang_code: str) -> list[str]:
    codes = [lang_code]
    codes.extend(LANG_INFO.get(lang_code, {}).get("fallback", []))
    end = len(lang_code)
    while (end := lang_code.rfind("-", 0, end)) > -1:
        codes.append(lang_code[:end])
    return codes


@functools.lru_cache(maxsize=1000)
def get_supported_language_variant(lang_code: str | None, strict: bool = False) -> str:
    """Return the supported language to use for ``lang_code``.

    Tries the code itself, its LANG_INFO fallbacks and its shorter prefixes
    (``zh-hant-tw`` -> ``zh-hant`` -> ``zh``); unless ``strict``, a supported
    regional variant of the generic language is accepted too (``es`` ->
    ``es-ar``). Raises LookupError when nothing fits.
    """
    if lang_code and len(lang_code) <= LANGUAGE_CODE_MAX_LENGTH:
        codes = _possible_codes(lang_code)
        generic = codes[-1]
        supported = get_languages()
        for code in codes:
            if code.lower() in supported and check_for_language(code):
                return code
        if not strict:
            for supported_code in supported:
                if supported_code.startswith(generic + "-"):
                    return supported_code
    raise LookupError(lang_code)


def get_language_from_path(path: str, strict: bool = False) -> str | None:
    """Return the supported language named by the first segment of ``path``."""
    match = language_code_prefix_re.match(path)
    if not match:
        return None
    try:
        return get_supported_language_variant(match[1], strict=strict)
    except LookupError:
        return None


@functools.lru_cache(maxsize=1000)
def _parse_accept_lang_header(lang_string: str) -> tuple[tuple[str, float], ...]:
    result = []
    pieces = accept_language_re.split(lang_string.lower())
    if pieces[-1]:
        return ()
    for index in range(0, len(pieces) - 1, 3):
        first, lang, priority = pieces[index : index + 3]
        if first:
            return ()
        quality = float(priority) if priority else 1.0
        result.append((lang, quality))
    result.sort(key=lambda item: item[1], reverse=True)
    return tuple(result)


def parse_accept_lang_header(lang_string: str) -> tuple[tuple[str, float], ...]:
    """Parse Accept-Language into ``(language, q)`` pairs, best first.

    Returns ``()`` for a malformed header. Overlong headers are cut at the last
    complete entry within ACCEPT_LANGUAGE_HEADER_MAX_LENGTH characters (or
    ignored when there is none), bounding the regex work per request.
    """
    if len(lang_string) > ACCEPT_LANGUAGE_HEADER_MAX_LENGTH:
        cut = lang_string.rfind(",", 0, ACCEPT_LANGUAGE_HEADER_MAX_LENGTH)
        if cut < 0:
            return ()
        lang_string = lang_string[:cut]
    return _parse_accept_lang_header(lang_string)


def get_language_from_request(request: Any, check_path: bool = False) -> str:
    """Pick the language for ``request``.

    In order: the URL prefix (with ``check_path``), the language cookie, the
    Accept-Language header, then LANGUAGE_CODE.
    """
    if check_path:
        lang_code = get_language_from_path(request.path_info)
        if lang_code is not None:
            return lang_code
    cookie_name = getattr(settings, "LANGUAGE_COOKIE_NAME", "manouche_language")
    lang_code = request.COOKIES.get(cookie_name)
    if (
        lang_code is not None
        and lang_code in get_languages()
        and check_for_language(lang_code)
    ):
        return str(lang_code)
    try:
        return get_supported_language_variant(lang_code)
    except LookupError:
        pass
    accept = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accept_lang, _quality in parse_accept_lang_header(accept):
        if accept_lang == "*":
            break
        if not language_code_re.search(accept_lang):
            continue
        try:
            return get_supported_language_variant(accept_lang)
        except LookupError:
            continue
    try:
        return get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def reset_cache(setting: str) -> None:
    """Drop what depends on ``setting``; called when a setting changes."""
    global _default, _translations
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _default = None
        _active.value = None
    if setting in {"LANGUAGES", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translations = {}
        check_for_language.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE"}:
        get_languages.cache_clear()
        get_supported_language_variant.cache_clear()
