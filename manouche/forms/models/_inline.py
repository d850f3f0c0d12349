"""Inline formsets: the objects related to one parent through a foreign key."""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields import Field
from manouche.forms.models._forms import BaseModelForm, ModelForm
from manouche.forms.models._formsets import BaseModelFormSet, modelformset_factory
from manouche.forms.widgets import HiddenInput
from manouche.utils.translation import gettext_lazy as _


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
