"""Format numbers with a decimal separator and optional digit grouping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["format"]


def format(
    number: Any,
    decimal_sep: str,
    decimal_pos: int | None = None,
    grouping: int | tuple[int, ...] = 0,
    thousand_sep: str = "",
    force_grouping: bool = False,
    use_l10n: bool | None = None,
) -> str:
    """Return ``number`` as text with the given separators."""
    from manouche.conf import settings

    if number is None or number == "":
        return str(number)
    # Grouping follows USE_THOUSAND_SEPARATOR unless localisation is off.
    use_grouping = use_l10n is not False and settings.USE_THOUSAND_SEPARATOR
    use_grouping = (use_grouping or force_grouping) and bool(grouping)
    if isinstance(number, int) and not use_grouping and not decimal_pos:
        return str(number)
    sign = ""
    if isinstance(number, float) and "e" in str(number).lower():
        number = Decimal(str(number))
    if isinstance(number, Decimal):
        if decimal_pos is not None:
            cutoff = Decimal("0." + "1".rjust(decimal_pos, "0"))
            if abs(number) < cutoff:
                number = Decimal("0")
        str_number = f"{number:f}"
    else:
        str_number = str(number)
    if str_number[0] == "-":
        sign = "-"
        str_number = str_number[1:]
    if "." in str_number:
        int_part, dec_part = str_number.split(".")
        if decimal_pos is not None:
            dec_part = dec_part[:decimal_pos]
    else:
        int_part, dec_part = str_number, ""
    if decimal_pos is not None:
        dec_part += "0" * (decimal_pos - len(dec_part))
    dec_part = dec_part and decimal_sep + dec_part
    if use_grouping:
        int_part = _group_digits(int_part, grouping, thousand_sep)
    return sign + int_part + dec_part


def _group_digits(
    int_part: str, grouping: int | tuple[int, ...], thousand_sep: str
) -> str:
    """Insert ``thousand_sep`` between groups of digits, counting from the right.

    A sequence gives successive group sizes (0 repeats the previous size); a
    size of -1 or less ends the grouping.
    """
    sizes = [grouping] if isinstance(grouping, int) else list(grouping)
    if not sizes or sizes == [0]:
        sizes = [3]
    groups = []
    remaining = int_part
    size = sizes[0]
    index = 0
    while remaining:
        if size <= 0:
            groups.append(remaining)
            break
        groups.append(remaining[-size:])
        remaining = remaining[:-size]
        if index + 1 < len(sizes):
            index += 1
            size = sizes[index] or size
    return thousand_sep.join(reversed(groups)) or "0"
