"""Inline formsets over generic relations (``GenericForeignKey``).

A generic inline formset edits the objects pointing at one ``instance``
through a content type column and an object id column, as an inline formset
does through a foreign key. The two columns are never shown on the forms:
they are filled from ``instance`` when new objects are saved.
"""

from __future__ import annotations

from typing import Any

from manouche.contrib.contenttypes.models import ContentType
from manouche.db import models
from manouche.forms import ModelForm
from manouche.forms.models import BaseModelFormSet, modelformset_factory

__all__ = ["BaseGenericInlineFormSet", "generic_inlineformset_factory"]


class BaseGenericInlineFormSet(BaseModelFormSet):
    """A model formset of the objects generically related to ``instance``."""

    ct_field: Any
    ct_fk_field: Any
    for_concrete_model = True

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
        self.instance = instance
        self.save_as_new = save_as_new
        manager = self.model._default_manager
        if instance is None or instance.pk is None:
            queryset = manager.none()
        else:
            if queryset is None:
                queryset = manager
            queryset = queryset.filter(
                **{
                    self.ct_field.name: self._content_type(),
                    self.ct_fk_field.name: instance.pk,
                }
            )
        super().__init__(data, files, prefix=prefix, queryset=queryset, **kwargs)

    def _content_type(self) -> Any:
        return ContentType.objects.db_manager(self.instance._state.db).get_for_model(
            self.instance, for_concrete_model=self.for_concrete_model
        )

    def initial_form_count(self) -> int:
        """No initial forms when the objects are saved as new ones."""
        if self.save_as_new:
            return 0
        return super().initial_form_count()

    @classmethod
    def get_default_prefix(cls) -> str:
        """``<app_label>-<model_name>-<ct_field>-<fk_field>``."""
        opts = cls.model._meta
        return (
            f"{opts.app_label}-{opts.model_name}-"
            f"{cls.ct_field.name}-{cls.ct_fk_field.name}"
        )

    def save_new(self, form: Any, commit: bool = True) -> Any:
        """Point the new object at ``instance``, then save it through the form."""
        setattr(form.instance, self.ct_field.attname, self._content_type().pk)
        setattr(form.instance, self.ct_fk_field.attname, self.instance.pk)
        return form.save(commit=commit)


def generic_inlineformset_factory(
    model: Any,
    form: Any = ModelForm,
    formset: Any = BaseGenericInlineFormSet,
    ct_field: str = "content_type",
    fk_field: str = "object_id",
    fields: Any = None,
    exclude: Any = None,
    extra: int = 3,
    can_order: bool = False,
    can_delete: bool = True,
    max_num: int | None = None,
    formfield_callback: Any = None,
    validate_max: bool = False,
    for_concrete_model: bool = True,
    min_num: int | None = None,
    validate_min: bool = False,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
) -> Any:
    """Return a formset class editing ``model`` objects of one generic relation.

    ``ct_field`` must be a ForeignKey to ContentType; it and ``fk_field`` are
    excluded from the forms.
    """
    opts = model._meta
    content_type = opts.get_field(ct_field)
    if (
        not isinstance(content_type, models.ForeignKey)
        or content_type.remote_field.model is not ContentType
    ):
        raise ValueError(
            f"fk_name '{opts.label}.{content_type.name}' is not a ForeignKey to "
            "ContentType"
        )
    object_id = opts.get_field(fk_field)
    formset_class = modelformset_factory(
        model,
        form=form,
        formfield_callback=formfield_callback,
        formset=formset,
        extra=extra,
        can_delete=can_delete,
        can_order=can_order,
        fields=fields,
        exclude=[*(exclude or ()), content_type.name, object_id.name],
        max_num=max_num,
        validate_max=validate_max,
        min_num=min_num,
        validate_min=validate_min,
        absolute_max=absolute_max,
        can_delete_extra=can_delete_extra,
    )
    formset_class.ct_field = content_type  # type: ignore[attr-defined]
    formset_class.ct_fk_field = object_id  # type: ignore[attr-defined]
    formset_class.for_concrete_model = for_concrete_model  # type: ignore[attr-defined]
    return formset_class
