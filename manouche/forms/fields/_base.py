"""The Field base class: the clean() lifecycle every form field shares.

A field runs ``to_python`` then ``validate`` then ``run_validators``; errors
end as ValidationError, never as an exception escaping ``clean``.
"""

from __future__ import annotations

import copy
from typing import Any

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.forms.boundfield import BoundField
from manouche.forms.widgets import HiddenInput, TextInput, Widget
from manouche.utils.translation import gettext_lazy as _


class Field:
    """Base field: required, label, initial, widget and the clean() lifecycle."""

    widget: Any = TextInput
    hidden_widget: Any = HiddenInput
    default_validators: list[Any] = []
    default_error_messages: dict[str, Any] = {
        "required": _("This field is required."),
    }
    empty_values = list(validators.EMPTY_VALUES)
    bound_field_class: Any = None

    def __init__(
        self,
        *,
        required: bool = True,
        widget: Any = None,
        label: Any = None,
        initial: Any = None,
        help_text: Any = "",
        error_messages: dict[str, Any] | None = None,
        show_hidden_initial: bool = False,
        validators: Any = (),
        localize: bool = False,
        disabled: bool = False,
        label_suffix: str | None = None,
        template_name: str | None = None,
        bound_field_class: Any = None,
    ) -> None:
        self.required, self.label, self.initial = required, label, initial
        self.show_hidden_initial = show_hidden_initial
        self.help_text = help_text
        self.disabled = disabled
        self.label_suffix = label_suffix
        self.bound_field_class = bound_field_class or self.bound_field_class
        widget = widget or self.widget
        if isinstance(widget, type):
            widget = widget()
        else:
            widget = copy.deepcopy(widget)
        self.localize = localize
        if self.localize:
            widget.is_localized = True
        widget.is_required = self.required
        extra_attrs = self.widget_attrs(widget)
        if extra_attrs:
            widget.attrs.update(extra_attrs)
        self.widget = widget
        messages: dict[str, Any] = {}
        for cls in reversed(type(self).__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        messages.update(error_messages or {})
        self.error_messages = messages
        self.validators = [*self.default_validators, *validators]
        self.template_name = template_name

    def prepare_value(self, value: Any) -> Any:
        """Convert a Python value for display in the widget."""
        return value

    def to_python(self, value: Any) -> Any:
        """Convert the raw value to Python, or raise ValidationError."""
        return value

    def validate(self, value: Any) -> None:
        """Check the converted value (required by default)."""
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        """Run every validator, collecting all their errors."""
        if value in self.empty_values:
            return
        errors = []
        for v in self.validators:
            try:
                v(value)
            except ValidationError as e:
                if hasattr(e, "code") and e.code in self.error_messages:
                    e.message = self.error_messages[e.code]
                errors.extend(e.error_list)
        if errors:
            raise ValidationError(errors)

    def clean(self, value: Any) -> Any:
        """Return the cleaned value: to_python, validate, run_validators."""
        value = self.to_python(value)
        self.validate(value)
        self.run_validators(value)
        return value

    def bound_data(self, data: Any, initial: Any) -> Any:
        """Return the value to display: the data, or initial when disabled."""
        if self.disabled:
            return initial
        return data

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Return extra HTML attributes for ``widget`` (maxlength...)."""
        return {}

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Whether ``data`` differs from ``initial``."""
        if self.disabled:
            return False
        try:
            data = self.to_python(data)
            if hasattr(self, "_coerce"):
                return bool(self._coerce(data) != self._coerce(initial))
        except ValidationError:
            return True
        initial_value = initial if initial is not None else ""
        data_value = data if data is not None else ""
        return bool(initial_value != data_value)

    def get_bound_field(self, form: Any, field_name: str) -> BoundField:
        """Return the BoundField for this field in ``form``."""
        bound_field_class = (
            self.bound_field_class
            or getattr(form, "bound_field_class", None)
            or BoundField
        )
        return bound_field_class(form, self, field_name)

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.deepcopy(self.widget, memo)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result
