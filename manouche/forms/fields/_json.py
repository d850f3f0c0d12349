"""JSONField: decoding is bounded in depth and refuses non-finite numbers."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields._text import CharField
from manouche.forms.widgets import Textarea
from manouche.utils.translation import gettext_lazy as _

JSON_MAX_DEPTH = 128


class InvalidJSONInput(str):
    """Submitted text that is not valid JSON (redisplayed as typed)."""

    __slots__ = ()


class JSONString(str):
    """A JSON string value (distinct from raw text to be decoded)."""

    __slots__ = ()


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json_too_deep(text: str, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether brackets nest deeper than ``limit`` outside strings (linear)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


class JSONField(CharField):
    """JSON text decoded to Python; bounded depth, finite numbers."""

    default_error_messages = {"invalid": _("Enter a valid JSON.")}
    widget: Any = Textarea

    def __init__(self, encoder: Any = None, decoder: Any = None, **kwargs: Any) -> None:
        self.encoder = encoder
        self.decoder = decoder
        super().__init__(**kwargs)

    def _loads(self, value: str) -> Any:
        if _json_too_deep(value):
            raise ValueError("JSON nested too deeply")
        converted = json.loads(
            value,
            cls=self.decoder,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
        if _SURROGATE_ESCAPE.search(value):
            json.dumps(converted, ensure_ascii=False).encode("utf-8")
        return converted

    def to_python(self, value: Any) -> Any:
        """Decode the JSON text."""
        if self.disabled:
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, (list, dict, int, float, JSONString)):
            return value
        try:
            converted = self._loads(str(value))
        except (ValueError, RecursionError, UnicodeError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        if isinstance(converted, str):
            return JSONString(converted)
        return converted

    def bound_data(self, data: Any, initial: Any) -> Any:
        """Keep invalid text as typed so it can be redisplayed."""
        if self.disabled:
            return initial
        if data is None:
            return None
        try:
            return self._loads(data)
        except (ValueError, RecursionError, UnicodeError, TypeError):
            return InvalidJSONInput(data)

    def prepare_value(self, value: Any) -> Any:
        """Encode for display."""
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, cls=self.encoder)

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare the decoded values."""
        if super().has_changed(initial, data):
            return True
        return json.dumps(initial, sort_keys=True, cls=self.encoder) != json.dumps(
            self.to_python(data), sort_keys=True, cls=self.encoder
        )
