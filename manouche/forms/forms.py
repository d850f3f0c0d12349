"""Form and BaseForm: bind data, run the validation lifecycle, render.

``full_clean`` cleans each field (``to_python``, ``validate``,
``run_validators``, then ``clean_<name>``), then ``clean()``, then
``_post_clean()``; errors land in ``form.errors`` through ``add_error``.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator
from typing import Any

from manouche.core.exceptions import NON_FIELD_ERRORS, ValidationError
from manouche.forms._media import Media, MediaDefiningClass
from manouche.forms.boundfield import BoundField
from manouche.forms.fields import Field, FileField
from manouche.forms.renderers import get_default_renderer
from manouche.forms.utils import ErrorDict, ErrorList, RenderableFormMixin
from manouche.utils.datastructures import MultiValueDict
from manouche.utils.functional import cached_property
from manouche.utils.translation import gettext as _

__all__ = ["BaseForm", "DeclarativeFieldsMetaclass", "Form"]


class DeclarativeFieldsMetaclass(MediaDefiningClass):
    """Collect Field class attributes into ``base_fields`` (bases first)."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> DeclarativeFieldsMetaclass:
        attrs["declared_fields"] = {
            key: attrs.pop(key)
            for key, value in list(attrs.items())
            if isinstance(value, Field)
        }
        new_class = super().__new__(mcs, name, bases, attrs, **kwargs)
        declared_fields: dict[str, Field] = {}
        for base in reversed(new_class.__mro__):
            if hasattr(base, "declared_fields"):
                declared_fields.update(base.declared_fields)
            # A subclass can remove an inherited field by setting it to None.
            for attr, value in base.__dict__.items():
                if value is None and attr in declared_fields:
                    declared_fields.pop(attr)
        new_class.base_fields = declared_fields  # type: ignore[attr-defined]
        new_class.declared_fields = declared_fields  # type: ignore[attr-defined]
        return new_class  # type: ignore[return-value]


class BaseForm(RenderableFormMixin):
    """The form logic, without declarative field collection."""

    base_fields: dict[str, Field] = {}
    declared_fields: dict[str, Field] = {}
    default_renderer: Any = None
    field_order: list[str] | None = None
    prefix: str | None = None
    use_required_attribute = True
    bound_field_class: Any = None

    template_name_div = "manouche/forms/div.html"
    template_name_p = "manouche/forms/p.html"
    template_name_table = "manouche/forms/table.html"
    template_name_ul = "manouche/forms/ul.html"
    template_name_label = "manouche/forms/label.html"

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        auto_id: str | bool = "id_%s",
        prefix: str | None = None,
        initial: dict[str, Any] | None = None,
        error_class: type[ErrorList] = ErrorList,
        label_suffix: str | None = None,
        empty_permitted: bool = False,
        field_order: list[str] | None = None,
        use_required_attribute: bool | None = None,
        renderer: Any = None,
        bound_field_class: Any = None,
    ) -> None:
        self.is_bound = data is not None or files is not None
        self.data = MultiValueDict() if data is None else data
        self.files = MultiValueDict() if files is None else files
        self.auto_id = auto_id
        if prefix is not None:
            self.prefix = prefix
        self.initial = initial or {}
        self.error_class = error_class
        self.label_suffix = label_suffix if label_suffix is not None else _(":")
        self.empty_permitted = empty_permitted
        self._errors: ErrorDict | None = None
        self.fields: dict[str, Field] = copy.deepcopy(self.base_fields)
        self._bound_fields_cache: dict[str, BoundField] = {}
        self.order_fields(self.field_order if field_order is None else field_order)
        if use_required_attribute is not None:
            self.use_required_attribute = use_required_attribute
        if self.empty_permitted and self.use_required_attribute:
            raise ValueError(
                "The empty_permitted and use_required_attribute arguments may "
                "not both be set to True."
            )
        if renderer is None:
            if self.default_renderer is None:
                renderer = get_default_renderer()
            else:
                renderer = self.default_renderer
                if isinstance(self.default_renderer, type):
                    renderer = renderer()
        self.renderer = renderer
        self.bound_field_class = (
            bound_field_class
            or self.bound_field_class
            or getattr(self.renderer, "bound_field_class", None)
        )

    def order_fields(self, field_order: list[str] | None) -> None:
        """Put the named fields first, in that order; unknown names are ignored."""
        if field_order is None:
            return
        fields = {}
        for key in field_order:
            try:
                fields[key] = self.fields.pop(key)
            except KeyError:
                pass
        fields.update(self.fields)
        self.fields = fields

    def __repr__(self) -> str:
        if self._errors is None:
            is_valid: Any = "Unknown"
        else:
            is_valid = self.is_bound and not self._errors
        return (
            f"<{type(self).__name__} bound={self.is_bound}, valid={is_valid}, "
            f"fields=({';'.join(self.fields)})>"
        )

    def _bound_items(self) -> Iterator[tuple[str, BoundField]]:
        for name in self.fields:
            yield name, self[name]

    def __iter__(self) -> Iterator[BoundField]:
        for name in self.fields:
            yield self[name]

    def __getitem__(self, name: str) -> BoundField:
        """Return the BoundField named ``name``."""
        try:
            field = self.fields[name]
        except KeyError:
            raise KeyError(
                f"Key '{name}' not found in '{type(self).__name__}'. Choices "
                f"are: {', '.join(sorted(self.fields))}."
            ) from None
        if name not in self._bound_fields_cache:
            self._bound_fields_cache[name] = field.get_bound_field(self, name)
        return self._bound_fields_cache[name]

    @property
    def errors(self) -> ErrorDict:
        """The errors, cleaning the form on first access."""
        if self._errors is None:
            self.full_clean()
        assert self._errors is not None
        return self._errors

    def is_valid(self) -> bool:
        """Whether the form is bound and has no errors."""
        return self.is_bound and not self.errors

    def add_prefix(self, field_name: str) -> str:
        """Return the field's HTML name with the form prefix."""
        return f"{self.prefix}-{field_name}" if self.prefix else field_name

    def add_initial_prefix(self, field_name: str) -> str:
        """Return the name of the hidden "initial" input."""
        return f"initial-{self.add_prefix(field_name)}"

    def _widget_data_value(self, widget: Any, html_name: str) -> Any:
        return widget.value_from_datadict(self.data, self.files, html_name)

    @property
    def template_name(self) -> str:  # type: ignore[override]
        """The default form template (``div`` unless the renderer says)."""
        return self.renderer.form_template_name  # type: ignore[no-any-return]

    def get_context(self) -> dict[str, Any]:
        """Visible fields with their errors, hidden fields, top errors."""
        fields = []
        hidden_fields = []
        top_errors = self.non_field_errors().copy()
        for name, bf in self._bound_items():
            bf_errors = self.error_class(bf.errors, renderer=self.renderer)
            if bf.is_hidden:
                if bf_errors:
                    top_errors += [
                        _("(Hidden field %(name)s) %(error)s")
                        % {"name": name, "error": str(e)}
                        for e in bf_errors
                    ]
                hidden_fields.append(bf)
            else:
                bf_errors.field_id = bf.auto_id
                fields.append((bf, bf_errors))
        return {
            "form": self,
            "fields": fields,
            "hidden_fields": hidden_fields,
            "errors": top_errors,
        }

    def non_field_errors(self) -> ErrorList:
        """Errors not tied to a field (from ``clean()``)."""
        return self.errors.get(  # type: ignore[no-any-return]
            NON_FIELD_ERRORS,
            self.error_class(error_class="nonfield", renderer=self.renderer),
        )

    def add_error(self, field: str | None, error: Any) -> None:
        """Record ``error`` on ``field`` (None: non-field) and drop its data."""
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if hasattr(error, "error_dict"):
            if field is not None:
                raise TypeError(
                    "The argument `field` must be `None` when the `error` "
                    "argument contains errors for multiple fields."
                )
            errors: dict[str, Any] = error.error_dict
        else:
            errors = {field or NON_FIELD_ERRORS: error.error_list}
        for name, error_list in errors.items():
            if name not in self.errors:
                if name != NON_FIELD_ERRORS and name not in self.fields:
                    raise ValueError(
                        f"'{type(self).__name__}' has no field named '{name}'."
                    )
                if name == NON_FIELD_ERRORS:
                    self.errors[name] = self.error_class(
                        error_class="nonfield", renderer=self.renderer
                    )
                else:
                    self.errors[name] = self.error_class(
                        renderer=self.renderer, field_id=self[name].auto_id
                    )
            self.errors[name].extend(error_list)
            if name in self.cleaned_data:
                del self.cleaned_data[name]

    def has_error(self, field: str, code: str | None = None) -> bool:
        """Whether ``field`` has an error (with ``code``, if given)."""
        return field in self.errors and (
            code is None
            or any(error.code == code for error in self.errors.as_data()[field])
        )

    def full_clean(self) -> None:
        """Clean every field and the form, filling errors and cleaned_data."""
        self._errors = ErrorDict(renderer=self.renderer)
        if not self.is_bound:
            return
        self.cleaned_data: dict[str, Any] = {}
        if self.empty_permitted and not self.has_changed():
            return
        self._clean_fields()
        self._clean_form()
        self._post_clean()

    def _clean_fields(self) -> None:
        for name, bf in self._bound_items():
            field = bf.field
            value = bf.initial if field.disabled else bf.data
            try:
                if isinstance(field, FileField):
                    value = field.clean(value, bf.initial)
                else:
                    value = field.clean(value)
                self.cleaned_data[name] = value
                if hasattr(self, f"clean_{name}"):
                    value = getattr(self, f"clean_{name}")()
                    self.cleaned_data[name] = value
            except ValidationError as e:
                self.add_error(name, e)

    def _clean_form(self) -> None:
        try:
            cleaned_data = self.clean()
        except ValidationError as e:
            self.add_error(None, e)
        else:
            if cleaned_data is not None:
                self.cleaned_data = cleaned_data

    def _post_clean(self) -> None:
        """Hook run after clean() (ModelForm validates the instance here)."""

    def clean(self) -> dict[str, Any] | None:
        """Cross-field validation hook; return cleaned_data."""
        return self.cleaned_data

    def has_changed(self) -> bool:
        """Whether any field's data differs from its initial value."""
        return bool(self.changed_data)

    @cached_property
    def changed_data(self) -> list[str]:
        """The names of the fields whose data changed."""
        return [name for name, bf in self._bound_items() if bf._has_changed()]

    @property
    def media(self) -> Media:
        """The combined media of every widget."""
        media = Media()
        for field in self.fields.values():
            media = media + field.widget.media
        return media

    def is_multipart(self) -> bool:
        """Whether the form needs ``enctype="multipart/form-data"``."""
        return any(field.widget.needs_multipart_form for field in self.fields.values())

    def hidden_fields(self) -> list[BoundField]:
        """The BoundFields with hidden widgets."""
        return [field for field in self if field.is_hidden]

    def visible_fields(self) -> list[BoundField]:
        """The BoundFields with visible widgets."""
        return [field for field in self if not field.is_hidden]

    def get_initial_for_field(self, field: Field, field_name: str) -> Any:
        """Return the initial value (form initial first; callables called)."""
        value = self.initial.get(field_name, field.initial)
        if callable(value):
            value = value()
        if (
            isinstance(value, (datetime.datetime, datetime.time))
            and not field.widget.supports_microseconds
        ):
            value = value.replace(microsecond=0)
        return value


class Form(BaseForm, metaclass=DeclarativeFieldsMetaclass):
    """A collection of fields declared as class attributes."""
