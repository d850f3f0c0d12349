"""Numeric fields; overlong numeric text is refused before any conversion."""

from __future__ import annotations

import math
import re
from decimal import Decimal, DecimalException
from typing import Any

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.widgets import NumberInput, Widget
from manouche.utils import formats
from manouche.utils.translation import gettext_lazy as _

# Longer numeric input is refused before conversion so parsing stays cheap.
MAX_NUMBER_LENGTH = 4300


def _number_text(field: Field, value: Any) -> str:
    text = str(value)
    if field.localize:
        text = formats.sanitize_separators(text)
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    return text.strip()


class IntegerField(Field):
    """An integer, with optional min/max/step."""

    widget: Any = NumberInput
    default_error_messages = {"invalid": _("Enter a whole number.")}
    re_decimal = re.compile(r"\.0*\s*$")

    def __init__(
        self,
        *,
        max_value: Any = None,
        min_value: Any = None,
        step_size: Any = None,
        **kwargs: Any,
    ) -> None:
        self.max_value, self.min_value, self.step_size = max_value, min_value, step_size
        if kwargs.get("localize") and self.widget == NumberInput:
            kwargs.setdefault("widget", super().widget)
        super().__init__(**kwargs)
        if max_value is not None:
            self.validators.append(validators.MaxValueValidator(max_value))
        if min_value is not None:
            self.validators.append(validators.MinValueValidator(min_value))
        if step_size is not None:
            self.validators.append(
                validators.StepValueValidator(step_size, offset=min_value)
            )

    def to_python(self, value: Any) -> Any:
        """Return an int or None."""
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = _number_text(self, value)
        try:
            return int(self.re_decimal.sub("", text))
        except (ValueError, TypeError):
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Add min/max/step to number inputs."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput):
            if self.min_value is not None:
                attrs["min"] = self.min_value
            if self.max_value is not None:
                attrs["max"] = self.max_value
            if self.step_size is not None:
                attrs["step"] = self.step_size
        return attrs


class FloatField(IntegerField):
    """A finite float."""

    default_error_messages = {"invalid": _("Enter a number.")}

    def to_python(self, value: Any) -> Any:
        """Return a float or None."""
        value = Field.to_python(self, value)
        if value in self.empty_values:
            return None
        text = _number_text(self, value)
        try:
            return float(text)
        except (ValueError, TypeError):
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        """Refuse infinities and NaN."""
        super().validate(value)
        if value in self.empty_values:
            return
        if not math.isfinite(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Allow any step by default."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput) and "step" not in widget.attrs:
            if self.step_size is not None:
                step = str(self.step_size)
            else:
                step = "any"
            attrs.setdefault("step", step)
        return attrs


class DecimalField(IntegerField):
    """A finite Decimal with optional max_digits/decimal_places."""

    default_error_messages = {"invalid": _("Enter a number.")}

    def __init__(
        self,
        *,
        max_value: Any = None,
        min_value: Any = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)
        self.validators.append(validators.DecimalValidator(max_digits, decimal_places))

    def to_python(self, value: Any) -> Any:
        """Return a Decimal or None."""
        if value in self.empty_values:
            return None
        text = _number_text(self, value)
        try:
            return Decimal(text)
        except DecimalException:
            raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        """Refuse infinities and NaN."""
        super().validate(value)
        if value in self.empty_values:
            return
        if not value.is_finite():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Derive the step from decimal_places."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, NumberInput) and "step" not in widget.attrs:
            if self.decimal_places is not None:
                step = str(Decimal(1).scaleb(-self.decimal_places)).lower()
            else:
                step = "any"
            attrs.setdefault("step", step)
        return attrs
