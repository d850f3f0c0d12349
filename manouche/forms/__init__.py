"""HTML forms: fields, widgets, validation, rendering, formsets, ModelForms.

The names mirror ``django.forms``. Model-backed pieces (ModelForm, model
formsets, model choice fields) live in ``manouche.forms.models`` and are
imported lazily so this package does not load the ORM unless asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ValidationError
from manouche.forms.boundfield import BoundField, BoundWidget
from manouche.forms.fields import (
    BooleanField,
    CallableChoiceIterator,
    CharField,
    ChoiceField,
    ComboField,
    DateField,
    DateTimeField,
    DecimalField,
    DurationField,
    EmailField,
    Field,
    FileField,
    FilePathField,
    FloatField,
    GenericIPAddressField,
    ImageField,
    IntegerField,
    JSONField,
    MultipleChoiceField,
    MultiValueField,
    NullBooleanField,
    RegexField,
    SlugField,
    SplitDateTimeField,
    TimeField,
    TypedChoiceField,
    TypedMultipleChoiceField,
    URLField,
    UUIDField,
)
from manouche.forms.forms import BaseForm, DeclarativeFieldsMetaclass, Form
from manouche.forms.formsets import BaseFormSet, all_valid, formset_factory
from manouche.forms.widgets import (
    CheckboxInput,
    CheckboxSelectMultiple,
    ClearableFileInput,
    ColorInput,
    DateInput,
    DateTimeBaseInput,
    DateTimeInput,
    EmailInput,
    FileInput,
    HiddenInput,
    Input,
    Media,
    MediaDefiningClass,
    MultipleHiddenInput,
    MultiWidget,
    NullBooleanSelect,
    NumberInput,
    PasswordInput,
    RadioSelect,
    SearchInput,
    Select,
    SelectDateWidget,
    SelectMultiple,
    SplitDateTimeWidget,
    SplitHiddenDateTimeWidget,
    TelInput,
    Textarea,
    TextInput,
    TimeInput,
    URLInput,
    Widget,
)

if TYPE_CHECKING:
    # Seen by type checkers only; at run time __getattr__ imports these lazily.
    from manouche.forms.models import (
        BaseInlineFormSet,
        BaseModelForm,
        BaseModelFormSet,
        InlineForeignKeyField,
        ModelChoiceField,
        ModelChoiceIterator,
        ModelForm,
        ModelMultipleChoiceField,
        fields_for_model,
        inlineformset_factory,
        model_to_dict,
        modelform_factory,
        modelformset_factory,
    )


def __getattr__(name: str) -> Any:
    """Import the ModelForm family on first use (it needs the ORM)."""
    # Only the lazily loaded ModelForm names are listed in __all__ but absent.
    if name in __all__:
        from manouche.forms import models

        return getattr(models, name)
    raise AttributeError(f"module 'manouche.forms' has no attribute {name!r}")


__all__ = [
    "BaseForm",
    "BaseFormSet",
    "BaseInlineFormSet",
    "BaseModelForm",
    "BaseModelFormSet",
    "BooleanField",
    "BoundField",
    "BoundWidget",
    "CallableChoiceIterator",
    "CharField",
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "ChoiceField",
    "ClearableFileInput",
    "ColorInput",
    "ComboField",
    "DateField",
    "DateInput",
    "DateTimeBaseInput",
    "DateTimeField",
    "DateTimeInput",
    "DecimalField",
    "DeclarativeFieldsMetaclass",
    "DurationField",
    "EmailField",
    "EmailInput",
    "Field",
    "FileField",
    "FileInput",
    "FilePathField",
    "FloatField",
    "Form",
    "GenericIPAddressField",
    "HiddenInput",
    "ImageField",
    "InlineForeignKeyField",
    "Input",
    "IntegerField",
    "JSONField",
    "Media",
    "MediaDefiningClass",
    "ModelChoiceField",
    "ModelChoiceIterator",
    "ModelForm",
    "ModelMultipleChoiceField",
    "MultiValueField",
    "MultiWidget",
    "MultipleChoiceField",
    "MultipleHiddenInput",
    "NullBooleanField",
    "NullBooleanSelect",
    "NumberInput",
    "PasswordInput",
    "RadioSelect",
    "RegexField",
    "SearchInput",
    "Select",
    "SelectDateWidget",
    "SelectMultiple",
    "SlugField",
    "SplitDateTimeField",
    "SplitDateTimeWidget",
    "SplitHiddenDateTimeWidget",
    "TelInput",
    "TextInput",
    "Textarea",
    "TimeField",
    "TimeInput",
    "TypedChoiceField",
    "TypedMultipleChoiceField",
    "URLField",
    "URLInput",
    "UUIDField",
    "ValidationError",
    "Widget",
    "all_valid",
    "fields_for_model",
    "formset_factory",
    "inlineformset_factory",
    "model_to_dict",
    "modelform_factory",
    "modelformset_factory",
]
