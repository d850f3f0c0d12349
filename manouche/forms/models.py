"""ModelForm, model formsets and model choice fields (Django's forms.models).

Form fields come from each model field's ``formfield()`` when it has one,
else from a mapping by internal type kept here. Saving goes through the
model API only (``save()``, ``save_form_data``, ``full_clean``); no SQL here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from manouche.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldError,
    ImproperlyConfigured,
    ValidationError,
)
from manouche.forms import fields as ff
from manouche.forms.fields import ChoiceField, Field
from manouche.forms.forms import BaseForm, DeclarativeFieldsMetaclass
from manouche.forms.formsets import BaseFormSet, formset_factory
from manouche.forms.widgets import (
    HiddenInput,
    MultipleHiddenInput,
    SelectMultiple,
    Textarea,
)
from manouche.utils.translation import gettext_lazy as _

__all__ = [
    "BaseInlineFormSet",
    "BaseModelForm",
    "BaseModelFormSet",
    "InlineForeignKeyField",
    "ModelChoiceField",
    "ModelChoiceIterator",
    "ModelForm",
    "ModelFormMetaclass",
    "ModelMultipleChoiceField",
    "construct_instance",
    "fields_for_model",
    "inlineformset_factory",
    "model_to_dict",
    "modelform_factory",
    "modelformset_factory",
]

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
    if db_field.choices:
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


class ModelFormOptions:
    """The options of a ModelForm's inner Meta."""

    def __init__(self, options: Any = None) -> None:
        self.model = getattr(options, "model", None)
        self.fields = getattr(options, "fields", None)
        self.exclude = getattr(options, "exclude", None)
        self.widgets = getattr(options, "widgets", None)
        self.localized_fields = getattr(options, "localized_fields", None)
        self.labels = getattr(options, "labels", None)
        self.help_texts = getattr(options, "help_texts", None)
        self.error_messages = getattr(options, "error_messages", None)
        self.field_classes = getattr(options, "field_classes", None)
        self.formfield_callback = getattr(options, "formfield_callback", None)
        for name in ("fields", "exclude", "localized_fields"):
            value = getattr(self, name)
            if isinstance(value, str) and value != ALL_FIELDS:
                raise TypeError(
                    f"{getattr(options, '__name__', 'Meta')}.{name} cannot be a "
                    f'string. Did you mean to type: ("{value}",)?'
                )


class ModelFormMetaclass(DeclarativeFieldsMetaclass):
    """Build ``base_fields`` from the Meta model plus declared fields."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> ModelFormMetaclass:
        new_class: Any = super().__new__(mcs, name, bases, attrs, **kwargs)
        if bases == (BaseModelForm,):
            return new_class  # type: ignore[no-any-return]
        opts = new_class._meta = ModelFormOptions(getattr(new_class, "Meta", None))
        if opts.model:
            if opts.fields is None and opts.exclude is None:
                raise ImproperlyConfigured(
                    "Creating a ModelForm without either the 'fields' attribute "
                    f"or the 'exclude' attribute is prohibited; form {name} "
                    "needs updating."
                )
            if opts.fields == ALL_FIELDS:
                opts.fields = None
            fields = fields_for_model(
                opts.model,
                opts.fields,
                opts.exclude,
                opts.widgets,
                opts.formfield_callback,
                opts.localized_fields,
                opts.labels,
                opts.help_texts,
                opts.error_messages,
                opts.field_classes,
                apply_limit_choices_to=False,
                form_declared_fields=new_class.declared_fields,
            )
            none_model_fields = {k for k, v in fields.items() if not v}
            missing = none_model_fields.difference(new_class.declared_fields)
            if missing:
                raise FieldError(
                    f"Unknown field(s) ({', '.join(sorted(missing))}) specified "
                    f"for {opts.model.__name__}"
                )
            fields.update(new_class.declared_fields)
        else:
            fields = new_class.declared_fields
        new_class.base_fields = fields
        return new_class  # type: ignore[no-any-return]


class BaseModelForm(BaseForm):
    """A form bound to a model instance: validate, then save() it."""

    _meta: ModelFormOptions

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        initial: dict[str, Any] | None = None,
        error_class: Any = None,
        label_suffix: str | None = None,
        empty_permitted: bool = False,
        instance: Any = None,
        use_required_attribute: bool | None = None,
        renderer: Any = None,
    ) -> None:
        opts = self._meta
        if opts.model is None:
            raise ValueError("ModelForm has no model class specified.")
        if instance is None:
            self.instance = opts.model()
            object_data: dict[str, Any] = {}
        else:
            self.instance = instance
            object_data = model_to_dict(instance, opts.fields, opts.exclude)
        if initial is not None:
            object_data.update(initial)
        self._validate_unique = False
        extra: dict[str, Any] = {}
        if error_class is not None:
            extra["error_class"] = error_class
        super().__init__(
            data,
            files,
            auto_id,
            prefix,
            object_data,
            label_suffix=label_suffix,
            empty_permitted=empty_permitted,
            use_required_attribute=use_required_attribute,
            renderer=renderer,
            **extra,
        )
        for formfield in self.fields.values():
            apply_limit_choices_to_to_formfield(formfield)

    def _get_validation_exclusions(self) -> set[str]:
        exclude = set()
        for f in self.instance._meta.fields:
            field = f.name
            if self._excluded_from_validation(field):
                exclude.add(f.name)
            else:
                form_field = self.fields[field]
                field_value = self.cleaned_data.get(field)
                if (
                    not f.blank
                    and not form_field.required
                    and field_value in form_field.empty_values
                ):
                    exclude.add(f.name)
        return exclude

    def _excluded_from_validation(self, field: str) -> bool:
        opts = self._meta
        return (
            field not in self.fields
            or bool(opts.fields and field not in opts.fields)
            or bool(opts.exclude and field in opts.exclude)
            or field in self.errors
        )

    def clean(self) -> dict[str, Any] | None:
        """Ask _post_clean to validate uniqueness too."""
        self._validate_unique = True
        return self.cleaned_data

    def _update_errors(self, errors: ValidationError) -> None:
        opts = self._meta
        error_dict = getattr(errors, "error_dict", None) or {
            NON_FIELD_ERRORS: errors.error_list
        }
        for field, messages in error_dict.items():
            if (
                field == NON_FIELD_ERRORS
                and opts.error_messages
                and NON_FIELD_ERRORS in opts.error_messages
            ):
                error_messages = opts.error_messages[NON_FIELD_ERRORS]
            elif field in self.fields:
                error_messages = self.fields[field].error_messages
            else:
                continue
            for message in messages:
                if (
                    isinstance(message, ValidationError)
                    and message.code in error_messages
                ):
                    message.message = error_messages[message.code]
        self.add_error(None, errors)

    def _post_clean(self) -> None:
        opts = self._meta
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(
                self, self.instance, opts.fields, opts.exclude
            )
        except ValidationError as e:
            self._update_errors(e)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as e:
            self._update_errors(e)
        if self._validate_unique:
            self.validate_unique()

    def validate_unique(self) -> None:
        """Run the model's unique checks, as form errors."""
        exclude = self._get_validation_exclusions()
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)

    def _save_m2m(self) -> None:
        cleaned_data = self.cleaned_data
        exclude = self._meta.exclude
        fields = self._meta.fields
        opts = self.instance._meta
        for f in opts.many_to_many:
            if not hasattr(f, "save_form_data"):
                continue
            if fields and f.name not in fields:
                continue
            if exclude and f.name in exclude:
                continue
            if f.name in cleaned_data:
                f.save_form_data(self.instance, cleaned_data[f.name])

    def save(self, commit: bool = True) -> Any:
        """Save the instance (and m2m); with commit=False add ``save_m2m``."""
        if self.errors:
            raise ValueError(
                f"The {self.instance._meta.object_name} could not be "
                f"{'created' if self.instance._state.adding else 'changed'} "
                "because the data didn't validate."
            )
        if commit:
            self.instance.save()
            self._save_m2m()
        else:
            self.save_m2m = self._save_m2m
        return self.instance


class ModelForm(BaseModelForm, metaclass=ModelFormMetaclass):
    """A form whose fields come from a model (see ``Meta``)."""


def apply_limit_choices_to_to_formfield(formfield: Any) -> None:
    """Filter a model choice field's queryset by its limit_choices_to."""
    if hasattr(formfield, "queryset") and hasattr(formfield, "get_limit_choices_to"):
        limit_choices_to = formfield.get_limit_choices_to()
        if limit_choices_to:
            formfield.queryset = formfield.queryset.complex_filter(limit_choices_to)


def modelform_factory(
    model: Any,
    form: type[BaseModelForm] = ModelForm,
    fields: Any = None,
    exclude: Any = None,
    formfield_callback: Any = None,
    widgets: Any = None,
    localized_fields: Any = None,
    labels: Any = None,
    help_texts: Any = None,
    error_messages: Any = None,
    field_classes: Any = None,
) -> type[BaseModelForm]:
    """Return a ModelForm class for ``model``."""
    attrs: dict[str, Any] = {"model": model}
    for key, value in (
        ("fields", fields),
        ("exclude", exclude),
        ("widgets", widgets),
        ("localized_fields", localized_fields),
        ("labels", labels),
        ("help_texts", help_texts),
        ("error_messages", error_messages),
        ("field_classes", field_classes),
    ):
        if value is not None:
            attrs[key] = value
    if formfield_callback:
        attrs["formfield_callback"] = staticmethod(formfield_callback)
    bases = (form.Meta,) if hasattr(form, "Meta") else ()
    meta = type("Meta", bases, attrs)
    class_name = model.__name__ + "Form"
    if getattr(meta, "fields", None) is None and getattr(meta, "exclude", None) is None:
        raise ImproperlyConfigured(
            "Calling modelform_factory without defining 'fields' or "
            "'exclude' explicitly is prohibited."
        )
    metaclass: Any = type(form)
    return metaclass(class_name, (form,), {"Meta": meta})  # type: ignore[no-any-return]


class BaseModelFormSet(BaseFormSet):
    """A formset over a queryset: existing objects first, then extra forms."""

    model: Any = None
    edit_only = False
    unique_fields: set[str] = set()

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        auto_id: str = "id_%s",
        prefix: str | None = None,
        queryset: Any = None,
        *,
        initial: Any = None,
        **kwargs: Any,
    ) -> None:
        self.queryset = queryset
        self.initial_extra = initial
        super().__init__(data, files, auto_id, prefix, **kwargs)

    def initial_form_count(self) -> int:
        """Existing objects when unbound; from the management form when bound."""
        if not self.is_bound:
            return len(self.get_queryset())
        return super().initial_form_count()

    def _existing_object(self, pk: Any) -> Any:
        if not hasattr(self, "_object_dict"):
            self._object_dict = {o.pk: o for o in self.get_queryset()}
        return self._object_dict.get(pk)

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        pk_required = i < self.initial_form_count()
        if pk_required:
            if self.is_bound:
                pk_key = f"{self.add_prefix(i)}-{self.model._meta.pk.name}"
                try:
                    pk = self.data[pk_key]
                except KeyError:
                    pass
                else:
                    try:
                        to_python = self._get_to_python(self.model._meta.pk)
                        pk = to_python(pk)
                    except ValidationError:
                        pass
                    else:
                        kwargs["instance"] = self._existing_object(pk)
            else:
                kwargs["instance"] = self.get_queryset()[i]
        elif self.initial_extra:
            try:
                kwargs["initial"] = self.initial_extra[i - self.initial_form_count()]
            except IndexError:
                pass
        form = super()._construct_form(i, **kwargs)
        if pk_required:
            form.fields[self.model._meta.pk.name].required = True
        return form

    def get_queryset(self) -> Any:
        """The objects edited by the initial forms (ordered by pk by default)."""
        if not hasattr(self, "_queryset"):
            if self.queryset is not None:
                qs = self.queryset
            else:
                qs = self.model._default_manager.get_queryset()
            if not getattr(qs, "ordered", True):
                qs = qs.order_by(self.model._meta.pk.name)
            self._queryset = list(qs)
        return self._queryset

    def save_new(self, form: Any, commit: bool = True) -> Any:
        """Save a new object from ``form``."""
        return form.save(commit=commit)

    def save_existing(self, form: Any, obj: Any, commit: bool = True) -> Any:
        """Save ``obj`` edited by ``form``."""
        return form.save(commit=commit)

    def delete_existing(self, obj: Any, commit: bool = True) -> None:
        """Delete ``obj``."""
        if commit:
            obj.delete()

    def save(self, commit: bool = True) -> list[Any]:
        """Save changed and new objects; delete the ones marked for deletion."""
        if not commit:
            self.saved_forms: list[Any] = []

            def save_m2m() -> None:
                for form in self.saved_forms:
                    form.save_m2m()

            self.save_m2m = save_m2m
        if self.edit_only:
            return self.save_existing_objects(commit)
        return self.save_existing_objects(commit) + self.save_new_objects(commit)

    def clean(self) -> None:
        """Check uniqueness across the forms."""
        self.validate_unique()

    def validate_unique(self) -> None:
        """Refuse duplicate values of unique fields across forms."""
        forms_to_check = [
            form
            for form in self.forms
            if form.is_valid()
            and not (self.can_delete and self._should_delete_form(form))
        ]
        errors = []
        unique_fields = [
            f.name
            for f in self.model._meta.fields
            if getattr(f, "unique", False) and not f.primary_key
        ]
        for field_name in unique_fields:
            seen = set()
            for form in forms_to_check:
                value = form.cleaned_data.get(field_name)
                if value in (None, ""):
                    continue
                if value in seen:
                    errors.append(
                        _("Please correct the duplicate data for %(field)s.")
                        % {"field": field_name}
                    )
                    form._errors[NON_FIELD_ERRORS] = self.error_class(
                        [_("Please correct the duplicate values below.")],
                        renderer=self.renderer,
                    )
                    break
                seen.add(value)
        if errors:
            raise ValidationError(errors)

    def save_existing_objects(self, commit: bool = True) -> list[Any]:
        """Save the changed existing objects and delete the removed ones."""
        self.changed_objects: list[Any] = []
        self.deleted_objects: list[Any] = []
        if not self.initial_forms:
            return []
        saved = []
        for form in self.initial_forms:
            obj = form.instance
            if obj.pk is None:
                continue
            if form in self.deleted_forms:
                self.deleted_objects.append(obj)
                self.delete_existing(obj, commit=commit)
            elif form.has_changed():
                self.changed_objects.append((obj, form.changed_data))
                saved.append(self.save_existing(form, obj, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return saved

    def save_new_objects(self, commit: bool = True) -> list[Any]:
        """Save the new objects from the extra forms."""
        self.new_objects: list[Any] = []
        for form in self.extra_forms:
            if not form.has_changed():
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            self.new_objects.append(self.save_new(form, commit=commit))
            if not commit:
                self.saved_forms.append(form)
        return self.new_objects

    def add_fields(self, form: Any, index: int | None) -> None:
        """Add a hidden primary key field to every form."""
        pk = self.model._meta.pk
        if pk.name not in form.fields:
            if index is not None and index < self.initial_form_count():
                pk_value = form.instance.pk
            else:
                pk_value = None
            form.fields[pk.name] = ff.Field(
                required=False, widget=HiddenInput, initial=pk_value
            )
            form.fields[pk.name].to_python = self._get_to_python(pk)
        super().add_fields(form, index)

    @staticmethod
    def _get_to_python(field: Any) -> Callable[[Any], Any]:
        def to_python(value: Any) -> Any:
            if value in (None, ""):
                return None
            try:
                return field.to_python(value)
            except (ValueError, TypeError, OverflowError) as exc:
                raise ValidationError(str(exc), code="invalid") from exc

        return to_python


def modelformset_factory(
    model: Any,
    form: type[BaseModelForm] = ModelForm,
    formfield_callback: Any = None,
    formset: type[BaseModelFormSet] = BaseModelFormSet,
    extra: int = 1,
    can_delete: bool = False,
    can_order: bool = False,
    max_num: int | None = None,
    fields: Any = None,
    exclude: Any = None,
    widgets: Any = None,
    validate_max: bool = False,
    localized_fields: Any = None,
    labels: Any = None,
    help_texts: Any = None,
    error_messages: Any = None,
    min_num: int | None = None,
    validate_min: bool = False,
    field_classes: Any = None,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
    renderer: Any = None,
    edit_only: bool = False,
) -> type[BaseModelFormSet]:
    """Return a FormSet class for editing ``model`` objects."""
    meta = getattr(form, "Meta", None)
    if (
        getattr(meta, "fields", fields) is None
        and getattr(meta, "exclude", exclude) is None
    ):
        raise ImproperlyConfigured(
            "Calling modelformset_factory without defining 'fields' or "
            "'exclude' explicitly is prohibited."
        )
    form = modelform_factory(
        model,
        form=form,
        fields=fields,
        exclude=exclude,
        formfield_callback=formfield_callback,
        widgets=widgets,
        localized_fields=localized_fields,
        labels=labels,
        help_texts=help_texts,
        error_messages=error_messages,
        field_classes=field_classes,
    )
    formset_class: Any = formset_factory(
        form,
        formset,
        extra=extra,
        min_num=min_num,
        max_num=max_num,
        can_order=can_order,
        can_delete=can_delete,
        validate_min=validate_min,
        validate_max=validate_max,
        absolute_max=absolute_max,
        can_delete_extra=can_delete_extra,
        renderer=renderer,
    )
    formset_class.model = model
    formset_class.edit_only = edit_only
    return formset_class  # type: ignore[no-any-return]


class InlineForeignKeyField(Field):
    """The hidden parent key of an inline form: always the parent instance."""

    widget = HiddenInput
    default_error_messages = {
        "invalid_choice": _("The inline value did not match the parent instance."),
    }

    def __init__(
        self, parent_instance: Any, *args: Any, pk_field: bool = False, **kwargs: Any
    ) -> None:
        self.parent_instance = parent_instance
        self.pk_field = pk_field
        self.to_field = kwargs.pop("to_field", None)
        if self.parent_instance is not None:
            if self.to_field:
                kwargs["initial"] = getattr(self.parent_instance, self.to_field)
            else:
                kwargs["initial"] = self.parent_instance.pk
        kwargs["required"] = False
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        """Return the parent instance if the submitted key matches it."""
        if value in self.empty_values:
            if self.pk_field:
                return None
            return self.parent_instance
        if self.to_field:
            orig = getattr(self.parent_instance, self.to_field)
        else:
            orig = self.parent_instance.pk
        if str(value) != str(orig):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return self.parent_instance

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Never counts as a change."""
        return False


class BaseInlineFormSet(BaseModelFormSet):
    """A model formset of the objects related to one parent instance."""

    fk: Any

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        instance: Any = None,
        save_as_new: bool = False,
        prefix: str | None = None,
        queryset: Any = None,
        **kwargs: Any,
    ) -> None:
        if instance is None:
            self.instance = self.fk.remote_field.model()
        else:
            self.instance = instance
        self.save_as_new = save_as_new
        if queryset is None:
            queryset = self.model._default_manager
        if self.instance.pk is not None:
            qs = queryset.filter(**{self.fk.name: self.instance})
        else:
            qs = queryset.none()
        self.unique_fields = {self.fk.name}
        super().__init__(data, files, prefix=prefix, queryset=qs, **kwargs)

    def initial_form_count(self) -> int:
        """No initial forms when saving as new."""
        if self.save_as_new:
            return 0
        return super().initial_form_count()

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        form = super()._construct_form(i, **kwargs)
        if self.save_as_new:
            form.data = form.data.copy()
            form.data[form.add_prefix(self._pk_field.name)] = None
            form.data[form.add_prefix(self.fk.name)] = None
        setattr(form.instance, self.fk.attname, self.instance.pk)
        return form

    @classmethod
    def get_default_prefix(cls) -> str:
        """The related name of the foreign key."""
        return (
            str(cls.fk.remote_field.get_accessor_name(model=cls.model)).replace("+", "")
            if hasattr(cls.fk.remote_field, "get_accessor_name")
            else (cls.model._meta.model_name + "_set")
        )

    def save_new(self, form: Any, commit: bool = True) -> Any:
        """Attach the parent before saving."""
        setattr(form.instance, self.fk.name, self.instance)
        return super().save_new(form, commit=commit)

    def add_fields(self, form: Any, index: int | None) -> None:
        """Replace the foreign key field with an InlineForeignKeyField."""
        super().add_fields(form, index)
        self._pk_field = self.model._meta.pk
        kwargs: dict[str, Any] = {"pk_field": self._pk_field.name == self.fk.name}
        to_field = getattr(self.fk.remote_field, "field_name", None)
        if to_field and to_field != self.fk.remote_field.model._meta.pk.name:
            kwargs["to_field"] = to_field
        form.fields[self.fk.name] = InlineForeignKeyField(self.instance, **kwargs)


def _get_foreign_key(parent_model: Any, model: Any, fk_name: str | None = None) -> Any:
    opts = model._meta
    if fk_name:
        fk = opts.get_field(fk_name)
        if (
            getattr(fk, "remote_field", None) is None
            or fk.related_model is not parent_model
        ):
            raise ValueError(
                f"fk_name '{fk_name}' is not a ForeignKey to "
                f"'{parent_model._meta.label}'."
            )
        return fk
    fks = [
        f
        for f in opts.fields
        if getattr(f, "many_to_one", False) and f.related_model is parent_model
    ]
    if len(fks) == 1:
        return fks[0]
    if not fks:
        raise ValueError(
            f"'{model._meta.label}' has no ForeignKey to '{parent_model._meta.label}'."
        )
    raise ValueError(
        f"'{model._meta.label}' has more than one ForeignKey to "
        f"'{parent_model._meta.label}'. You must specify a 'fk_name' attribute."
    )


def inlineformset_factory(
    parent_model: Any,
    model: Any,
    form: type[BaseModelForm] = ModelForm,
    formset: type[BaseInlineFormSet] = BaseInlineFormSet,
    fk_name: str | None = None,
    fields: Any = None,
    exclude: Any = None,
    extra: int = 3,
    can_order: bool = False,
    can_delete: bool = True,
    max_num: int | None = None,
    formfield_callback: Any = None,
    **kwargs: Any,
) -> type[BaseInlineFormSet]:
    """Return an InlineFormSet for ``model`` objects related to ``parent_model``."""
    fk = _get_foreign_key(parent_model, model, fk_name=fk_name)
    if getattr(fk, "unique", False):
        max_num = 1
    formset_class: Any = modelformset_factory(
        model,
        form=form,
        formfield_callback=formfield_callback,
        formset=formset,
        extra=extra,
        can_delete=can_delete,
        can_order=can_order,
        fields=fields,
        exclude=exclude,
        max_num=max_num,
        **kwargs,
    )
    formset_class.fk = fk
    return formset_class  # type: ignore[no-any-return]


class ModelChoiceIteratorValue:
    """An option value that remembers its model instance."""

    def __init__(self, value: Any, instance: Any) -> None:
        self.value = value
        self.instance = instance

    def __str__(self) -> str:
        return str(self.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ModelChoiceIteratorValue):
            other = other.value
        return bool(self.value == other)


class ModelChoiceIterator(ff.BaseChoiceIterator):
    """Yield the empty label then one choice per object of the queryset."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.queryset = field.queryset

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)

    def __len__(self) -> int:
        count = self.queryset.count()
        return int(count) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or self.queryset.exists()

    def choice(self, obj: Any) -> tuple[Any, Any]:
        """Return ``(value, label)`` for ``obj``."""
        return (
            ModelChoiceIteratorValue(self.field.prepare_value(obj), obj),
            self.field.label_from_instance(obj),
        )


class ModelChoiceField(ChoiceField):
    """One object chosen from a queryset."""

    default_error_messages = {
        "invalid_choice": _(
            "Select a valid choice. That choice is not one of the available choices."
        ),
    }
    iterator = ModelChoiceIterator

    def __init__(
        self,
        queryset: Any,
        *,
        empty_label: Any = "---------",
        required: bool = True,
        widget: Any = None,
        label: Any = None,
        initial: Any = None,
        help_text: Any = "",
        to_field_name: str | None = None,
        limit_choices_to: Any = None,
        blank: bool = False,
        **kwargs: Any,
    ) -> None:
        Field.__init__(
            self,
            required=required,
            widget=widget,
            label=label,
            initial=initial,
            help_text=help_text,
            **kwargs,
        )
        from manouche.forms.widgets import RadioSelect

        widget_instance: Any = self.widget
        if (required and initial is not None) or (
            isinstance(widget_instance, RadioSelect) and not blank
        ):
            self.empty_label = None
        else:
            self.empty_label = empty_label
        self.queryset = queryset
        self.limit_choices_to = limit_choices_to
        self.to_field_name = to_field_name

    def get_limit_choices_to(self) -> Any:
        """Return limit_choices_to (called if callable)."""
        if callable(self.limit_choices_to):
            return self.limit_choices_to()
        return self.limit_choices_to

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        result = Field.__deepcopy__(self, memo)
        if self.queryset is not None:
            result.queryset = self.queryset.all()  # type: ignore[attr-defined]
        return result

    @property
    def queryset(self) -> Any:
        """The objects to choose from."""
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: Any) -> None:
        self._queryset = None if queryset is None else queryset.all()
        setattr(self.widget, "choices", self.choices)  # noqa: B010

    def label_from_instance(self, obj: Any) -> str:
        """The option label of ``obj``."""
        return str(obj)

    @property
    def choices(self) -> Any:
        """A lazy iterator over the queryset."""
        if hasattr(self, "_choices"):
            return self._choices
        return self.iterator(self)

    @choices.setter
    def choices(self, value: Any) -> None:
        self._choices = ff.normalize_choices(value)
        setattr(self.widget, "choices", self._choices)  # noqa: B010

    def prepare_value(self, value: Any) -> Any:
        """Turn an instance into its key."""
        if hasattr(value, "_meta"):
            if self.to_field_name:
                return value.serializable_value(self.to_field_name)
            return value.pk
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        """Return the chosen object, or raise invalid_choice."""
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        try:
            return self.queryset.get(**{key: value})
        except (ValueError, TypeError, OverflowError, ValidationError) as exc:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from exc
        except self.queryset.model.DoesNotExist:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None

    def validate(self, value: Any) -> None:
        """Only the required check (to_python checked membership)."""
        Field.validate(self, value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare keys as strings."""
        if self.disabled:
            return False
        initial_value = initial if initial is not None else ""
        data_value = data if data is not None else ""
        return str(self.prepare_value(initial_value)) != str(data_value)


class ModelMultipleChoiceField(ModelChoiceField):
    """Several objects chosen from a queryset."""

    widget = SelectMultiple
    hidden_widget = MultipleHiddenInput
    default_error_messages = {
        "invalid_list": _("Enter a list of values."),
        "invalid_choice": _(
            "Select a valid choice. %(value)s is not one of the available choices."
        ),
        "invalid_pk_value": _("“%(pk)s” is not a valid value."),
    }

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        super().__init__(queryset, empty_label=None, **kwargs)

    def to_python(self, value: Any) -> Any:
        """Return the list of chosen objects."""
        if not value:
            return []
        return list(self._check_values(value))

    def clean(self, value: Any) -> Any:
        """Return a queryset of the chosen objects."""
        value = self.prepare_value(value)
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if not self.required and not value:
            return self.queryset.none()
        if not isinstance(value, (list, tuple)):
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            )
        qs = self._check_values(value)
        self.run_validators(value)
        return qs

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        try:
            value = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        opts = self.queryset.model._meta
        key_field = opts.pk if key == "pk" else opts.get_field(key)
        for pk in value:
            try:
                key_field.get_prep_value(key_field.to_python(pk))
            except (ValueError, TypeError, OverflowError, ValidationError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        qs = self.queryset.filter(**{f"{key}__in": value})
        pks = {str(getattr(o, key)) for o in qs}
        for val in value:
            if str(val) not in pks:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": val},
                )
        return qs

    def prepare_value(self, value: Any) -> Any:
        """Turn instances into keys."""
        if (
            hasattr(value, "__iter__")
            and not isinstance(value, str)
            and not hasattr(value, "_meta")
        ):
            prepare_value = super().prepare_value
            return [prepare_value(v) for v in value]
        return super().prepare_value(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        """Compare sets of keys."""
        if self.disabled:
            return False
        if initial is None:
            initial = []
        if data is None:
            data = []
        if len(initial) != len(data):
            return True
        initial_set = {str(value) for value in self.prepare_value(initial)}
        data_set = {str(value) for value in data}
        return data_set != initial_set
