"""Composite fields: ComboField, MultiValueField and SplitDateTimeField."""

from __future__ import annotations

import datetime
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.fields._temporal import DateField, TimeField
from manouche.forms.utils import from_current_timezone
from manouche.forms.widgets import SplitDateTimeWidget, SplitHiddenDateTimeWidget
from manouche.utils.translation import gettext_lazy as _


class ComboField(Field):
    """A value that must pass every one of several fields, in order."""

    def __init__(self, fields: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for f in fields:
            f.required = False
        self.fields = fields

    def clean(self, value: Any) -> Any:
        """Clean with this field then each sub-field."""
        value = super().clean(value)
        for field in self.fields:
            value = field.clean(value)
        return value


class MultiValueField(Field):
    """A value assembled (``compress``) from several sub-fields."""

    default_error_messages = {
        "invalid": _("Enter a list of values."),
        "incomplete": _("Enter a complete value."),
    }

    def __init__(
        self, fields: Any, *, require_all_fields: bool = True, **kwargs: Any
    ) -> None:
        self.require_all_fields = require_all_fields
        super().__init__(**kwargs)
        for f in fields:
            f.error_messages.setdefault("incomplete", self.error_messages["incomplete"])
            if self.disabled:
                f.disabled = True
            if self.require_all_fields:
                f.required = False
        self.fields = fields

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        result = super().__deepcopy__(memo)
        result.fields = tuple(x.__deepcopy__(memo) for x in self.fields)  # type: ignore[attr-defined]
        return result

    def validate(self, value: Any) -> None:
        """Sub-fields validate; the compressed value is not re-checked here."""

    def clean(self, value: Any) -> Any:
        """Clean each sub-value then compress."""
        clean_data: list[Any] = []
        errors: list[Any] = []
        if self.disabled and not isinstance(value, list):
            value = self.widget.decompress(value)
        if not value or isinstance(value, (list, tuple)):
            if not value or not [v for v in value if v not in self.empty_values]:
                if self.required:
                    raise ValidationError(
                        self.error_messages["required"], code="required"
                    )
                return self.compress([])
        else:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        for i, field in enumerate(self.fields):
            try:
                field_value = value[i]
            except IndexError:
                field_value = None
            if field_value in self.empty_values:
                if self.require_all_fields:
                    if self.required:
                        raise ValidationError(
                            self.error_messages["required"], code="required"
                        )
                elif field.required:
                    if field.error_messages["incomplete"] not in errors:
                        errors.append(field.error_messages["incomplete"])
                    continue
            try:
                clean_data.append(field.clean(field_value))
            except ValidationError as e:
                errors.extend(m for m in e.error_list if m not in errors)
        if errors:
            raise ValidationError(errors)
        out = self.compress(clean_data)
        self.validate(out)
        self.run_validators(out)
        return out

    def compress(self, data_list: list[Any]) -> Any:
        """Combine the cleaned sub-values into one value."""
        raise NotImplementedError("Subclasses must implement this method.")

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when any sub-field changed."""
        if self.disabled:
            return False
        if initial is None:
            initial = ["" for _x in range(len(data))]
        elif not isinstance(initial, list):
            initial = self.widget.decompress(initial)
        for field, initial_value, data_value in zip(
            self.fields, initial, data, strict=False
        ):
            try:
                initial_value = field.to_python(initial_value)
            except ValidationError:
                return True
            if field.has_changed(initial_value, data_value):
                return True
        return False


class SplitDateTimeField(MultiValueField):
    """A datetime entered as a date and a time."""

    widget: Any = SplitDateTimeWidget
    hidden_widget: Any = SplitHiddenDateTimeWidget
    default_error_messages = {
        "invalid_date": _("Enter a valid date."),
        "invalid_time": _("Enter a valid time."),
    }

    def __init__(
        self,
        *,
        input_date_formats: Any = None,
        input_time_formats: Any = None,
        **kwargs: Any,
    ) -> None:
        errors = self.default_error_messages.copy()
        if "error_messages" in kwargs:
            errors.update(kwargs["error_messages"])
        localize = kwargs.get("localize", False)
        fields = (
            DateField(
                input_formats=input_date_formats,
                error_messages={"invalid": errors["invalid_date"]},
                localize=localize,
            ),
            TimeField(
                input_formats=input_time_formats,
                error_messages={"invalid": errors["invalid_time"]},
                localize=localize,
            ),
        )
        super().__init__(fields, **kwargs)

    def compress(self, data_list: list[Any]) -> Any:
        """Combine the date and the time (aware when USE_TZ)."""
        if data_list:
            if data_list[0] in self.empty_values:
                raise ValidationError(
                    self.error_messages["invalid_date"], code="invalid_date"
                )
            if data_list[1] in self.empty_values:
                raise ValidationError(
                    self.error_messages["invalid_time"], code="invalid_time"
                )
            result = datetime.datetime.combine(data_list[0], data_list[1])
            return from_current_timezone(result)
        return None
