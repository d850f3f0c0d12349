"""Date and number formats for Ukrainian.

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

# The year abbreviation is Cyrillic on purpose.
# ruff: noqa: RUF001

DATE_FORMAT = "j E Y р."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y р. H:i"
YEAR_MONTH_FORMAT = "F Y р."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS: list[str] = [
    "%d.%m.%Y",
    "%d.%m.%y",
]
TIME_INPUT_FORMATS: list[str] = [
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M",
]
DATETIME_INPUT_FORMATS: list[str] = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M:%S.%f",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"  # no-break space
NUMBER_GROUPING: int | tuple[int, ...] = 3
