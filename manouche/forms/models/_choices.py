"""Choice fields whose choices come from a queryset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms import fields as ff
from manouche.forms.fields import ChoiceField, Field
from manouche.forms.widgets import MultipleHiddenInput, SelectMultiple
from manouche.utils.translation import gettext_lazy as _


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
