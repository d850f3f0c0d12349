"""Single-value widgets: typed ``<input>`` elements, textarea and checkbox."""

from __future__ import annotations

from typing import Any

from manouche.forms.widgets._base import Input, Widget
from manouche.utils import formats


class TextInput(Input):
    """``<input type="text">``."""

    input_type = "text"
    template_name = "manouche/forms/widgets/text.html"


class NumberInput(Input):
    """``<input type="number">``."""

    input_type = "number"
    template_name = "manouche/forms/widgets/number.html"


class EmailInput(Input):
    """``<input type="email">``."""

    input_type = "email"
    template_name = "manouche/forms/widgets/email.html"


class URLInput(Input):
    """``<input type="url">``."""

    input_type = "url"
    template_name = "manouche/forms/widgets/url.html"


class ColorInput(Input):
    """``<input type="color">``."""

    input_type = "color"
    template_name = "manouche/forms/widgets/color.html"


class SearchInput(Input):
    """``<input type="search">``."""

    input_type = "search"
    template_name = "manouche/forms/widgets/search.html"


class TelInput(Input):
    """``<input type="tel">``."""

    input_type = "tel"
    template_name = "manouche/forms/widgets/tel.html"


class PasswordInput(Input):
    """``<input type="password">``; the value is not echoed back by default."""

    input_type = "password"
    template_name = "manouche/forms/widgets/password.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, render_value: bool = False
    ) -> None:
        super().__init__(attrs)
        self.render_value = render_value

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Drop the value unless render_value is set."""
        if not self.render_value:
            value = None
        return super().get_context(name, value, attrs)


class HiddenInput(Input):
    """``<input type="hidden">``."""

    input_type = "hidden"
    template_name = "manouche/forms/widgets/hidden.html"


class MultipleHiddenInput(HiddenInput):
    """One hidden input per value of a list."""

    template_name = "manouche/forms/widgets/multiple_hidden.html"

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Build one sub-widget per value, ids suffixed with the index."""
        context = super().get_context(name, value, attrs)
        final_attrs = context["widget"]["attrs"]
        id_ = context["widget"]["attrs"].get("id")
        subwidgets = []
        for index, value_ in enumerate(context["widget"]["value"]):
            widget_attrs = final_attrs.copy()
            if id_:
                widget_attrs["id"] = f"{id_}_{index}"
            widget = HiddenInput()
            widget.is_required = self.is_required
            subwidgets.append(widget.get_context(name, value_, widget_attrs)["widget"])
        context["widget"]["subwidgets"] = subwidgets
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return every value submitted under ``name``."""
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def format_value(self, value: Any) -> Any:
        """Return a list (empty for None)."""
        return [] if value is None else value


class Textarea(Widget):
    """``<textarea>`` (40 columns, 10 rows by default)."""

    template_name = "manouche/forms/widgets/textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        default_attrs = {"cols": "40", "rows": "10"}
        if attrs:
            default_attrs.update(attrs)
        super().__init__(default_attrs)


class DateTimeBaseInput(TextInput):
    """A text input showing a date/time in the first input format."""

    format_key = ""
    supports_microseconds = False

    def __init__(
        self, attrs: dict[str, Any] | None = None, format: str | None = None
    ) -> None:
        super().__init__(attrs)
        self.format = format or None

    def format_value(self, value: Any) -> Any:
        """Format with ``format`` or the first input format."""
        return formats.localize_input(
            value, self.format or formats.get_format(self.format_key)[0]
        )


class DateInput(DateTimeBaseInput):
    """A text input for dates."""

    format_key = "DATE_INPUT_FORMATS"
    template_name = "manouche/forms/widgets/date.html"


class DateTimeInput(DateTimeBaseInput):
    """A text input for datetimes."""

    format_key = "DATETIME_INPUT_FORMATS"
    template_name = "manouche/forms/widgets/datetime.html"


class TimeInput(DateTimeBaseInput):
    """A text input for times."""

    format_key = "TIME_INPUT_FORMATS"
    template_name = "manouche/forms/widgets/time.html"


def boolean_check(v: Any) -> bool:
    """The default CheckboxInput test: checked unless False, None or ''."""
    return not (v is False or v is None or v == "")


class CheckboxInput(Input):
    """``<input type="checkbox">``."""

    input_type = "checkbox"
    template_name = "manouche/forms/widgets/checkbox.html"

    def __init__(
        self, attrs: dict[str, Any] | None = None, check_test: Any = None
    ) -> None:
        super().__init__(attrs)
        self.check_test = boolean_check if check_test is None else check_test

    def format_value(self, value: Any) -> Any:
        """Only non-boolean values are rendered in ``value=``."""
        if value is True or value is False or value is None or value == "":
            return None
        return str(value)

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add ``checked`` when the check test passes."""
        if self.check_test(value):
            attrs = {**(attrs or {}), "checked": True}
        return super().get_context(name, value, attrs)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """An absent checkbox is False; "true"/"false" strings are parsed."""
        if name not in data:
            return False
        value = data.get(name)
        values = {"true": True, "false": False}
        if isinstance(value, str):
            value = values.get(value.lower(), value)
        return bool(value)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Unchecked boxes are never sent, so never "omitted"."""
        return False
