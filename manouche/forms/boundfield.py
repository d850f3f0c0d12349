"""BoundField: a field joined to a form's data, initial values and errors.

Templates use it: ``{{ form.name }}``, ``{{ field.label_tag }}``,
``{{ field.errors }}``, ``field.id_for_label``, ``field.auto_id``.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms.utils import RenderableFieldMixin, pretty_name
from manouche.forms.widgets import MultiWidget, Textarea, TextInput
from manouche.utils.functional import cached_property
from manouche.utils.html import format_html, html_safe
from manouche.utils.safestring import SafeString
from manouche.utils.translation import gettext_lazy as _

__all__ = ["BoundField", "BoundWidget"]


class BoundField(RenderableFieldMixin):
    """A form field with its data."""

    def __init__(self, form: Any, field: Any, name: str) -> None:
        self.form = form
        self.field = field
        self.name = name
        self.html_name = form.add_prefix(name)
        self.html_initial_name = form.add_initial_prefix(name)
        self.html_initial_id = form.add_initial_prefix(self.auto_id)
        if self.field.label is None:
            self.label = pretty_name(name)
        else:
            self.label = self.field.label
        self.help_text = field.help_text or ""
        self.renderer = form.renderer

    @cached_property
    def subwidgets(self) -> list[BoundWidget]:
        """The sub-widgets (e.g. each radio button) as BoundWidgets."""
        id_ = self.field.widget.attrs.get("id") or self.auto_id
        attrs = {"id": id_} if id_ else {}
        attrs = self.build_widget_attrs(attrs)
        return [
            BoundWidget(self.field.widget, widget, self.form.renderer)
            for widget in self.field.widget.subwidgets(
                self.html_name, self.value(), attrs=attrs
            )
        ]

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Any:
        return iter(self.subwidgets)

    def __len__(self) -> int:
        return len(self.subwidgets)

    def __getitem__(self, idx: Any) -> Any:
        if not isinstance(idx, (int, slice)):
            raise TypeError(
                "BoundField indices must be integers or slices, not "
                f"{type(idx).__name__}."
            )
        return self.subwidgets[idx]

    @property
    def errors(self) -> Any:
        """This field's ErrorList (empty when valid or unbound)."""
        return self.form.errors.get(
            self.name,
            self.form.error_class(renderer=self.form.renderer, field_id=self.auto_id),
        )

    @property
    def template_name(self) -> str:  # type: ignore[override]
        """The field template (the field's own, else the renderer's)."""
        return self.field.template_name or self.form.renderer.field_template_name  # type: ignore[no-any-return]

    def get_context(self) -> dict[str, Any]:
        """Expose the field to its template."""
        return {"field": self}

    def as_widget(
        self,
        widget: Any = None,
        attrs: dict[str, Any] | None = None,
        only_initial: bool = False,
    ) -> SafeString:
        """Render the widget with the field's value and attributes."""
        widget = widget or self.field.widget
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault(
                "id", self.html_initial_id if only_initial else self.auto_id
            )
        if only_initial and self.html_initial_name in self.form.data:
            value = self.form._widget_data_value(
                self.field.hidden_widget(), self.html_initial_name
            )
        else:
            value = self.value()
        return widget.render(  # type: ignore[no-any-return]
            name=self.html_initial_name if only_initial else self.html_name,
            value=value,
            attrs=attrs,
            renderer=self.form.renderer,
        )

    def as_text(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> SafeString:
        """Render as a text input."""
        return self.as_widget(TextInput(), attrs, **kwargs)

    def as_textarea(
        self, attrs: dict[str, Any] | None = None, **kwargs: Any
    ) -> SafeString:
        """Render as a textarea."""
        return self.as_widget(Textarea(), attrs, **kwargs)

    def as_hidden(
        self, attrs: dict[str, Any] | None = None, **kwargs: Any
    ) -> SafeString:
        """Render as the field's hidden widget."""
        return self.as_widget(self.field.hidden_widget(), attrs, **kwargs)

    @property
    def data(self) -> Any:
        """The raw submitted value."""
        return self.form._widget_data_value(self.field.widget, self.html_name)

    def value(self) -> Any:
        """The value to display: submitted data when bound, else initial."""
        data = self.initial
        if self.form.is_bound:
            data = self.field.bound_data(self.data, data)
        return self.field.prepare_value(data)

    def _has_changed(self) -> bool:
        field = self.field
        if field.show_hidden_initial:
            hidden_widget = field.hidden_widget()
            initial_value = self.form._widget_data_value(
                hidden_widget, self.html_initial_name
            )
            try:
                initial_value = field.to_python(initial_value)
            except ValidationError:
                return True
        else:
            initial_value = self.initial
        return bool(field.has_changed(initial_value, self.data))

    def label_tag(
        self,
        contents: Any = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
        tag: str | None = None,
    ) -> SafeString:
        """Render ``<label for=...>`` (or ``tag``) with the label suffix."""
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = (
                self.field.label_suffix
                if self.field.label_suffix is not None
                else self.form.label_suffix
            )
        if label_suffix and contents and str(contents)[-1] not in _(":?.!"):
            contents = format_html("{}{}", contents, label_suffix)
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if id_:
            id_for_label = widget.id_for_label(id_)
            if id_for_label:
                attrs = {**(attrs or {}), "for": id_for_label}
            if self.field.required and hasattr(self.form, "required_css_class"):
                attrs = dict(attrs or {})
                if "class" in attrs:
                    attrs["class"] += " " + self.form.required_css_class
                else:
                    attrs["class"] = self.form.required_css_class
        context = {
            "field": self,
            "label": contents,
            "attrs": attrs,
            "use_tag": bool(id_),
            "tag": tag or "label",
        }
        return self.form.render(self.form.template_name_label, context)  # type: ignore[no-any-return]

    def legend_tag(
        self,
        contents: Any = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: str | None = None,
    ) -> SafeString:
        """Render a ``<legend>`` for fieldset widgets."""
        return self.label_tag(contents, attrs, label_suffix, tag="legend")

    def css_classes(self, extra_classes: Any = None) -> str:
        """Return the CSS classes: error/required classes plus ``extra``."""
        if hasattr(extra_classes, "split"):
            extra_classes = extra_classes.split()
        classes = set(extra_classes or [])
        if self.errors and hasattr(self.form, "error_css_class"):
            classes.add(self.form.error_css_class)
        if self.field.required and hasattr(self.form, "required_css_class"):
            classes.add(self.form.required_css_class)
        return " ".join(sorted(classes))

    @property
    def is_hidden(self) -> bool:
        """Whether the widget is hidden."""
        return bool(self.field.widget.is_hidden)

    @property
    def auto_id(self) -> str:
        """The HTML id from the form's ``auto_id`` pattern ('' if disabled)."""
        auto_id = self.form.auto_id
        if auto_id and "%s" in str(auto_id):
            return str(auto_id) % str(self.html_name)
        if auto_id:
            return str(self.html_name)
        return ""

    @property
    def id_for_label(self) -> str:
        """The id a label should point at."""
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        return widget.id_for_label(id_)  # type: ignore[no-any-return]

    @cached_property
    def initial(self) -> Any:
        """The initial value (form initial, else field initial)."""
        return self.form.get_initial_for_field(self.field, self.name)

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: Any = None
    ) -> dict[str, Any]:
        """Add required, disabled, aria-invalid and aria-describedby."""
        widget = widget or self.field.widget
        attrs = dict(attrs)
        if (
            widget.use_required_attribute(self.initial)
            and self.field.required
            and self.form.use_required_attribute
        ):
            if (
                hasattr(self.field, "require_all_fields")
                and not self.field.require_all_fields
                and isinstance(self.field.widget, MultiWidget)
            ):
                for subfield, subwidget in zip(
                    self.field.fields, widget.widgets, strict=False
                ):
                    subwidget.attrs["required"] = (
                        subwidget.use_required_attribute(self.initial)
                        and subfield.required
                    )
            else:
                attrs["required"] = True
        if self.field.disabled:
            attrs["disabled"] = True
        if not widget.is_hidden and self.form.is_bound and self.errors:
            attrs["aria-invalid"] = "true"
        if (
            not attrs.get("aria-describedby")
            and not widget.attrs.get("aria-describedby")
            and self.field.help_text
            and not self.use_fieldset
            and self.auto_id
            and not widget.is_hidden
        ):
            attrs["aria-describedby"] = f"{self.auto_id}_helptext"
        return attrs

    @property
    def widget_type(self) -> str:
        """The widget class name, lowercased, without "widget"/"input"."""
        name = type(self.field.widget).__name__.lower()
        for suffix in ("widget", "input"):
            name = name.removesuffix(suffix)
        return name

    @property
    def use_fieldset(self) -> bool:
        """Whether to render in a ``<fieldset>`` with a ``<legend>``."""
        return bool(self.field.widget.use_fieldset)


@html_safe
class BoundWidget:
    """One sub-widget (e.g. a radio option) that templates can iterate."""

    def __init__(self, parent_widget: Any, data: dict[str, Any], renderer: Any) -> None:
        self.parent_widget = parent_widget
        self.data = data
        self.renderer = renderer

    def __str__(self) -> str:
        return self.tag(wrap_label=True)

    def tag(self, wrap_label: bool = False) -> str:
        """Render this option's input (wrapped in its label if asked)."""
        context = {"widget": {**self.data, "wrap_label": wrap_label}}
        return str(
            self.parent_widget._render(self.template_name, context, self.renderer)
        )

    @property
    def template_name(self) -> str:
        """The option's template."""
        if "template_name" in self.data:
            return self.data["template_name"]  # type: ignore[no-any-return]
        return self.parent_widget.template_name  # type: ignore[no-any-return]

    @property
    def id_for_label(self) -> str:
        """The option's id."""
        return self.data["attrs"].get("id")  # type: ignore[no-any-return]

    @property
    def choice_label(self) -> Any:
        """The option's label."""
        return self.data["label"]
