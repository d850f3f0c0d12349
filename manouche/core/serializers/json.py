"""JSON encoding of the Python types Django apps commonly put in responses."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from typing import Any

from manouche.utils.duration import duration_iso_string
from manouche.utils.functional import Promise
from manouche.utils.timezone import is_aware

__all__ = ["DjangoJSONEncoder"]


class DjangoJSONEncoder(json.JSONEncoder):
    """Also encode datetimes, dates, times, timedeltas, Decimals, UUIDs, lazy text."""

    def default(self, o: Any) -> Any:
        """Return a JSON-friendly form of ``o``."""
        if isinstance(o, datetime.datetime):
            result = o.isoformat()
            if o.microsecond:
                # Milliseconds, as ECMA-262 dates have.
                result = result[:23] + result[26:]
            if result.endswith("+00:00"):
                result = result.removesuffix("+00:00") + "Z"
            return result
        if isinstance(o, datetime.date):
            return o.isoformat()
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            result = o.isoformat()
            if o.microsecond:
                result = result[:12]
            return result
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, decimal.Decimal | uuid.UUID | Promise):
            return str(o)
        return super().default(o)
