"""Locale-aware formatting of dates and numbers.

Formats come from the active language's format module (a project's
FORMAT_MODULE_PATH first, then ``manouche.conf.locale``), falling back to
the settings of the same name.
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

from manouche.core.signals import setting_changed
from manouche.utils import dateformat, numberformat

__all__ = [
    "FORMAT_SETTINGS",
    "ISO_INPUT_FORMATS",
    "date_format",
    "get_format",
    "get_format_modules",
    "iter_format_modules",
    "localize",
    "localize_input",
    "number_format",
    "reset_format_cache",
    "sanitize_separators",
    "time_format",
]

FORMAT_SETTINGS = frozenset(
    [
        "DECIMAL_SEPARATOR",
        "THOUSAND_SEPARATOR",
        "NUMBER_GROUPING",
        "FIRST_DAY_OF_WEEK",
        "MONTH_DAY_FORMAT",
        "TIME_FORMAT",
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        "YEAR_MONTH_FORMAT",
        "DATE_INPUT_FORMATS",
        "TIME_INPUT_FORMATS",
        "DATETIME_INPUT_FORMATS",
    ]
)

# Whatever a locale accepts, ISO 8601 input keeps working (HTML date inputs
# submit it).
ISO_INPUT_FORMATS: dict[str, tuple[str, ...]] = {
    "DATE_INPUT_FORMATS": ("%Y-%m-%d",),
    "TIME_INPUT_FORMATS": ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M"),
    "DATETIME_INPUT_FORMATS": (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
    ),
}

_BUILTIN_LOCATION = "manouche.conf.locale"
# Only names shaped like language codes become module paths.
_language_re = re.compile(r"^[a-z]{1,8}(?:[-_][a-z0-9]{1,8})*$", re.IGNORECASE)

_format_cache: dict[tuple[str, str | None], Any] = {}
_format_modules_cache: dict[str, list[ModuleType]] = {}


def reset_format_cache() -> None:
    """Forget cached formats and modules (settings or FORMAT_MODULE_PATH changed)."""
    _format_cache.clear()
    _format_modules_cache.clear()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in FORMAT_SETTINGS or setting in {
        "FORMAT_MODULE_PATH",
        "LANGUAGE_CODE",
        "LANGUAGES",
        "USE_I18N",
    }:
        reset_format_cache()


setting_changed.connect(_on_setting_changed, dispatch_uid="manouche.utils.formats")


def _candidate_locales(lang: str) -> list[str]:
    """Locale names to try for ``lang``, most specific first.

    "de-at" gives de_AT then de; "pt-br" gives pt_BR then pt; codes that
    LANG_INFO sends elsewhere ("zh-cn", "no") try their target too.
    """
    from manouche.conf.locale import LANG_INFO
    from manouche.utils.translation import to_locale

    codes = [lang.lower().replace("_", "-")]
    codes.extend(LANG_INFO.get(codes[0], {}).get("fallback", []))
    locales: list[str] = []
    for code in codes:
        locale = to_locale(code)
        for name in (locale, locale.partition("_")[0]):
            if name not in locales:
                locales.append(name)
    return locales


def _format_locations(format_module_path: str | list[str] | None) -> list[str]:
    if format_module_path is None:
        from manouche.conf import settings

        format_module_path = settings.FORMAT_MODULE_PATH
    if isinstance(format_module_path, str):
        format_module_path = [format_module_path]
    locations = list(format_module_path or [])
    for location in locations:
        if not isinstance(location, str) or not location:
            raise TypeError(
                "FORMAT_MODULE_PATH must be a dotted module path or a list of "
                f"them, not {location!r}."
            )
    return [*locations, _BUILTIN_LOCATION]


def iter_format_modules(
    lang: str, format_module_path: str | list[str] | None = None
) -> Iterator[ModuleType]:
    """Yield the format modules for ``lang``: project paths first, then built-ins."""
    if not lang or not _language_re.match(lang):
        return
    locales = _candidate_locales(lang)
    for location in _format_locations(format_module_path):
        for locale in locales:
            name = f"{location}.{locale}.formats"
            try:
                yield import_module(name)
            except ModuleNotFoundError as exc:
                # Only a missing locale is skipped; a broken module still fails.
                if exc.name is None or not name.startswith(exc.name):
                    raise


def get_format_modules(lang: str | None = None) -> list[ModuleType]:
    """Return the format modules for ``lang`` (the active language by default)."""
    if lang is None:
        from manouche.utils.translation import get_language

        lang = get_language()
        if lang is None:
            return []
    if lang not in _format_modules_cache:
        _format_modules_cache[lang] = list(iter_format_modules(lang))
    return _format_modules_cache[lang]


def get_format(
    format_type: str, lang: str | None = None, use_l10n: bool | None = None
) -> Any:
    """Return the format named ``format_type`` for ``lang`` (active language).

    The first format module defining it wins; otherwise the setting of that
    name. With ``use_l10n=False`` only settings are read. A name that is no
    format setting comes back unchanged, so a literal pattern passes through.
    """
    from manouche.conf import settings

    format_type = str(format_type)
    if use_l10n is None:
        use_l10n = True
    if use_l10n and lang is None:
        from manouche.utils.translation import get_language

        lang = get_language()
    if not use_l10n:
        lang = None
    cache_key = (format_type, lang)
    try:
        return _format_cache[cache_key]
    except KeyError:
        pass
    value: Any = None
    if lang is not None:
        for module in get_format_modules(lang):
            value = getattr(module, format_type, None)
            if value is not None:
                break
    if value is None:
        if format_type not in FORMAT_SETTINGS:
            return format_type
        value = getattr(settings, format_type)
    elif format_type in ISO_INPUT_FORMATS:
        value = list(value)
        value.extend(f for f in ISO_INPUT_FORMATS[format_type] if f not in value)
    _format_cache[cache_key] = value
    return value


def date_format(
    value: Any, format: str | None = None, use_l10n: bool | None = None
) -> str:
    """Format a date with a named format (DATE_FORMAT by default) or a pattern."""
    return dateformat.format(
        value, get_format(format or "DATE_FORMAT", use_l10n=use_l10n)
    )


def time_format(
    value: Any, format: str | None = None, use_l10n: bool | None = None
) -> str:
    """Format a time with a named format (TIME_FORMAT by default) or a pattern."""
    return dateformat.time_format(
        value, get_format(format or "TIME_FORMAT", use_l10n=use_l10n)
    )


def number_format(
    value: Any,
    decimal_pos: int | None = None,
    use_l10n: bool | None = None,
    force_grouping: bool = False,
) -> str:
    """Format a number with the configured separators."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR", use_l10n=use_l10n),
        decimal_pos,
        get_format("NUMBER_GROUPING", use_l10n=use_l10n),
        get_format("THOUSAND_SEPARATOR", use_l10n=use_l10n),
        force_grouping=force_grouping,
        use_l10n=use_l10n,
    )


def localize(value: Any, use_l10n: bool | None = None) -> Any:
    """Format numbers and dates for display; return anything else unchanged."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (decimal.Decimal, float, int)):
        return number_format(value, use_l10n=use_l10n)
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT", use_l10n=use_l10n)
    if isinstance(value, datetime.date):
        return date_format(value, use_l10n=use_l10n)
    if isinstance(value, datetime.time):
        return time_format(value, use_l10n=use_l10n)
    return value


def localize_input(value: Any, default: str | None = None) -> Any:
    """Format a value for a form input."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (decimal.Decimal, float, int)):
        return number_format(value)
    if isinstance(value, datetime.datetime):
        return value.strftime(default or get_format("DATETIME_INPUT_FORMATS")[0])
    if isinstance(value, datetime.date):
        return value.strftime(default or get_format("DATE_INPUT_FORMATS")[0])
    if isinstance(value, datetime.time):
        return value.strftime(default or get_format("TIME_INPUT_FORMATS")[0])
    return value


def sanitize_separators(value: Any) -> Any:
    """Remove thousand separators and normalise the decimal separator."""
    if isinstance(value, str):
        decimal_separator = get_format("DECIMAL_SEPARATOR")
        thousand_sep = get_format("THOUSAND_SEPARATOR")
        if thousand_sep and value.count(decimal_separator) <= 1:
            # Typed input often has a plain space for a no-break one.
            for separator in {
                thousand_sep,
                unicodedata.normalize("NFKD", thousand_sep),
            }:
                value = value.replace(separator, "")
        value = value.replace(decimal_separator, ".")
    return value
