"""Internationalisation API: gettext and friends, the active language, overrides.

Every call goes to ``trans_real`` when USE_I18N is on and to ``trans_null``
otherwise; the choice is made on first use and again when USE_I18N changes.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from types import ModuleType, TracebackType
from typing import Any

from manouche.core.signals import setting_changed
from manouche.utils.functional import lazy
from manouche.utils.translation import trans_real

__all__ = [
    "LANGUAGE_SESSION_KEY",
    "activate",
    "check_for_language",
    "deactivate",
    "deactivate_all",
    "get_language",
    "get_language_bidi",
    "get_language_from_path",
    "get_language_from_request",
    "get_language_info",
    "get_supported_language_variant",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "override",
    "pgettext",
    "pgettext_lazy",
    "round_away_from_one",
    "to_language",
    "to_locale",
    "trans_real",
]

LANGUAGE_SESSION_KEY = "_language"


class _Trans:
    """Forward attribute access to trans_real or trans_null, per USE_I18N."""

    def __getattr__(self, name: str) -> Any:
        from manouche.conf import settings

        module: ModuleType
        if settings.USE_I18N:
            module = trans_real
        else:
            from manouche.utils.translation import trans_null

            module = trans_null
        value = getattr(module, name)
        setattr(self, name, value)
        return value

    def reset(self) -> None:
        """Forget the functions picked so far."""
        self.__dict__.clear()


_trans = _Trans()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "USE_I18N":
        _trans.reset()
    trans_real.reset_cache(setting)


setting_changed.connect(_on_setting_changed, dispatch_uid="manouche.translation")


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it now."""
    return message


def gettext(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _trans.gettext(message)  # type: ignore[no-any-return]


def ngettext(singular: str, plural: str, number: int) -> str:
    """Translate the singular or plural form matching ``number``."""
    return _trans.ngettext(singular, plural, number)  # type: ignore[no-any-return]


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in ``context``."""
    return _trans.pgettext(context, message)  # type: ignore[no-any-return]


def npgettext(context: str, singular: str, plural: str, number: int) -> str:
    """Translate the form matching ``number`` in ``context``."""
    return _trans.npgettext(  # type: ignore[no-any-return]
        context, singular, plural, number
    )


gettext_lazy = lazy(gettext, str)
pgettext_lazy = lazy(pgettext, str)


def _lazy_number(func: Any, number: int | str | None, **kwargs: Any) -> Any:
    """Build a lazy plural whose number may come later from ``% values``.

    With an int (or nothing), this is a plain lazy call. With a string, the
    number is looked up under that key in the mapping the proxy is
    ``%``-formatted (or ``.format``-ted) with.
    """
    if not isinstance(number, str):
        return lazy(func, str)(**kwargs, number=number)
    return _LazyNumberProxy(func, number, kwargs)


class _LazyNumberProxy:
    """A lazy plural text whose number is picked at formatting time."""

    def __init__(self, func: Any, key: str, kwargs: dict[str, Any]) -> None:
        self._func = func
        self._key = key
        self._kwargs = kwargs

    def _get_number_value(self, values: Any) -> Any:
        try:
            return values[self._key]
        except KeyError as exc:
            raise KeyError(
                f"Your dictionary lacks key '{self._key}'. Please provide it, "
                "because it is required to determine whether string is singular "
                "or plural."
            ) from exc

    def _translate(self, number_value: Any) -> str:
        return str(self._func(**self._kwargs, number=number_value))

    def __bool__(self) -> bool:
        return bool(self._kwargs.get("singular"))

    def __str__(self) -> str:
        return self._translate(1)

    def __mod__(self, rhs: Any) -> str:
        number = self._get_number_value(rhs) if isinstance(rhs, dict) else rhs
        translated = self._translate(number)
        try:
            return str(translated % rhs)
        except TypeError:
            # The translation has no placeholder at all: nothing to format.
            return translated

    def format(self, *args: Any, **kwargs: Any) -> str:
        """Format like ``str.format``; the number comes from the keyword."""
        number = self._get_number_value(kwargs) if kwargs and not args else args[0]
        return self._translate(number).format(*args, **kwargs)

    def __reduce__(self) -> Any:
        return (_lazy_number, (self._func, self._key), self._kwargs)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._kwargs = state


def ngettext_lazy(singular: str, plural: str, number: int | str | None = None) -> Any:
    """Lazy ``ngettext``; ``number`` may name the key formatting supplies later."""
    return _lazy_number(ngettext, number, singular=singular, plural=plural)


def npgettext_lazy(
    context: str, singular: str, plural: str, number: int | str | None = None
) -> Any:
    """Lazy ``npgettext``; ``number`` may name the key formatting supplies later."""
    return _lazy_number(
        npgettext, number, context=context, singular=singular, plural=plural
    )


def activate(language: str) -> None:
    """Use ``language`` for translations in the current context."""
    _trans.activate(language)


def deactivate() -> None:
    """Forget the current context's language: LANGUAGE_CODE applies again."""
    _trans.deactivate()


def deactivate_all() -> None:
    """Return untranslated messages in this context; get_language() is None."""
    _trans.deactivate_all()


class override(ContextDecorator):
    """Activate ``language`` inside a block (None: no translation at all).

    On exit the previous language comes back, or with ``deactivate=True`` the
    context is simply deactivated.
    """

    def __init__(self, language: str | None, deactivate: bool = False) -> None:
        self.language = language
        self.deactivate = deactivate
        self.old_language: str | None = None

    def __enter__(self) -> None:
        self.old_language = get_language()
        if self.language is not None:
            activate(self.language)
        else:
            deactivate_all()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.old_language is None:
            deactivate_all()
        elif self.deactivate:
            deactivate()
        else:
            activate(self.old_language)


def get_language() -> str | None:
    """Return the active language code (None after ``deactivate_all()``)."""
    return _trans.get_language()  # type: ignore[no-any-return]


def get_language_bidi() -> bool:
    """Return True when the active language is written right to left."""
    return _trans.get_language_bidi()  # type: ignore[no-any-return]


def check_for_language(lang_code: str) -> bool:
    """Return True if translations exist for ``lang_code``."""
    return _trans.check_for_language(lang_code)  # type: ignore[no-any-return]


def to_language(locale: str) -> str:
    """Turn a locale name (en_US) into a language name (en-us)."""
    return trans_real.to_language(locale)


def to_locale(language: str) -> str:
    """Turn a language name (en-us) into a locale name (en_US)."""
    return trans_real.to_locale(language)


def get_language_from_request(request: Any, check_path: bool = False) -> str:
    """Pick the language for ``request`` (URL prefix, cookie, header, default)."""
    return _trans.get_language_from_request(  # type: ignore[no-any-return]
        request, check_path
    )


def get_language_from_path(path: str, strict: bool = False) -> str | None:
    """Return the supported language named by the first segment of ``path``."""
    return _trans.get_language_from_path(path, strict)  # type: ignore[no-any-return]


def get_supported_language_variant(lang_code: str | None, strict: bool = False) -> str:
    """Return the supported language to use for ``lang_code`` (LookupError if none)."""
    return _trans.get_supported_language_variant(  # type: ignore[no-any-return]
        lang_code, strict
    )


def get_language_info(lang_code: str) -> dict[str, Any]:
    """Return code, name, name_local, name_translated and bidi of a language."""
    from manouche.conf.locale import LANG_INFO

    try:
        lang_info = LANG_INFO[lang_code]
        if "fallback" in lang_info and "name" not in lang_info:
            info = get_language_info(lang_info["fallback"][0])
        else:
            info = lang_info
    except KeyError:
        if "-" not in lang_code:
            raise KeyError(f"Unknown language code {lang_code}.") from None
        generic = lang_code.split("-")[0]
        try:
            info = LANG_INFO[generic]
        except KeyError:
            raise KeyError(
                f"Unknown language code {lang_code} and {generic}."
            ) from None
    if info:
        info = {**info, "name_translated": gettext_lazy(info["name"])}
    return info


def round_away_from_one(value: float) -> int:
    """Round towards the integer farther from 1 (plural rules for fractions)."""
    import math

    return math.floor(value) if value < 1 else math.ceil(value)
