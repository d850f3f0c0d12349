"""Date and number formats for Hindi (Indian conventions).

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

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "j F Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y, g:i A"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS: list[str] = [
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
]
TIME_INPUT_FORMATS: list[str] = [
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M",
    "%I:%M %p",
    "%I:%M:%S %p",
]
DATETIME_INPUT_FORMATS: list[str] = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%y %H:%M:%S",
    "%d/%m/%y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
    "%d/%m/%y %I:%M %p",
    "%d/%m/%y %I:%M:%S %p",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING: int | tuple[int, ...] = (3, 2, 0)  # 12,34,567
