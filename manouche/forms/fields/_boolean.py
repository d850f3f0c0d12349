"""Checkbox-backed fields: BooleanField and NullBooleanField."""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.widgets import CheckboxInput, NullBooleanSelect


class BooleanField(Field):
    """A checkbox; required means it must be checked."""

    widget: Any = CheckboxInput

    def to_python(self, value: Any) -> Any:
        """ "false" and "0" are False; anything else by truthiness."""
        if isinstance(value, str) and value.lower() in ("false", "0"):
            value = False
        else:
            value = bool(value)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        """Required means True."""
        if not value and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare as booleans."""
        if self.disabled:
            return False
        return bool(self.to_python(initial) != self.to_python(data))


class NullBooleanField(BooleanField):
    """True, False or None (unknown)."""

    widget: Any = NullBooleanSelect

    def to_python(self, value: Any) -> Any:
        """Map the usual spellings to True/False, anything else to None."""
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        return None

    def validate(self, value: Any) -> None:
        """None is a valid answer."""
