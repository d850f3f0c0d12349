"""Free-text fields: CharField and RegexField."""

from __future__ import annotations

import re
from typing import Any

from manouche.core import validators
from manouche.forms.fields._base import Field
from manouche.forms.widgets import Widget


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
