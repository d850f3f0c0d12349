"""Locale-aware formatting of dates and numbers (settings-based formats)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from manouche.utils import dateformat, numberformat

__all__ = [
    "date_format",
    "get_format",
    "localize",
    "localize_input",
    "number_format",
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


def get_format(
    format_type: str, lang: str | None = None, use_l10n: bool | None = None
) -> Any:
    """Return the format named ``format_type`` (from settings)."""
    from manouche.conf import settings

    if format_type in FORMAT_SETTINGS:
        return getattr(settings, format_type)
    return format_type


def date_format(
    value: Any, format: str | None = None, use_l10n: bool | None = None
) -> str:
    """Format a date with a named format (DATE_FORMAT by default) or a pattern."""
    return dateformat.format(value, get_format(format or "DATE_FORMAT"))


def time_format(
    value: Any, format: str | None = None, use_l10n: bool | None = None
) -> str:
    """Format a time with a named format (TIME_FORMAT by default) or a pattern."""
    return dateformat.time_format(value, get_format(format or "TIME_FORMAT"))


def number_format(
    value: Any,
    decimal_pos: int | None = None,
    use_l10n: bool | None = None,
    force_grouping: bool = False,
) -> str:
    """Format a number with the configured separators."""
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos,
        get_format("NUMBER_GROUPING"),
        get_format("THOUSAND_SEPARATOR"),
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
            value = value.replace(thousand_sep, "")
        value = value.replace(decimal_separator, ".")
    return value
