"""HTML widgets: turn a value into markup and read it back from submitted data.

A widget never validates; it renders through the form renderer's templates
(``manouche/forms/widgets/*.html``) and extracts raw values from ``data`` and
``files`` in ``value_from_datadict``.
"""

from __future__ import annotations

from manouche.forms._media import Media, MediaDefiningClass, MediaOrderConflictWarning
from manouche.forms.widgets._base import Input, Widget
from manouche.forms.widgets._choices import (
    CheckboxSelectMultiple,
    ChoiceWidget,
    NullBooleanSelect,
    RadioSelect,
    Select,
    SelectMultiple,
)
from manouche.forms.widgets._files import (
    FILE_INPUT_CONTRADICTION,
    ClearableFileInput,
    FileInput,
)
from manouche.forms.widgets._inputs import (
    CheckboxInput,
    ColorInput,
    DateInput,
    DateTimeBaseInput,
    DateTimeInput,
    EmailInput,
    HiddenInput,
    MultipleHiddenInput,
    NumberInput,
    PasswordInput,
    SearchInput,
    TelInput,
    Textarea,
    TextInput,
    TimeInput,
    URLInput,
    boolean_check,
)
from manouche.forms.widgets._multi import (
    MultiWidget,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
)
from manouche.forms.widgets._select_date import MONTHS, SelectDateWidget

__all__ = [
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "ChoiceWidget",
    "ClearableFileInput",
    "ColorInput",
    "DateInput",
    "DateTimeBaseInput",
    "DateTimeInput",
    "EmailInput",
    "FILE_INPUT_CONTRADICTION",
    "FileInput",
    "HiddenInput",
    "Input",
    "MONTHS",
    "Media",
    "MediaDefiningClass",
    "MediaOrderConflictWarning",
    "MultiWidget",
    "MultipleHiddenInput",
    "NullBooleanSelect",
    "NumberInput",
    "PasswordInput",
    "RadioSelect",
    "SearchInput",
    "Select",
    "SelectDateWidget",
    "SelectMultiple",
    "SplitDateTimeWidget",
    "SplitHiddenDateTimeWidget",
    "TelInput",
    "TextInput",
    "Textarea",
    "TimeInput",
    "URLInput",
    "Widget",
    "boolean_check",
]
