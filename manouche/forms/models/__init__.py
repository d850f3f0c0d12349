"""ModelForm, model formsets and model choice fields (Django's forms.models).

The pieces live in private modules, one concept each (model-to-form field
mapping, ModelForm, model formsets, inline formsets, queryset choice fields);
this package re-exports them under Django's ``forms.models`` names. Saving
goes through the model API only; no SQL here.
"""

from __future__ import annotations

from manouche.forms.models._choices import (
    ModelChoiceField,
    ModelChoiceIterator,
    ModelChoiceIteratorValue,
    ModelMultipleChoiceField,
)
from manouche.forms.models._forms import (
    BaseModelForm,
    ModelForm,
    ModelFormMetaclass,
    ModelFormOptions,
    apply_limit_choices_to_to_formfield,
    modelform_factory,
)
from manouche.forms.models._formsets import BaseModelFormSet, modelformset_factory
from manouche.forms.models._inline import (
    BaseInlineFormSet,
    InlineForeignKeyField,
    inlineformset_factory,
)
from manouche.forms.models._model_fields import (
    ALL_FIELDS,
    construct_instance,
    fields_for_model,
    formfield_for,
    model_to_dict,
)

__all__ = [
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
    "formfield_for",
    "inlineformset_factory",
    "model_to_dict",
    "modelform_factory",
    "modelformset_factory",
]
