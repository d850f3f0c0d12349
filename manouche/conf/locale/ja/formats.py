"""Date and number formats for Japanese.

Date patterns use the ``date`` filter syntax; input formats are
strptime patterns tried in order (ISO 8601 forms are always added).
"""

from __future__ import annotations

__all__ = [
    "DATETIME_FORMAT",
    "DATETIME_INPUT_FORMATS",
    "DATE_FORMAT",
    "DATE_INPUT_FORMATS",
    "DECIMAL_SEPARATOR",
    "FIRST_DAY_OF_WEEK",
    "MONTH_DAY_FORMAT",
    "NUMBER_GROUPING",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "THOUSAND_SEPARATOR",
    "TIME_FORMAT",
    "TIME_INPUT_FORMATS",
    "YEAR_MONTH_FORMAT",
]

DATE_FORMAT = "Y年n月j日"
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "Y年n月j日G:i"
YEAR_MONTH_FORMAT = "Y年n月"
MONTH_DAY_FORMAT = "n月j日"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS: list[str] = [
    "%Y/%m/%d",
    "%Y年%m月%d日",
    "%y/%m/%d",
]
TIME_INPUT_FORMATS: list[str] = [
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M",
    "%H時%M分",
]
DATETIME_INPUT_FORMATS: list[str] = [
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING: int | tuple[int, ...] = 3
