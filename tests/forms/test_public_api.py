"""The public forms API: Django's names importable from Django's modules.

The implementation lives in private modules; these tests pin the public
surface so a reorganisation never moves or drops a name by accident.
"""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PUBLIC_MODULES = [
    "manouche.forms",
    "manouche.forms.fields",
    "manouche.forms.models",
    "manouche.forms.widgets",
]

# Django's names, by the module Django defines (or re-exports) them in.
DJANGO_NAMES = {
    "manouche.forms.fields": [
        "BaseTemporalField",
        "BooleanField",
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
        "InvalidJSONInput",
        "JSONField",
        "JSONString",
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
    ],
    "manouche.forms.widgets": [
        "FILE_INPUT_CONTRADICTION",
        "CheckboxInput",
        "CheckboxSelectMultiple",
        "ChoiceWidget",
        "ClearableFileInput",
        "ColorInput",
        "DateInput",
        "DateTimeBaseInput",
        "DateTimeInput",
        "EmailInput",
        "FileInput",
        "HiddenInput",
        "Input",
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
    ],
    "manouche.forms.models": [
        "ALL_FIELDS",
        "BaseInlineFormSet",
        "BaseModelForm",
        "BaseModelFormSet",
        "InlineForeignKeyField",
        "ModelChoiceField",
        "ModelChoiceIterator",
        "ModelChoiceIteratorValue",
        "ModelForm",
        "ModelFormMetaclass",
        "ModelFormOptions",
        "ModelMultipleChoiceField",
        "apply_limit_choices_to_to_formfield",
        "construct_instance",
        "fields_for_model",
        "inlineformset_factory",
        "model_to_dict",
        "modelform_factory",
        "modelformset_factory",
    ],
    "manouche.forms": [
        "BaseForm",
        "BaseFormSet",
        "BoundField",
        "Form",
        "Media",
        "ModelForm",
        "ValidationError",
        "all_valid",
        "formset_factory",
        "modelform_factory",
    ],
}


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_name_in_all_is_importable(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_is_sorted_without_duplicates(module_name: str) -> None:
    names = importlib.import_module(module_name).__all__
    assert names == sorted(set(names))


@pytest.mark.parametrize("module_name", sorted(DJANGO_NAMES))
def test_django_names_are_public_in_djangos_module(module_name: str) -> None:
    module = importlib.import_module(module_name)
    expected = DJANGO_NAMES[module_name]
    assert [name for name in expected if name not in module.__all__] == []
    assert [name for name in expected if not hasattr(module, name)] == []


@pytest.mark.parametrize(
    "module_name", ["manouche.forms.fields", "manouche.forms.widgets"]
)
def test_form_package_reexports_every_field_and_widget(module_name: str) -> None:
    package = importlib.import_module("manouche.forms")
    module = importlib.import_module(module_name)
    names = [name for name in package.__all__ if name in module.__all__]
    assert names
    assert all(getattr(package, name) is getattr(module, name) for name in names)


def test_forms_package_imports_without_loading_model_forms() -> None:
    code = (
        "import sys, manouche.forms\n"
        "loaded = sorted(m for m in sys.modules"
        " if m.startswith(('manouche.forms.models', 'manouche.db')))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_unknown_forms_attribute_raises_attribute_error() -> None:
    import manouche.forms

    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        manouche.forms.Nope  # noqa: B018 - the lookup itself is under test
