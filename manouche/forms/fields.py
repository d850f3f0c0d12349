"""Form fields: clean raw submitted values into Python values, or refuse them.

Each field runs ``to_python`` then ``validate`` then ``run_validators``.
Hostile input (huge numbers, deep JSON, overlong text) ends as a
ValidationError, never an exception escaping ``clean`` or unbounded work.
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import operator
import os
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, DecimalException
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from manouche.core import validators
from manouche.core.exceptions import ImproperlyConfigured, ValidationError
from manouche.forms.boundfield import BoundField
from manouche.forms.utils import from_current_timezone, to_current_timezone
from manouche.forms.widgets import (
    FILE_INPUT_CONTRADICTION,
    CheckboxInput,
    ClearableFileInput,
    DateInput,
    DateTimeInput,
    EmailInput,
    FileInput,
    HiddenInput,
    MultipleHiddenInput,
    NullBooleanSelect,
    NumberInput,
    Select,
    SelectMultiple,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
    Textarea,
    TextInput,
    TimeInput,
    URLInput,
    Widget,
)
from manouche.utils import formats
from manouche.utils.dateparse import parse_datetime, parse_duration
from manouche.utils.duration import duration_string
from manouche.utils.functional import Promise
from manouche.utils.translation import gettext_lazy as _
from manouche.utils.translation import ngettext_lazy

__all__ = [
    "BooleanField",
    "CallableChoiceIterator",
    "CharField",
    "ChoiceField",
    "ComboField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Field",
    "FileField",
    "FilePathField",
    "FloatField",
    "GenericIPAddressField",
    "ImageField",
    "IntegerField",
    "JSONField",
    "MultiValueField",
    "MultipleChoiceField",
    "NullBooleanField",
    "RegexField",
    "SlugField",
    "SplitDateTimeField",
    "TimeField",
    "TypedChoiceField",
    "TypedMultipleChoiceField",
    "URLField",
    "UUIDField",
    "normalize_choices",
]

# Longer numeric input is refused before conversion so parsing stays cheap.
MAX_NUMBER_LENGTH = 4300
JSON_MAX_DEPTH = 128


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


class CharField(Field):
    """A text field, stripped by default, with optional length limits."""

    def __init__(
        self,
        *,
        max_length: int | None = None,
        min_length: int | None = None,
        strip: bool = True,
        empty_value: Any = "",
        **kwargs: Any,
    ) -> None:
        self.max_length = max_length
        self.min_length = min_length
        self.strip = strip
        self.empty_value = empty_value
        super().__init__(**kwargs)
        if min_length is not None:
            self.validators.append(validators.MinLengthValidator(int(min_length)))
        if max_length is not None:
            self.validators.append(validators.MaxLengthValidator(int(max_length)))
        self.validators.append(validators.ProhibitNullCharactersValidator())

    def to_python(self, value: Any) -> Any:
        """Return a string (or ``empty_value``)."""
        if value not in self.empty_values:
            value = str(value)
            if self.strip:
                value = value.strip()
        if value in self.empty_values:
            return self.empty_value
        return value

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Add maxlength/minlength to visible widgets."""
        attrs = super().widget_attrs(widget)
        if self.max_length is not None and not widget.is_hidden:
            attrs["maxlength"] = str(self.max_length)
        if self.min_length is not None and not widget.is_hidden:
            attrs["minlength"] = str(self.min_length)
        return attrs


def _number_text(field: Field, value: Any) -> str:
    text = str(value)
    if field.localize:
        text = formats.sanitize_separators(text)
    if len(text) > MAX_NUMBER_LENGTH:
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    return text.strip()


class IntegerField(Field):
    """An integer, with optional min/max/step."""

    widget = NumberInput
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


class BaseTemporalField(Field):
    """A field parsed with a list of strptime formats."""

    format_key = ""

    def __init__(self, *, input_formats: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if input_formats is not None:
            self.input_formats = input_formats

    @property
    def input_formats(self) -> Any:
        """The formats tried in order (from settings unless given)."""
        return getattr(self, "_input_formats", None) or formats.get_format(
            self.format_key
        )

    @input_formats.setter
    def input_formats(self, value: Any) -> None:
        self._input_formats = value

    def to_python(self, value: Any) -> Any:
        """Try each input format in turn."""
        value = str(value).strip()
        for format in self.input_formats:
            try:
                return self.strptime(value, format)
            except (ValueError, TypeError, OverflowError):
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def strptime(self, value: str, format: str) -> Any:
        """Parse ``value`` with ``format``."""
        raise NotImplementedError("Subclasses must define this method.")


class DateField(BaseTemporalField):
    """A date."""

    widget = DateInput
    format_key = "DATE_INPUT_FORMATS"
    default_error_messages = {"invalid": _("Enter a valid date.")}

    def to_python(self, value: Any) -> Any:
        """Return a date or None."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return super().to_python(value)

    def strptime(self, value: str, format: str) -> datetime.date:
        """Parse a date."""
        return datetime.datetime.strptime(value, format).date()


class TimeField(BaseTemporalField):
    """A time of day."""

    widget = TimeInput
    format_key = "TIME_INPUT_FORMATS"
    default_error_messages = {"invalid": _("Enter a valid time.")}

    def to_python(self, value: Any) -> Any:
        """Return a time or None."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        return super().to_python(value)

    def strptime(self, value: str, format: str) -> datetime.time:
        """Parse a time."""
        return datetime.datetime.strptime(value, format).time()


class DateTimeField(BaseTemporalField):
    """A datetime (ISO 8601 or an input format), aware when USE_TZ."""

    widget = DateTimeInput
    format_key = "DATETIME_INPUT_FORMATS"
    default_error_messages = {"invalid": _("Enter a valid date/time.")}

    def prepare_value(self, value: Any) -> Any:
        """Show datetimes in the current time zone."""
        if isinstance(value, datetime.datetime):
            value = to_current_timezone(value)
        return value

    def to_python(self, value: Any) -> Any:
        """Return a datetime or None."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        if isinstance(value, datetime.date):
            result = datetime.datetime(value.year, value.month, value.day)
            return from_current_timezone(result)
        try:
            parsed = parse_datetime(str(value).strip())
        except (ValueError, OverflowError):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not parsed:
            parsed = super().to_python(value)
        return from_current_timezone(parsed)

    def strptime(self, value: str, format: str) -> datetime.datetime:
        """Parse a datetime."""
        return datetime.datetime.strptime(value, format)


class DurationField(Field):
    """A timedelta, from ``[DD] [HH:[MM:]]ss[.uuuuuu]`` or ISO 8601."""

    default_error_messages = {
        "invalid": _("Enter a valid duration."),
        "overflow": _("The number of days must be between {min_days} and {max_days}."),
    }

    def prepare_value(self, value: Any) -> Any:
        """Show timedeltas in the input format."""
        if isinstance(value, datetime.timedelta):
            return duration_string(value)
        return value

    def to_python(self, value: Any) -> Any:
        """Return a timedelta or None."""
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.timedelta):
            return value
        text = str(value)
        if len(text) > 100:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            parsed = parse_duration(text)
        except OverflowError:
            raise ValidationError(
                self.error_messages["overflow"].format(
                    min_days=datetime.timedelta.min.days,
                    max_days=datetime.timedelta.max.days,
                ),
                code="overflow",
            )
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class RegexField(CharField):
    """A string matching a regular expression (not stripped by default)."""

    def __init__(self, regex: Any, **kwargs: Any) -> None:
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self._regex_validator: Any = None
        self.regex = regex

    @property
    def regex(self) -> Any:
        """The compiled regex."""
        return self._regex

    @regex.setter
    def regex(self, regex: Any) -> None:
        if isinstance(regex, str):
            regex = re.compile(regex)
        self._regex = regex
        if self._regex_validator in self.validators:
            self.validators.remove(self._regex_validator)
        self._regex_validator = validators.RegexValidator(regex=regex)
        self.validators.append(self._regex_validator)


class EmailField(CharField):
    """An email address (320 characters at most by default)."""

    widget = EmailInput
    default_validators = [validators.validate_email]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 320)
        super().__init__(strip=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        """Refuse overlong input before the email regex sees it."""
        value = super().to_python(value)
        if (
            isinstance(value, str)
            and self.max_length is not None
            and len(value) > self.max_length
        ):
            raise ValidationError(
                validators.MaxLengthValidator(self.max_length).message,
                code="max_length",
                params={
                    "limit_value": self.max_length,
                    "show_value": len(value),
                    "value": value,
                },
            )
        return value


def _url_scheme_default() -> str:
    from manouche.conf import settings

    return (
        "https" if getattr(settings, "FORMS_URLFIELD_ASSUME_HTTPS", False) else "http"
    )


class URLField(CharField):
    """A URL; a missing scheme gets ``assume_scheme``."""

    widget = URLInput
    default_error_messages = {"invalid": _("Enter a valid URL.")}
    default_validators = [validators.URLValidator()]

    def __init__(self, *, assume_scheme: str | None = None, **kwargs: Any) -> None:
        self.assume_scheme = assume_scheme or _url_scheme_default()
        super().__init__(strip=True, **kwargs)

    def to_python(self, value: Any) -> Any:
        """Normalise the URL, adding the scheme when missing."""

        def split_url(url: str) -> list[str]:
            try:
                return list(urlsplit(url))
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid")

        value = super().to_python(value)
        if value:
            url_fields = split_url(value)
            if not url_fields[0]:
                url_fields[0] = self.assume_scheme
            if not url_fields[1]:
                url_fields[1] = url_fields[2]
                url_fields[2] = ""
                url_fields = split_url(urlunsplit(url_fields))
            value = urlunsplit(url_fields)
        return value


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


class BaseChoiceIterator:
    """Base for lazy choice iterators."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            "BaseChoiceIterator subclasses must implement __iter__()."
        )

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]


class CallableChoiceIterator(BaseChoiceIterator):
    """Call the choices function on each iteration."""

    def __init__(self, func: Callable[[], Any]) -> None:
        self.func = func

    def __iter__(self) -> Iterator[Any]:
        yield from normalize_choices(self.func())


def normalize_choices(value: Any, *, depth: int = 0) -> Any:
    """Turn dicts, enums, callables and nested iterables into choice pairs."""
    if isinstance(value, type) and hasattr(value, "choices"):
        value = value.choices
    if isinstance(value, BaseChoiceIterator) or value is None:
        return value
    if isinstance(value, (str, bytes, Promise)):
        return value
    if isinstance(value, Mapping):
        value = value.items()
    elif callable(value) and depth == 0:
        return CallableChoiceIterator(value)
    try:
        items = iter(value)
    except TypeError:
        return value
    result = []
    for item in items:
        try:
            key, label = item
        except (TypeError, ValueError):
            return value
        if (
            depth < 2
            and isinstance(label, (Mapping, list, tuple))
            and not isinstance(label, str)
        ):
            label = normalize_choices(label, depth=depth + 1)
        result.append((key, label))
    return result


class ChoiceField(Field):
    """One value from a list of choices."""

    widget = Select
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

    hidden_widget = MultipleHiddenInput
    widget = SelectMultiple
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

    widget = SplitDateTimeWidget
    hidden_widget = SplitHiddenDateTimeWidget
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


class GenericIPAddressField(CharField):
    """An IPv4 or IPv6 address (normalised)."""

    def __init__(
        self, *, protocol: str = "both", unpack_ipv4: bool = False, **kwargs: Any
    ) -> None:
        self.unpack_ipv4 = unpack_ipv4
        self.default_validators = _ip_address_validators(protocol, unpack_ipv4)
        kwargs.setdefault("max_length", 39)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        """Return the address, IPv6 compressed (IPv4-mapped unpacked if asked)."""
        if value in self.empty_values:
            return ""
        value = str(value).strip()
        if value and ":" in value:
            return clean_ipv6_address(value, self.unpack_ipv4)
        return value


def clean_ipv6_address(
    ip_str: str,
    unpack_ipv4: bool = False,
    error_message: Any = None,
    max_length: int = 39,
) -> str:
    """Return the compressed form of an IPv6 address, or raise."""
    import ipaddress

    message = error_message or _("This is not a valid IPv6 address.")
    if len(ip_str) > max_length:
        raise ValidationError(message, code="invalid", params={"value": ip_str})
    try:
        addr = ipaddress.IPv6Address(int(ipaddress.IPv6Address(ip_str)))
    except ValueError:
        raise ValidationError(message, code="invalid", params={"value": ip_str})
    if unpack_ipv4 and addr.ipv4_mapped:
        return str(addr.ipv4_mapped)
    if addr.ipv4_mapped:
        return "::ffff:" + str(addr.ipv4_mapped)
    return str(addr)


def _ip_address_validators(protocol: str, unpack_ipv4: bool) -> list[Any]:
    if protocol != "both" and unpack_ipv4:
        raise ValueError(
            "You can only use `unpack_ipv4` if `protocol` is set to 'both'"
        )
    table = {
        "both": validators.validate_ipv46_address,
        "ipv4": validators.validate_ipv4_address,
        "ipv6": validators.validate_ipv6_address,
    }
    try:
        return [table[protocol.lower()]]
    except KeyError:
        raise ValueError(
            f"The protocol '{protocol}' is unknown. Supported: {list(table)}"
        ) from None


class SlugField(CharField):
    """Letters, numbers, underscores and hyphens (Unicode letters if asked)."""

    default_validators = [validators.validate_slug]

    def __init__(self, *, allow_unicode: bool = False, **kwargs: Any) -> None:
        self.allow_unicode = allow_unicode
        if self.allow_unicode:
            self.default_validators = [validators.validate_unicode_slug]
        super().__init__(**kwargs)


class UUIDField(CharField):
    """A UUID."""

    default_error_messages = {"invalid": _("Enter a valid UUID.")}

    def prepare_value(self, value: Any) -> Any:
        """Show UUIDs as strings."""
        if isinstance(value, uuid.UUID):
            return str(value)
        return value

    def to_python(self, value: Any) -> Any:
        """Return a UUID or None."""
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not isinstance(value, uuid.UUID):
            if len(value) > 64:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                value = uuid.UUID(hex=value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


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
    widget = Textarea

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


class FileField(Field):
    """An uploaded file (request.FILES); the client's name is never trusted."""

    widget = ClearableFileInput
    default_error_messages = {
        "invalid": _("No file was submitted. Check the encoding type on the form."),
        "missing": _("No file was submitted."),
        "empty": _("The submitted file is empty."),
        "max_length": ngettext_lazy(
            "Ensure this filename has at most %(max)d character (it has %(length)d).",
            "Ensure this filename has at most %(max)d characters (it has %(length)d).",
            "max",
        ),
        "contradiction": _(
            "Please either submit a file or check the clear checkbox, not both."
        ),
    }

    def __init__(
        self,
        *,
        max_length: int | None = None,
        allow_empty_file: bool = False,
        **kwargs: Any,
    ) -> None:
        self.max_length = max_length
        self.allow_empty_file = allow_empty_file
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        """Return the uploaded file after checking its name and size."""
        if data in self.empty_values:
            return None
        try:
            file_name = data.name
            file_size = data.size
        except AttributeError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not isinstance(file_name, str) or not file_name:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if self.max_length is not None and len(file_name) > self.max_length:
            params = {"max": self.max_length, "length": len(file_name)}
            raise ValidationError(
                self.error_messages["max_length"], code="max_length", params=params
            )
        if not self.allow_empty_file and not file_size:
            raise ValidationError(self.error_messages["empty"], code="empty")
        return data

    def clean(self, data: Any, initial: Any = None) -> Any:
        """Handle the clear checkbox and keep ``initial`` when nothing is sent."""
        if data is FILE_INPUT_CONTRADICTION:
            raise ValidationError(
                self.error_messages["contradiction"], code="contradiction"
            )
        if data is False:
            if not self.required:
                return False
            data = None
        if not data and initial:
            return initial
        return super().clean(data)

    def bound_data(self, _data: Any, initial: Any) -> Any:
        """Files are never redisplayed: show the initial file."""
        return initial

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Changed when something was submitted."""
        return not self.disabled and data is not None


def _image_module() -> Any:
    try:
        from PIL import Image  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ImproperlyConfigured(
            "ImageField needs Pillow. Install it with: pip install 'manouche[images]'"
        ) from exc
    return Image


def validate_image_file_extension(value: Any) -> None:
    """Refuse extensions Pillow cannot open."""
    image = _image_module()
    image.init()
    extensions = [ext.lower()[1:] for ext in image.EXTENSION]
    validators.FileExtensionValidator(allowed_extensions=extensions)(value)


class ImageField(FileField):
    """An uploaded image, verified with Pillow (which is required)."""

    default_validators = [validate_image_file_extension]
    default_error_messages = {
        "invalid_image": _(
            "Upload a valid image. The file you uploaded was either not an "
            "image or a corrupted image."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        _image_module()
        super().__init__(**kwargs)

    def to_python(self, data: Any) -> Any:
        """Check the content is an image Pillow can read."""
        f = super().to_python(data)
        if f is None:
            return None
        image_module = _image_module()
        if hasattr(data, "temporary_file_path"):
            file: Any = data.temporary_file_path()
        elif hasattr(data, "read"):
            data.seek(0)
            file = BytesIO(data.read())
        else:
            file = BytesIO(data["content"])
        try:
            image = image_module.open(file)
            image.verify()
            f.image = image
            f.content_type = image_module.MIME.get(image.format)
        except Exception as exc:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from exc
        if hasattr(f, "seek") and callable(f.seek):
            f.seek(0)
        return f

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """Add ``accept="image/*"`` to file inputs."""
        attrs = super().widget_attrs(widget)
        if isinstance(widget, FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", "image/*")
        return attrs


class FilePathField(ChoiceField):
    """A choice among the files (and/or folders) under ``path``."""

    def __init__(
        self,
        path: str,
        *,
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        **kwargs: Any,
    ) -> None:
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        super().__init__(choices=(), **kwargs)
        choices: list[tuple[str, str]] = [] if self.required else [("", "---------")]
        self.match_re = re.compile(self.match) if self.match is not None else None
        if recursive:
            choices.extend(self._walk())
        else:
            choices.extend(self._scan())
        self.choices = choices

    def _matches(self, name: str) -> bool:
        return self.match_re is None or bool(self.match_re.search(name))

    def _walk(self) -> list[tuple[str, str]]:
        found = []
        for root, dirs, files in sorted(os.walk(self.path)):
            if self.allow_files:
                for f in sorted(files):
                    if self._matches(f):
                        f = os.path.join(root, f)
                        found.append((f, f.replace(self.path, "", 1)))
            if self.allow_folders:
                for f in sorted(dirs):
                    if f == "__pycache__":
                        continue
                    if self._matches(f):
                        f = os.path.join(root, f)
                        found.append((f, f.replace(self.path, "", 1)))
        return found

    def _scan(self) -> list[tuple[str, str]]:
        found = []
        with os.scandir(self.path) as entries:
            for entry in entries:
                if entry.name == "__pycache__":
                    continue
                if (
                    (self.allow_files and entry.is_file())
                    or (self.allow_folders and entry.is_dir())
                ) and self._matches(entry.name):
                    found.append((entry.path, entry.name))
        found.sort(key=operator.itemgetter(1))
        return found

    def widget_attrs(self, widget: Widget) -> dict[str, Any]:
        """No extra attributes."""
        return super().widget_attrs(widget)
