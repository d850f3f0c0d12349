"""Date, time, datetime and duration fields parsed with configured formats."""

from __future__ import annotations

import datetime
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields._base import Field
from manouche.forms.utils import from_current_timezone, to_current_timezone
from manouche.forms.widgets import DateInput, DateTimeInput, TimeInput
from manouche.utils import formats
from manouche.utils.dateparse import parse_datetime, parse_duration
from manouche.utils.duration import duration_string
from manouche.utils.translation import gettext_lazy as _


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

    widget: Any = DateInput
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

    widget: Any = TimeInput
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

    widget: Any = DateTimeInput
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
