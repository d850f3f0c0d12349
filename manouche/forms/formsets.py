"""Formsets: several copies of a form, counted by a hidden management form.

The management form comes from the client, so it is distrusted: a missing or
tampered one becomes a non-form ValidationError on the formset (never a
server error), and ``absolute_max`` caps how many forms are ever built.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.fields import BooleanField, IntegerField
from manouche.forms.forms import Form
from manouche.forms.renderers import get_default_renderer
from manouche.forms.utils import ErrorList, RenderableFormMixin
from manouche.forms.widgets import CheckboxInput, HiddenInput, NumberInput
from manouche.utils.functional import cached_property
from manouche.utils.translation import gettext_lazy as _
from manouche.utils.translation import ngettext_lazy

__all__ = [
    "DEFAULT_MAX_NUM",
    "DEFAULT_MIN_NUM",
    "BaseFormSet",
    "ManagementForm",
    "all_valid",
    "formset_factory",
]

TOTAL_FORM_COUNT = "TOTAL_FORMS"
INITIAL_FORM_COUNT = "INITIAL_FORMS"
MIN_NUM_FORM_COUNT = "MIN_NUM_FORMS"
MAX_NUM_FORM_COUNT = "MAX_NUM_FORMS"
ORDERING_FIELD_NAME = "ORDER"
DELETION_FIELD_NAME = "DELETE"

DEFAULT_MIN_NUM = 0
DEFAULT_MAX_NUM = 1000


class ManagementForm(Form):
    """The hidden counters: total and initial forms (plus min/max for JS)."""

    TOTAL_FORMS = IntegerField(widget=HiddenInput, min_value=0)
    INITIAL_FORMS = IntegerField(widget=HiddenInput, min_value=0)
    MIN_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)
    MAX_NUM_FORMS = IntegerField(required=False, widget=HiddenInput)

    def clean(self) -> dict[str, Any]:
        """Default missing counts to 0 so a bad form builds no forms."""
        cleaned_data = super().clean() or {}
        cleaned_data.setdefault(TOTAL_FORM_COUNT, 0)
        cleaned_data.setdefault(INITIAL_FORM_COUNT, 0)
        return cleaned_data


class BaseFormSet(RenderableFormMixin):
    """A collection of instances of the same form class."""

    form: Any
    extra: int = 1
    can_order = False
    can_delete = False
    can_delete_extra = True
    min_num = DEFAULT_MIN_NUM
    max_num = DEFAULT_MAX_NUM
    absolute_max = DEFAULT_MAX_NUM * 2
    validate_min = False
    validate_max = False
    renderer: Any = None

    deletion_widget: Any = CheckboxInput
    ordering_widget: Any = NumberInput
    default_error_messages = {
        "missing_management_form": _(
            "ManagementForm data is missing or has been tampered with. Missing "
            "fields: %(field_names)s. You may need to file a bug report if the "
            "issue persists."
        ),
        "too_many_forms": ngettext_lazy(
            "Please submit at most %(num)d form.",
            "Please submit at most %(num)d forms.",
            "num",
        ),
        "too_few_forms": ngettext_lazy(
            "Please submit at least %(num)d form.",
            "Please submit at least %(num)d forms.",
            "num",
        ),
    }

    template_name_div = "manouche/forms/formsets/div.html"
    template_name_p = "manouche/forms/formsets/p.html"
    template_name_table = "manouche/forms/formsets/table.html"
    template_name_ul = "manouche/forms/formsets/ul.html"

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        initial: list[dict[str, Any]] | None = None,
        error_class: type[ErrorList] = ErrorList,
        form_kwargs: dict[str, Any] | None = None,
        error_messages: dict[str, Any] | None = None,
    ) -> None:
        self.is_bound = data is not None or files is not None
        self.prefix = prefix or self.get_default_prefix()
        self.auto_id = auto_id
        self.data = data or {}
        self.files = files or {}
        self.initial = initial
        self.form_kwargs = form_kwargs or {}
        self.error_class = error_class
        self._errors: list[Any] | None = None
        self._non_form_errors: ErrorList | None = None
        self.renderer = self.renderer or get_default_renderer()
        messages: dict[str, Any] = {}
        for cls in reversed(type(self).__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        if error_messages is not None:
            messages.update(error_messages)
        self.error_messages = messages

    def __iter__(self) -> Iterator[Any]:
        return iter(self.forms)

    def __getitem__(self, index: int) -> Any:
        return self.forms[index]

    def __len__(self) -> int:
        return len(self.forms)

    def __bool__(self) -> bool:
        """A formset is truthy even with no forms."""
        return True

    def __repr__(self) -> str:
        if self._errors is None:
            is_valid: Any = "Unknown"
        else:
            is_valid = (
                self.is_bound
                and not self._non_form_errors
                and not any(form_errors for form_errors in self._errors)
            )
        return (
            f"<{type(self).__qualname__}: bound={self.is_bound} valid={is_valid} "
            f"total_forms={self.total_form_count()}>"
        )

    @cached_property
    def management_form(self) -> ManagementForm:
        """The management form: from the data when bound, else computed."""
        if self.is_bound:
            form = ManagementForm(
                self.data,
                auto_id=self.auto_id,
                prefix=self.prefix,
                renderer=self.renderer,
            )
            form.full_clean()
        else:
            form = ManagementForm(
                auto_id=self.auto_id,
                prefix=self.prefix,
                initial={
                    TOTAL_FORM_COUNT: self.total_form_count(),
                    INITIAL_FORM_COUNT: self.initial_form_count(),
                    MIN_NUM_FORM_COUNT: self.min_num,
                    MAX_NUM_FORM_COUNT: self.max_num,
                },
                renderer=self.renderer,
            )
        return form

    def total_form_count(self) -> int:
        """How many forms: from the data (capped at absolute_max) or computed."""
        if self.is_bound:
            total: int = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
            return min(total, self.absolute_max)
        initial_forms = self.initial_form_count()
        total_forms = max(initial_forms, self.min_num) + self.extra
        if initial_forms > self.max_num >= 0:
            total_forms = initial_forms
        elif total_forms > self.max_num >= 0:
            total_forms = self.max_num
        return total_forms

    def initial_form_count(self) -> int:
        """How many forms hold initial data (capped by the total when bound)."""
        if self.is_bound:
            initial: int = self.management_form.cleaned_data[INITIAL_FORM_COUNT]
            return min(initial, self.total_form_count())
        return len(self.initial) if self.initial else 0

    @cached_property
    def forms(self) -> list[Any]:
        """The form instances."""
        return [
            self._construct_form(i, **self.get_form_kwargs(i))
            for i in range(self.total_form_count())
        ]

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        """Extra keyword arguments for the form at ``index``."""
        return self.form_kwargs.copy()

    def _construct_form(self, i: int, **kwargs: Any) -> Any:
        defaults: dict[str, Any] = {
            "auto_id": self.auto_id,
            "prefix": self.add_prefix(i),
            "error_class": self.error_class,
            "use_required_attribute": False,
            "renderer": self.renderer,
        }
        if self.is_bound:
            defaults["data"] = self.data
            defaults["files"] = self.files
        if self.initial and "initial" not in kwargs:
            try:
                defaults["initial"] = self.initial[i]
            except IndexError:
                pass
        if i >= self.initial_form_count() and i >= self.min_num:
            defaults["empty_permitted"] = True
        defaults.update(kwargs)
        form = self.form(**defaults)
        self.add_fields(form, i)
        return form

    @property
    def initial_forms(self) -> list[Any]:
        """The forms bound to initial data."""
        return self.forms[: self.initial_form_count()]

    @property
    def extra_forms(self) -> list[Any]:
        """The extra (blank) forms."""
        return self.forms[self.initial_form_count() :]

    @property
    def empty_form(self) -> Any:
        """A blank form with ``__prefix__`` for client-side cloning."""
        form_kwargs = {
            **self.get_form_kwargs(None),
            "auto_id": self.auto_id,
            "prefix": self.add_prefix("__prefix__"),
            "empty_permitted": True,
            "use_required_attribute": False,
            "renderer": self.renderer,
        }
        form = self.form(**form_kwargs)
        self.add_fields(form, None)
        return form

    @property
    def cleaned_data(self) -> list[dict[str, Any]]:
        """Each form's cleaned_data (only once the formset is valid)."""
        if not self.is_valid():
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute 'cleaned_data'"
            )
        return [form.cleaned_data for form in self.forms]

    @property
    def deleted_forms(self) -> list[Any]:
        """The forms marked for deletion."""
        if not self.is_valid() or not self.can_delete:
            return []
        if not hasattr(self, "_deleted_form_indexes"):
            self._deleted_form_indexes = []
            for i, form in enumerate(self.forms):
                if i >= self.initial_form_count() and not form.has_changed():
                    continue
                if self._should_delete_form(form):
                    self._deleted_form_indexes.append(i)
        return [self.forms[i] for i in self._deleted_form_indexes]

    @property
    def ordered_forms(self) -> list[Any]:
        """The forms sorted by their ORDER field (blanks last)."""
        if not self.is_valid() or not self.can_order:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute 'ordered_forms'"
            )
        if not hasattr(self, "_ordering"):
            self._ordering = []
            for i, form in enumerate(self.forms):
                if i >= self.initial_form_count() and not form.has_changed():
                    continue
                if self.can_delete and self._should_delete_form(form):
                    continue
                self._ordering.append((i, form.cleaned_data[ORDERING_FIELD_NAME]))
            self._ordering.sort(key=lambda k: (1, 0) if k[1] is None else (0, k[1]))
        return [self.forms[i[0]] for i in self._ordering]

    @classmethod
    def get_default_prefix(cls) -> str:
        """The prefix used when none is given."""
        return "form"

    @classmethod
    def get_deletion_widget(cls) -> Any:
        """The widget of the DELETE field."""
        return cls.deletion_widget

    @classmethod
    def get_ordering_widget(cls) -> Any:
        """The widget of the ORDER field."""
        return cls.ordering_widget

    def non_form_errors(self) -> ErrorList:
        """Errors of the formset itself (management form, counts, clean())."""
        if self._non_form_errors is None:
            self.full_clean()
        assert self._non_form_errors is not None
        return self._non_form_errors

    @property
    def errors(self) -> list[Any]:
        """One ErrorDict per form."""
        if self._errors is None:
            self.full_clean()
        assert self._errors is not None
        return self._errors

    def total_error_count(self) -> int:
        """The number of non-form errors plus every form's errors."""
        return len(self.non_form_errors()) + sum(
            len(form_errors) for form_errors in self.errors
        )

    def _should_delete_form(self, form: Any) -> bool:
        return bool(form.cleaned_data.get(DELETION_FIELD_NAME, False))

    def is_valid(self) -> bool:
        """Whether every (non-deleted) form and the formset are valid."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 - runs full_clean
        # Validate every form (no short-circuit) so each has its errors.
        results = [
            form.is_valid()
            for form in self.forms
            if not (self.can_delete and self._should_delete_form(form))
        ]
        forms_valid = all(results)
        return forms_valid and not self.non_form_errors()

    def full_clean(self) -> None:
        """Clean every form, then check counts and run ``clean()``."""
        self._errors = []
        self._non_form_errors = self.error_class(
            error_class="nonform", renderer=self.renderer
        )
        empty_forms_count = 0
        if not self.is_bound:
            return
        if not self.management_form.is_valid():
            error = ValidationError(
                self.error_messages["missing_management_form"],
                params={
                    "field_names": ", ".join(
                        self.management_form.add_prefix(field_name)
                        for field_name in self.management_form.errors
                    )
                },
                code="missing_management_form",
            )
            self._non_form_errors.append(error)
        for i, form in enumerate(self.forms):
            if not form.has_changed() and i >= self.initial_form_count():
                empty_forms_count += 1
            form_errors = form.errors
            if self.can_delete and self._should_delete_form(form):
                continue
            self._errors.append(form_errors)
        try:
            self._check_counts(empty_forms_count)
            self.clean()
        except ValidationError as e:
            self._non_form_errors = self.error_class(
                [*self._non_form_errors.data, *e.error_list],
                error_class="nonform",
                renderer=self.renderer,
            )

    def _check_counts(self, empty_forms_count: int) -> None:
        submitted = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
        live = self.total_form_count() - len(self.deleted_forms)
        if (self.validate_max and live > self.max_num) or submitted > self.absolute_max:
            raise ValidationError(
                self.error_messages["too_many_forms"] % {"num": self.max_num},
                code="too_many_forms",
            )
        if self.validate_min and live - empty_forms_count < self.min_num:
            raise ValidationError(
                self.error_messages["too_few_forms"] % {"num": self.min_num},
                code="too_few_forms",
            )

    def clean(self) -> None:
        """Formset-wide validation hook (errors become non_form_errors)."""

    def has_changed(self) -> bool:
        """Whether any form changed."""
        return any(form.has_changed() for form in self)

    def add_fields(self, form: Any, index: int | None) -> None:
        """Add the ORDER and DELETE fields when enabled."""
        initial_form_count = self.initial_form_count()
        if self.can_order:
            if index is not None and index < initial_form_count:
                form.fields[ORDERING_FIELD_NAME] = IntegerField(
                    label=_("Order"),
                    initial=index + 1,
                    required=False,
                    widget=self.get_ordering_widget(),
                )
            else:
                form.fields[ORDERING_FIELD_NAME] = IntegerField(
                    label=_("Order"),
                    required=False,
                    widget=self.get_ordering_widget(),
                )
        if self.can_delete and (
            self.can_delete_extra or (index is not None and index < initial_form_count)
        ):
            form.fields[DELETION_FIELD_NAME] = BooleanField(
                label=_("Delete"),
                required=False,
                widget=self.get_deletion_widget(),
            )

    def add_prefix(self, index: int | str) -> str:
        """The prefix of the form at ``index``."""
        return f"{self.prefix}-{index}"

    def is_multipart(self) -> bool:
        """Whether the forms need a multipart encoding."""
        if self.forms:
            return bool(self.forms[0].is_multipart())
        return bool(self.empty_form.is_multipart())

    @property
    def media(self) -> Any:
        """The forms' media."""
        if self.forms:
            return self.forms[0].media
        return self.empty_form.media

    @property
    def template_name(self) -> str:  # type: ignore[override]
        """The default formset template."""
        return self.renderer.formset_template_name  # type: ignore[no-any-return]

    def get_context(self) -> dict[str, Any]:
        """Expose the formset to its template."""
        return {"formset": self}


def formset_factory(
    form: type[Any],
    formset: type[BaseFormSet] = BaseFormSet,
    extra: int = 1,
    can_order: bool = False,
    can_delete: bool = False,
    max_num: int | None = None,
    validate_max: bool = False,
    min_num: int | None = None,
    validate_min: bool = False,
    absolute_max: int | None = None,
    can_delete_extra: bool = True,
    renderer: Any = None,
) -> type[BaseFormSet]:
    """Return a FormSet class for ``form``."""
    if min_num is None:
        min_num = DEFAULT_MIN_NUM
    if max_num is None:
        max_num = DEFAULT_MAX_NUM
    # absolute_max bounds the forms built from a (tampered) TOTAL_FORMS.
    if absolute_max is None:
        absolute_max = max_num + DEFAULT_MAX_NUM
    if max_num > absolute_max:
        raise ValueError("'absolute_max' must be greater or equal to 'max_num'.")
    attrs = {
        "form": form,
        "extra": extra,
        "can_order": can_order,
        "can_delete": can_delete,
        "can_delete_extra": can_delete_extra,
        "min_num": min_num,
        "max_num": max_num,
        "absolute_max": absolute_max,
        "validate_min": validate_min,
        "validate_max": validate_max,
        "renderer": renderer,
    }
    return type(form.__name__ + "FormSet", (formset,), attrs)


def all_valid(formsets: Any) -> bool:
    """Validate every formset (all of them, no short-circuit)."""
    results = [formset.is_valid() for formset in formsets]
    return all(results)
