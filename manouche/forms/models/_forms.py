"""ModelForm: a form whose fields and saving follow a model.

Saving goes through the model API only (``save()``, ``save_form_data``,
``full_clean``); no SQL here.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldError,
    ImproperlyConfigured,
    ValidationError,
)
from manouche.forms.forms import BaseForm, DeclarativeFieldsMetaclass
from manouche.forms.models._model_fields import (
    ALL_FIELDS,
    construct_instance,
    fields_for_model,
    model_to_dict,
)


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
