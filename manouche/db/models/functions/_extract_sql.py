"""Extract as SQL text, for ``connection.ops.date_extract_sql`` and friends.

Custom transforms written against Django's ``as_sql`` protocol build their
SQL by hand and ask the backend for an extraction (``date_extract_sql("year",
sql, params)``). The components and their meaning are those of Extract
(ISO weeks, Sunday=1 week days); only the spelling differs per database.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["extract_sql"]

# Component names are spliced into SQL on PostgreSQL and MariaDB: words only.
_NAME = re.compile(r"[a-z_]+")

_POSTGRES_NAMES = {"week_day": "DOW", "iso_week_day": "ISODOW", "iso_year": "ISOYEAR"}

_MYSQL_TEMPLATES = {
    "week_day": "DAYOFWEEK({})",
    "iso_week_day": "WEEKDAY({}) + 1",
    "week": "WEEK({}, 3)",
    "iso_year": "TRUNCATE(YEARWEEK({}, 3), -2) / 100",
}


def extract_sql(
    vendor: str,
    lookup_type: str,
    sql: str,
    params: Any,
    tzname: str | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """Return ``(sql, params)`` extracting ``lookup_type`` from ``sql``.

    With ``tzname``, the (UTC) value is first converted to that zone.
    """
    if not _NAME.fullmatch(lookup_type):
        raise ValueError(f"Invalid lookup type: {lookup_type!r}")
    params = tuple(params)
    if tzname is not None:
        sql, params = _to_zone(vendor, sql, params, tzname)
    if vendor == "sqlite":
        from manouche.db.backends.sqlite3._datetime_functions import EXTRACT_KINDS

        if lookup_type not in EXTRACT_KINDS:
            raise ValueError(f"Invalid lookup type: {lookup_type!r}")
        return f"manouche_extract(%s, {sql})", (lookup_type, *params)
    if vendor == "postgresql":
        name = _POSTGRES_NAMES.get(lookup_type, lookup_type.upper())
        extracted = f"EXTRACT({name} FROM {sql})"
        if lookup_type == "week_day":
            extracted = f"({extracted} + 1)"
        return f"CAST(FLOOR({extracted}) AS INTEGER)", params
    template = _MYSQL_TEMPLATES.get(lookup_type)
    if template is not None:
        return f"CAST({template.format(sql)} AS SIGNED)", params
    return f"EXTRACT({lookup_type.upper()} FROM {sql})", params


def _to_zone(
    vendor: str, sql: str, params: tuple[Any, ...], tzname: str
) -> tuple[str, tuple[Any, ...]]:
    from manouche.db.models.functions.datetime import _fixed_offset, _posix

    if vendor == "sqlite":
        return f"manouche_convert_tz({sql}, 'UTC', %s)", (*params, tzname)
    if vendor == "postgresql":
        return f"({sql} AT TIME ZONE %s)", (*params, _posix(tzname))
    offset = tzname if tzname[:1] in "+-" else _fixed_offset(tzname) or tzname
    return f"CONVERT_TZ({sql}, '+00:00', %s)", (*params, offset)
