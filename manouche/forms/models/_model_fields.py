"""Translate between model fields and form fields, and instances and data.

Form fields come from each model field's ``formfield()`` when it has one,
else from a mapping by internal type kept here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.core.exceptions import FieldError
from manouche.forms import fields as ff
from manouche.forms.models._choices import ModelChoiceField, ModelMultipleChoiceField
from manouche.forms.widgets import Textarea

ALL_FIELDS = "__all__"

_SIMPLE_FORM_FIELDS: dict[str, Any] = {
    "CharField": ff.CharField,
    "TextField": ff.CharField,
    "EmailField": ff.EmailField,
    "SlugField": ff.SlugField,
    "URLField": ff.URLField,
    "IntegerField": ff.IntegerField,
    "SmallIntegerField": ff.IntegerField,
    "BigIntegerField": ff.IntegerField,
    "PositiveIntegerField": ff.IntegerField,
    "PositiveSmallIntegerField": ff.IntegerField,
    "PositiveBigIntegerField": ff.IntegerField,
    "FloatField": ff.FloatField,
    "DecimalField": ff.DecimalField,
    "BooleanField": ff.BooleanField,
    "NullBooleanField": ff.NullBooleanField,
    "DateField": ff.DateField,
    "DateTimeField": ff.DateTimeField,
    "TimeField": ff.TimeField,
    "DurationField": ff.DurationField,
    "UUIDField": ff.UUIDField,
    "GenericIPAddressField": ff.GenericIPAddressField,
    "IPAddressField": ff.GenericIPAddressField,
    "JSONField": ff.JSONField,
    "FileField": ff.FileField,
    "ImageField": ff.ImageField,
    "FilePathField": ff.CharField,
}


def _default_formfield(  # noqa: C901 - one branch per model field family
    db_field: Any, form_class: Any = None, **kwargs: Any
) -> Any:
    """Build a form field for ``db_field`` the way Django's formfield() does."""
    if getattr(db_field, "auto_created", False) and db_field.primary_key:
        return None
    internal = db_field.get_internal_type()
    if internal in {"AutoField", "BigAutoField", "SmallAutoField"}:
        return None
    defaults: dict[str, Any] = {
        "required": not db_field.blank,
        "label": _capfirst(db_field.verbose_name),
        "help_text": db_field.help_text,
    }
    if db_field.has_default():
        if callable(db_field.default):
            defaults["initial"] = db_field.default
            defaults["show_hidden_initial"] = True
        else:
            defaults["initial"] = db_field.get_default()
    if getattr(db_field, "many_to_many", False):
        defaults = {**defaults, "queryset": _related_queryset(db_field)}
        defaults["required"] = not db_field.blank
        defaults.update(kwargs)
        return (form_class or ModelMultipleChoiceField)(**defaults)
    if getattr(db_field, "remote_field", None) is not None:
        defaults["queryset"] = _related_queryset(db_field)
        to_field = getattr(db_field.remote_field, "field_name", None)
        defaults["to_field_name"] = to_field
        if db_field.blank or db_field.null:
            defaults["required"] = False
        defaults.update(kwargs)
        return (form_class or ModelChoiceField)(**defaults)
    if db_field.choices is not None:
        include_blank = db_field.blank or not (
            db_field.has_default() or "initial" in kwargs
        )
        defaults["choices"] = db_field.get_choices(include_blank=include_blank)
        defaults["coerce"] = db_field.to_python
        if db_field.null:
            defaults["empty_value"] = None
        choices_form_class = kwargs.pop("choices_form_class", None)
        for key in list(kwargs):
            if key not in {
                "coerce",
                "empty_value",
                "choices",
                "required",
                "widget",
                "label",
                "initial",
                "help_text",
                "error_messages",
                "show_hidden_initial",
                "disabled",
            }:
                del kwargs[key]
        defaults.update(kwargs)
        return (choices_form_class or form_class or ff.TypedChoiceField)(**defaults)
    field_class = form_class or _SIMPLE_FORM_FIELDS.get(internal, ff.CharField)
    if issubclass(field_class, (ff.CharField, ff.FileField)) and db_field.max_length:
        defaults["max_length"] = db_field.max_length
    if internal == "TextField":
        defaults["widget"] = Textarea
    if issubclass(field_class, ff.CharField) and db_field.null:
        defaults["empty_value"] = None
    if internal == "DecimalField":
        defaults["max_digits"] = db_field.max_digits
        defaults["decimal_places"] = db_field.decimal_places
    if internal == "BooleanField" and db_field.null:
        field_class = form_class or ff.NullBooleanField
    if internal == "BooleanField" and db_field.has_default():
        defaults["required"] = False
    if internal in {"GenericIPAddressField", "IPAddressField"}:
        defaults["protocol"] = getattr(db_field, "protocol", "both")
        defaults.pop("max_length", None)
    if internal == "JSONField":
        defaults["encoder"] = getattr(db_field, "encoder", None)
        defaults["decoder"] = getattr(db_field, "decoder", None)
    if internal in {"FileField", "ImageField"}:
        defaults.pop("show_hidden_initial", None)
    defaults.update(kwargs)
    return field_class(**defaults)


def _capfirst(value: Any) -> Any:
    text = str(value) if value is not None else ""
    return text[:1].upper() + text[1:]


def _related_queryset(db_field: Any) -> Any:
    model = db_field.remote_field.model
    if isinstance(model, str):
        model = db_field.related_model
    queryset = model._default_manager.all()
    limit = getattr(db_field, "get_limit_choices_to", None)
    choices = limit() if callable(limit) else None
    if choices:
        queryset = queryset.complex_filter(choices)
    return queryset


def formfield_for(db_field: Any, **kwargs: Any) -> Any:
    """Return the form field for ``db_field`` (None for non-editable keys)."""
    formfield = getattr(db_field, "formfield", None)
    if callable(formfield):
        return formfield(**kwargs)
    return _default_formfield(db_field, **kwargs)


def construct_instance(
    form: Any, instance: Any, fields: Any = None, exclude: Any = None
) -> Any:
    """Copy ``form.cleaned_data`` onto ``instance`` (without saving)."""
    opts = instance._meta
    cleaned_data = form.cleaned_data
    file_field_list = []
    for f in opts.fields:
        if (
            not f.editable
            or (getattr(f, "auto_created", False) and f.primary_key)
            or f.name not in cleaned_data
        ):
            continue
        if fields is not None and f.name not in fields:
            continue
        if exclude and f.name in exclude:
            continue
        if (
            f.has_default()
            and form[f.name].field.widget.value_omitted_from_data(
                form.data, form.files, form.add_prefix(f.name)
            )
            and cleaned_data.get(f.name) in form[f.name].field.empty_values
        ):
            continue
        if f.get_internal_type() in {"FileField", "ImageField"}:
            file_field_list.append(f)
        else:
            f.save_form_data(instance, cleaned_data[f.name])
    for f in file_field_list:
        f.save_form_data(instance, cleaned_data[f.name])
    return instance


def model_to_dict(
    instance: Any, fields: Any = None, exclude: Any = None
) -> dict[str, Any]:
    """Return the instance's editable field values (m2m as lists)."""
    opts = instance._meta
    data: dict[str, Any] = {}
    for f in [*opts.concrete_fields, *opts.many_to_many]:
        if not getattr(f, "editable", True):
            continue
        if fields is not None and f.name not in fields:
            continue
        if exclude and f.name in exclude:
            continue
        if getattr(f, "many_to_many", False):
            data[f.name] = (
                list(getattr(instance, f.attname).all()) if instance.pk else []
            )
        else:
            data[f.name] = f.value_from_object(instance)
    return data


def fields_for_model(  # noqa: C901 - Django's option handling, step by step
    model: Any,
    fields: Any = None,
    exclude: Any = None,
    widgets: Any = None,
    formfield_callback: Callable[..., Any] | None = None,
    localized_fields: Any = None,
    labels: Any = None,
    help_texts: Any = None,
    error_messages: Any = None,
    field_classes: Any = None,
    *,
    apply_limit_choices_to: bool = True,
    form_declared_fields: Any = None,
) -> dict[str, Any]:
    """Return ``{name: form field}`` for the model's editable fields."""
    form_declared_fields = form_declared_fields or {}
    field_dict: dict[str, Any] = {}
    ignored = []
    opts = model._meta
    for f in sorted(
        [*opts.concrete_fields, *opts.many_to_many], key=lambda f: f.creation_counter
    ):
        if not getattr(f, "editable", True):
            if (
                fields is not None
                and f.name in fields
                and (not exclude or f.name not in exclude)
            ):
                raise FieldError(
                    f"'{f.name}' cannot be specified for {model.__name__} model "
                    "form as it is a non-editable field"
                )
            continue
        if fields is not None and f.name not in fields:
            continue
        if exclude and f.name in exclude:
            continue
        if f.name in form_declared_fields:
            field_dict[f.name] = form_declared_fields[f.name]
            continue
        kwargs: dict[str, Any] = {}
        if widgets and f.name in widgets:
            kwargs["widget"] = widgets[f.name]
        if localized_fields == ALL_FIELDS or (
            localized_fields and f.name in localized_fields
        ):
            kwargs["localize"] = True
        if labels and f.name in labels:
            kwargs["label"] = labels[f.name]
        if help_texts and f.name in help_texts:
            kwargs["help_text"] = help_texts[f.name]
        if error_messages and f.name in error_messages:
            kwargs["error_messages"] = error_messages[f.name]
        if field_classes and f.name in field_classes:
            kwargs["form_class"] = field_classes[f.name]
        if formfield_callback is None:
            formfield = formfield_for(f, **kwargs)
        elif not callable(formfield_callback):
            raise TypeError("formfield_callback must be a function or callable")
        else:
            formfield = formfield_callback(f, **kwargs)
        if formfield:
            field_dict[f.name] = formfield
        else:
            ignored.append(f.name)
    if fields:
        field_dict = {
            f: field_dict.get(f)
            for f in fields
            if (not exclude or f not in exclude) and f not in ignored
        }
    return field_dict
