"""Model formsets: a formset editing a queryset of model instances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from manouche.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    ValidationError,
)
from manouche.forms import fields as ff
from manouche.forms.formsets import BaseFormSet, formset_factory
from manouche.forms.models._forms import BaseModelForm, ModelForm, modelform_factory
from manouche.forms.widgets import HiddenInput
from manouche.utils.translation import gettext_lazy as _


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
            # Evaluated once (a QuerySet, as in Django): the initial forms
            # index into its cached rows.
            len(qs)
            self._queryset = qs
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
