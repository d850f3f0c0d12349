"""Date and number formats for Korean.

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

DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. H:i"
FIRST_DAY_OF_WEEK = 0  # Sunday
DATE_INPUT_FORMATS: list[str] = [
    "%Y. %m. %d.",
    "%Y.%m.%d",
    "%Y/%m/%d",
    "%Y년 %m월 %d일",
]
TIME_INPUT_FORMATS: list[str] = [
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M",
    "%H시 %M분",
]
DATETIME_INPUT_FORMATS: list[str] = [
    "%Y. %m. %d. %H:%M:%S",
    "%Y. %m. %d. %H:%M:%S.%f",
    "%Y. %m. %d. %H:%M",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M:%S.%f",
    "%Y.%m.%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING: int | tuple[int, ...] = 3
