"""The Widget base class and the generic ``<input>`` widget.

A widget never validates: it renders through the form renderer's templates
and reads raw values back in ``value_from_datadict``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from manouche.forms._media import MediaDefiningClass
from manouche.utils import formats
from manouche.utils.safestring import SafeString, mark_safe


class Widget(metaclass=MediaDefiningClass):
    """Base widget: attrs, rendering through a template, reading data back."""

    needs_multipart_form = False
    is_localized = False
    is_required = False
    supports_microseconds = True
    use_fieldset = False
    template_name: str = ""
    input_type: str | None

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        self.attrs: dict[str, Any] = {} if attrs is None else attrs.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> Widget:
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        memo[id(self)] = obj
        return obj

    @property
    def is_hidden(self) -> bool:
        """Whether this renders as ``<input type="hidden">``."""
        return getattr(self, "input_type", None) == "hidden"

    def subwidgets(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield the context of each sub-widget (itself by default)."""
        context = self.get_context(name, value, attrs)
        yield context["widget"]

    def format_value(self, value: Any) -> Any:
        """Return the value as it should appear in the rendered widget."""
        if value == "" or value is None:
            return None
        if self.is_localized:
            return formats.localize_input(value)
        return str(value)

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Return the template context for rendering."""
        return {
            "widget": {
                "name": name,
                "is_hidden": self.is_hidden,
                "required": self.is_required,
                "value": self.format_value(value),
                "attrs": self.build_attrs(self.attrs, attrs),
                "template_name": self.template_name,
            }
        }

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        """Render the widget as HTML."""
        context = self.get_context(name, value, attrs)
        return self._render(self.template_name, context, renderer)

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        if renderer is None:
            from manouche.forms.renderers import get_default_renderer

            renderer = get_default_renderer()
        return mark_safe(  # type: ignore[no-any-return]
            renderer.render(template_name, context)
        )

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Merge the widget's attrs with those given at render time."""
        return {**base_attrs, **(extra_attrs or {})}

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return the raw submitted value for ``name``."""
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Whether the submission left this widget out entirely."""
        return name not in data

    def id_for_label(self, id_: str) -> str:
        """Return the id a ``<label for>`` should point at."""
        return id_

    def use_required_attribute(self, initial: Any) -> bool:
        """Whether to render the HTML ``required`` attribute."""
        return not self.is_hidden


class Input(Widget):
    """An ``<input>`` element of some type."""

    input_type: str | None = None
    template_name = "manouche/forms/widgets/input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        if attrs is not None:
            attrs = attrs.copy()
            self.input_type = attrs.pop("type", self.input_type)
        super().__init__(attrs)

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add the input type."""
        context = super().get_context(name, value, attrs)
        context["widget"]["type"] = self.input_type
        return context
