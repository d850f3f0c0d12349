"""Choice fields; ``choices`` are normalised by ``manouche.utils.choices``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.widgets import MultipleHiddenInput, Select, SelectMultiple
from manouche.utils.choices import normalize_choices
from manouche.utils.translation import gettext_lazy as _


class ChoiceField(Field):
    """One value from a list of choices."""

    widget: Any = Select
    default_error_messages = {
        "invalid_choice": _(
            "Select a valid choice. %(value)s is not one of the available choices."
        ),
    }

    def __init__(self, *, choices: Any = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        result = super().__deepcopy__(memo)
        result._choices = copy.deepcopy(self._choices, memo)  # type: ignore[attr-defined]
        return result

    @property
    def choices(self) -> Any:
        """The (value, label) pairs; setting them updates the widget too."""
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        self._choices = normalize_choices(value)
        setattr(self.widget, "choices", self._choices)  # noqa: B010

    def to_python(self, value: Any) -> Any:
        """Return a string."""
        if value in self.empty_values:
            return ""
        return str(value)

    def validate(self, value: Any) -> None:
        """Check that the value is one of the choices."""
        super().validate(value)
        if value and not self.valid_value(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )

    def valid_value(self, value: Any) -> bool:
        """Whether ``value`` is among the choices (groups included)."""
        text_value = str(value)
        for k, v in self.choices:
            if isinstance(v, (list, tuple)):
                for k2, _v2 in v:
                    if value == k2 or text_value == str(k2):
                        return True
            elif value == k or text_value == str(k):
                return True
        return False


class TypedChoiceField(ChoiceField):
    """A choice coerced with ``coerce``."""

    def __init__(
        self,
        *,
        coerce: Callable[[Any], Any] = lambda val: val,
        empty_value: Any = "",
        **kwargs: Any,
    ) -> None:
        self.coerce = coerce
        self.empty_value = empty_value
        super().__init__(**kwargs)

    def _coerce(self, value: Any) -> Any:
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        try:
            return self.coerce(value)
        except (ValueError, TypeError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )

    def clean(self, value: Any) -> Any:
        """Clean, then coerce."""
        value = super().clean(value)
        return self._coerce(value)


class MultipleChoiceField(ChoiceField):
    """Several values from a list of choices."""

    hidden_widget: Any = MultipleHiddenInput
    widget: Any = SelectMultiple
    default_error_messages = {
        "invalid_choice": _(
            "Select a valid choice. %(value)s is not one of the available choices."
        ),
        "invalid_list": _("Enter a list of values."),
    }

    def to_python(self, value: Any) -> Any:
        """Return a list of strings."""
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            )
        return [str(val) for val in value]

    def validate(self, value: Any) -> None:
        """Check that every value is one of the choices."""
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        for val in value:
            if not self.valid_value(val):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": val},
                )

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare as sets of strings."""
        if self.disabled:
            return False
        if initial is None:
            initial = []
        if data is None:
            data = []
        if len(initial) != len(data):
            return True
        return {str(v) for v in initial} != {str(v) for v in data}


class TypedMultipleChoiceField(MultipleChoiceField):
    """Several choices, each coerced with ``coerce``."""

    def __init__(
        self, *, coerce: Callable[[Any], Any] = lambda val: val, **kwargs: Any
    ) -> None:
        self.coerce = coerce
        self.empty_value = kwargs.pop("empty_value", [])
        super().__init__(**kwargs)

    def _coerce(self, value: Any) -> Any:
        if value == self.empty_value or value in self.empty_values:
            return self.empty_value
        new_value = []
        for choice in value:
            try:
                new_value.append(self.coerce(choice))
            except (ValueError, TypeError, ValidationError):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return new_value

    def clean(self, value: Any) -> Any:
        """Clean, then coerce each value."""
        value = super().clean(value)
        return self._coerce(value)

    def validate(self, value: Any) -> None:
        """Validate unless the value is the empty value."""
        if value != self.empty_value:
            super().validate(value)
        elif self.required:
            raise ValidationError(self.error_messages["required"], code="required")
