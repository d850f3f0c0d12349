"""HTML widgets: turn a value into markup and read it back from submitted data.

A widget never validates; it renders through the form renderer's templates
(``manouche/forms/widgets/*.html``) and extracts raw values from ``data`` and
``files`` in ``value_from_datadict``.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterator
from typing import Any

from manouche.forms._media import Media, MediaDefiningClass, MediaOrderConflictWarning
from manouche.forms.utils import to_current_timezone
from manouche.utils import formats
from manouche.utils.safestring import SafeString, mark_safe
from manouche.utils.translation import gettext_lazy as _

__all__ = [
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "ChoiceWidget",
    "ClearableFileInput",
    "ColorInput",
    "DateInput",
    "DateTimeBaseInput",
    "DateTimeInput",
    "EmailInput",
    "FILE_INPUT_CONTRADICTION",
    "FileInput",
    "HiddenInput",
    "Input",
    "Media",
    "MediaDefiningClass",
    "MediaOrderConflictWarning",
    "MultiWidget",
    "MultipleHiddenInput",
    "NullBooleanSelect",
    "NumberInput",
    "PasswordInput",
    "RadioSelect",
    "SearchInput",
    "Select",
    "SelectDateWidget",
    "SelectMultiple",
    "SplitDateTimeWidget",
    "SplitHiddenDateTimeWidget",
    "TelInput",
    "TextInput",
    "Textarea",
    "TimeInput",
    "URLInput",
    "Widget",
]

MONTHS = {
    1: _("January"),
    2: _("February"),
    3: _("March"),
    4: _("April"),
    5: _("May"),
    6: _("June"),
    7: _("July"),
    8: _("August"),
    9: _("September"),
    10: _("October"),
    11: _("November"),
    12: _("December"),
}


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


class FileInput(Input):
    """``<input type="file">``; never renders a value."""

    allow_multiple_selected = False
    input_type = "file"
    needs_multipart_form = True
    template_name = "manouche/forms/widgets/file.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        if (
            attrs is not None
            and not self.allow_multiple_selected
            and attrs.get("multiple", False)
        ):
            raise ValueError(
                f"{type(self).__qualname__} doesn't support uploading multiple files."
            )
        if self.allow_multiple_selected:
            if attrs is None:
                attrs = {"multiple": True}
            else:
                attrs.setdefault("multiple", True)
        super().__init__(attrs)

    def format_value(self, value: Any) -> Any:
        """File inputs never show a value."""
        return None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return the uploaded file(s) for ``name``."""
        if self.allow_multiple_selected:
            try:
                getter = files.getlist
            except AttributeError:
                getter = files.get
            return getter(name)
        return files.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Omitted when no file was sent under ``name``."""
        return name not in files

    def use_required_attribute(self, initial: Any) -> bool:
        """Not required in HTML when a file is already there."""
        return super().use_required_attribute(initial) and not initial


FILE_INPUT_CONTRADICTION = object()


class ClearableFileInput(FileInput):
    """A file input plus a "clear" checkbox when a file is already set."""

    clear_checkbox_label = _("Clear")
    initial_text = _("Currently")
    input_text = _("Change")
    template_name = "manouche/forms/widgets/clearable_file_input.html"
    checked = False

    def clear_checkbox_name(self, name: str) -> str:
        """The name of the clear checkbox."""
        return name + "-clear"

    def clear_checkbox_id(self, name: str) -> str:
        """The id of the clear checkbox."""
        return name + "_id"

    def is_initial(self, value: Any) -> bool:
        """Whether ``value`` is an existing file (one with a url)."""
        return bool(value and getattr(value, "url", False))

    def format_value(self, value: Any) -> Any:
        """Show the current file, if any."""
        if self.is_initial(value):
            return value
        return None

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add the clear checkbox's name, id and labels."""
        context = super().get_context(name, value, attrs)
        checkbox_name = self.clear_checkbox_name(name)
        checkbox_id = self.clear_checkbox_id(checkbox_name)
        context["widget"].update(
            {
                "checkbox_name": checkbox_name,
                "checkbox_id": checkbox_id,
                "is_initial": self.is_initial(value),
                "input_text": self.input_text,
                "initial_text": self.initial_text,
                "clear_checkbox_label": self.clear_checkbox_label,
            }
        )
        context["widget"]["attrs"].setdefault("disabled", False)
        context["widget"]["checked"] = self.checked
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return the upload, False to clear, or a contradiction marker."""
        upload = super().value_from_datadict(data, files, name)
        self.checked = self.clear_checkbox_name(name) in data
        if not self.is_required and CheckboxInput().value_from_datadict(
            data, files, self.clear_checkbox_name(name)
        ):
            if upload:
                return FILE_INPUT_CONTRADICTION
            return False
        return upload

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Omitted when neither a file nor the clear box was sent."""
        return (
            super().value_omitted_from_data(data, files, name)
            and self.clear_checkbox_name(name) not in data
        )


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


class ChoiceWidget(Widget):
    """Base of widgets offering choices: options grouped into optgroups."""

    allow_multiple_selected = False
    input_type: str | None = None
    template_name = ""
    option_template_name = ""
    add_id_index = True
    checked_attribute: dict[str, Any] = {"checked": True}
    option_inherits_attrs = True

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        super().__init__(attrs)
        self.choices = choices

    @property
    def choices(self) -> Any:
        """The (value, label) pairs, possibly grouped."""
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        from manouche.forms.fields import normalize_choices

        self._choices = normalize_choices(value)

    def __deepcopy__(self, memo: dict[int, Any]) -> Widget:
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        obj._choices = copy.copy(self._choices)
        memo[id(self)] = obj
        return obj

    def subwidgets(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield each option."""
        yield from self.options(name, value, attrs)

    def options(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Yield every option, flattened out of its group."""
        for group in self.optgroups(name, value, attrs):
            yield from group[1]

    def optgroups(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None
    ) -> list[tuple[Any, list[dict[str, Any]], int]]:
        """Return ``(group name, options, index)`` for each choice or group."""
        groups: list[tuple[Any, list[dict[str, Any]], int]] = []
        has_selected = False
        for index, (option_value, option_label) in enumerate(self.choices):
            if option_value is None:
                option_value = ""
            subgroup: list[dict[str, Any]] = []
            if isinstance(option_label, (list, tuple)):
                group_name = option_value
                subindex: int | None = 0
                choices = option_label
            else:
                group_name = None
                subindex = None
                choices = [(option_value, option_label)]
            groups.append((group_name, subgroup, index))
            for subvalue, sublabel in choices:
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    subvalue
                ) in value
                has_selected |= selected
                subgroup.append(
                    self.create_option(
                        name, subvalue, sublabel, selected, index, subindex, attrs
                    )
                )
                if subindex is not None:
                    subindex += 1
        return groups

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: Any,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Return the context of one option."""
        index = str(index) if subindex is None else f"{index}_{subindex}"
        option_attrs = (
            self.build_attrs(self.attrs, attrs) if self.option_inherits_attrs else {}
        )
        if selected:
            option_attrs.update(self.checked_attribute)
        if "id" in option_attrs:
            option_attrs["id"] = self.id_for_label(option_attrs["id"], index)
        return {
            "name": name,
            "value": value,
            "label": label,
            "selected": selected,
            "index": index,
            "attrs": option_attrs,
            "type": self.input_type,
            "template_name": self.option_template_name,
            "wrap_label": True,
        }

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add the option groups."""
        context = super().get_context(name, value, attrs)
        context["widget"]["optgroups"] = self.optgroups(
            name, context["widget"]["value"], attrs
        )
        return context

    def id_for_label(self, id_: str, index: str = "0") -> str:
        """Suffix the id with the option index."""
        if id_ and self.add_id_index:
            id_ = f"{id_}_{index}"
        return id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return one value, or the list of values when multiple."""
        if self.allow_multiple_selected:
            try:
                getter = data.getlist
            except AttributeError:
                getter = data.get
            return getter(name)
        return data.get(name)

    def format_value(self, value: Any) -> Any:
        """Return the selected values as a list of strings."""
        if value is None and self.allow_multiple_selected:
            return []
        if not isinstance(value, (tuple, list)):
            value = [value]
        return [str(v) if v is not None else "" for v in value]


class Select(ChoiceWidget):
    """``<select>`` with ``<option>``s (and ``<optgroup>``s)."""

    input_type = "select"
    template_name = "manouche/forms/widgets/select.html"
    option_template_name = "manouche/forms/widgets/select_option.html"
    add_id_index = False
    checked_attribute = {"selected": True}
    option_inherits_attrs = False

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add ``multiple`` for multiple selects."""
        context = super().get_context(name, value, attrs)
        if self.allow_multiple_selected:
            context["widget"]["attrs"]["multiple"] = True
        return context

    @staticmethod
    def _choice_has_empty_value(choice: Any) -> bool:
        value, _label = choice
        return value is None or value == ""

    def use_required_attribute(self, initial: Any) -> bool:
        """Only when the first option is a placeholder with an empty value."""
        use_required_attribute = super().use_required_attribute(initial)
        if self.allow_multiple_selected or not use_required_attribute:
            return use_required_attribute
        first_choice = next(iter(self.choices), None)
        return first_choice is not None and self._choice_has_empty_value(first_choice)


class NullBooleanSelect(Select):
    """A select offering Unknown, Yes and No."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        choices = (
            ("unknown", _("Unknown")),
            ("true", _("Yes")),
            ("false", _("No")),
        )
        super().__init__(attrs, choices)

    def format_value(self, value: Any) -> Any:
        """Map booleans (and legacy "2"/"3") to the option values."""
        try:
            return {
                True: "true",
                False: "false",
                "true": "true",
                "false": "false",
                "2": "true",
                "3": "false",
            }[value]
        except (KeyError, TypeError):
            return "unknown"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return True, False or None."""
        value = data.get(name)
        if not isinstance(value, (str, bool)):
            return None
        return {
            True: True,
            "True": True,
            "False": False,
            False: False,
            "true": True,
            "false": False,
            "2": True,
            "3": False,
        }.get(value)


class SelectMultiple(Select):
    """``<select multiple>``."""

    allow_multiple_selected = True

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """An empty multiple select sends nothing, so never "omitted"."""
        return False


class RadioSelect(ChoiceWidget):
    """A list of radio buttons."""

    input_type = "radio"
    template_name = "manouche/forms/widgets/radio.html"
    option_template_name = "manouche/forms/widgets/radio_option.html"
    use_fieldset = True

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        """No label ``for`` for the group; options get indexed ids."""
        if index is None:
            return ""
        return super().id_for_label(id_, index)


class CheckboxSelectMultiple(RadioSelect):
    """A list of checkboxes."""

    allow_multiple_selected = True
    input_type = "checkbox"
    template_name = "manouche/forms/widgets/checkbox_select.html"
    option_template_name = "manouche/forms/widgets/checkbox_option.html"

    def use_required_attribute(self, initial: Any) -> bool:
        """Browsers would require every box: never render ``required``."""
        return False

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Unchecked boxes are never sent, so never "omitted"."""
        return False


class MultiWidget(Widget):
    """Several widgets rendered together for one value (see decompress)."""

    template_name = "manouche/forms/widgets/multiwidget.html"
    use_fieldset = True

    def __init__(self, widgets: Any, attrs: dict[str, Any] | None = None) -> None:
        if isinstance(widgets, dict):
            self.widgets_names = [("_" + name) if name else "" for name in widgets]
            widgets = widgets.values()
        else:
            self.widgets_names = ["_" + str(i) for i in range(len(widgets))]
        self.widgets = [w() if isinstance(w, type) else w for w in widgets]
        super().__init__(attrs)

    @property
    def is_hidden(self) -> bool:
        """Hidden when every sub-widget is."""
        return all(w.is_hidden for w in self.widgets)

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Add each sub-widget's context, names and ids suffixed."""
        context = super().get_context(name, value, attrs)
        if self.is_localized:
            for widget in self.widgets:
                widget.is_localized = self.is_localized
        if not isinstance(value, (list, tuple)):
            value = self.decompress(value)
        final_attrs = context["widget"]["attrs"]
        input_type = final_attrs.pop("type", None)
        id_ = final_attrs.get("id")
        subwidgets = []
        for i, (widget_name, widget) in enumerate(
            zip(self.widgets_names, self.widgets, strict=False)
        ):
            if input_type is not None:
                widget.input_type = input_type
            try:
                widget_value = value[i]
            except IndexError:
                widget_value = None
            if id_:
                widget_attrs = final_attrs.copy()
                widget_attrs["id"] = f"{id_}_{i}"
            else:
                widget_attrs = final_attrs
            subwidgets.append(
                widget.get_context(name + widget_name, widget_value, widget_attrs)[
                    "widget"
                ]
            )
        context["widget"]["subwidgets"] = subwidgets
        return context

    def id_for_label(self, id_: str) -> str:
        """The group is a fieldset: no single label target."""
        return ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Return the list of each sub-widget's value."""
        return [
            widget.value_from_datadict(data, files, name + widget_name)
            for widget_name, widget in zip(
                self.widgets_names, self.widgets, strict=False
            )
        ]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Omitted when every sub-widget is."""
        return all(
            widget.value_omitted_from_data(data, files, name + widget_name)
            for widget_name, widget in zip(
                self.widgets_names, self.widgets, strict=False
            )
        )

    def decompress(self, value: Any) -> list[Any]:
        """Split a single value into one value per sub-widget."""
        raise NotImplementedError("Subclasses must implement this method.")

    def _get_media(self) -> Media:
        media = Media()
        for w in self.widgets:
            media = media + w.media
        return media

    media = property(_get_media)

    def __deepcopy__(self, memo: dict[int, Any]) -> Widget:
        obj = super().__deepcopy__(memo)
        obj.widgets = copy.deepcopy(self.widgets)  # type: ignore[attr-defined]
        return obj

    @property
    def needs_multipart_form(self) -> bool:  # type: ignore[override]
        """Whether any sub-widget needs a multipart form."""
        return any(w.needs_multipart_form for w in self.widgets)


class SplitDateTimeWidget(MultiWidget):
    """A date input and a time input for one datetime."""

    supports_microseconds = False
    template_name = "manouche/forms/widgets/splitdatetime.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        date_format: str | None = None,
        time_format: str | None = None,
        date_attrs: dict[str, Any] | None = None,
        time_attrs: dict[str, Any] | None = None,
    ) -> None:
        widgets = (
            DateInput(
                attrs=attrs if date_attrs is None else date_attrs, format=date_format
            ),
            TimeInput(
                attrs=attrs if time_attrs is None else time_attrs, format=time_format
            ),
        )
        super().__init__(widgets)

    def decompress(self, value: Any) -> list[Any]:
        """Split a datetime into its date and time (in the current zone)."""
        if value:
            value = to_current_timezone(value)
            return [value.date(), value.time()]
        return [None, None]


class SplitHiddenDateTimeWidget(SplitDateTimeWidget):
    """Two hidden inputs for one datetime."""

    template_name = "manouche/forms/widgets/splithiddendatetime.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.input_type = "hidden"


class SelectDateWidget(Widget):
    """Three selects (year, month, day) for one date."""

    none_value = ("", "---")
    month_field = "%s_month"
    day_field = "%s_day"
    year_field = "%s_year"
    template_name = "manouche/forms/widgets/select_date.html"
    input_type = "select"
    select_widget = Select
    date_re = re.compile(r"(\d{4}|0)-(\d\d?)-(\d\d?)$")
    use_fieldset = True

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        years: Any = None,
        months: Any = None,
        empty_label: Any = None,
    ) -> None:
        self.attrs = attrs or {}
        if years:
            self.years = years
        else:
            this_year = datetime.date.today().year
            self.years = range(this_year, this_year + 10)
        self.months = months or MONTHS
        if isinstance(empty_label, (list, tuple)):
            if len(empty_label) != 3:
                raise ValueError("empty_label list/tuple must have 3 elements.")
            self.year_none_value = ("", empty_label[0])
            self.month_none_value = ("", empty_label[1])
            self.day_none_value = ("", empty_label[2])
        else:
            if empty_label is not None:
                self.none_value = ("", empty_label)
            self.year_none_value = self.none_value
            self.month_none_value = self.none_value
            self.day_none_value = self.none_value

    def get_context(
        self, name: str, value: Any, attrs: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Build the three selects, ordered as DATE_FORMAT orders them."""
        context = super().get_context(name, value, attrs)
        date_context: dict[str, Any] = {}
        year_choices: list[tuple[Any, Any]] = [(i, str(i)) for i in self.years]
        if not self.is_required:
            year_choices.insert(0, self.year_none_value)
        month_choices = list(self.months.items())
        if not self.is_required:
            month_choices.insert(0, self.month_none_value)
        day_choices: list[tuple[Any, Any]] = [(i, i) for i in range(1, 32)]
        if not self.is_required:
            day_choices.insert(0, self.day_none_value)
        id_ = context["widget"]["attrs"].get("id") or f"id_{name}"
        for part, field, choices in (
            ("year", self.year_field, year_choices),
            ("month", self.month_field, month_choices),
            ("day", self.day_field, day_choices),
        ):
            select_attrs = {**context["widget"]["attrs"], "id": f"{id_}_{part}"}
            date_context[part] = self.select_widget(attrs, choices=choices).get_context(
                name=field % name,
                value=context["widget"]["value"][part],
                attrs=select_attrs,
            )
        subwidgets = []
        for part in self._parse_date_fmt():
            subwidgets.append(date_context[part]["widget"])
        context["widget"]["subwidgets"] = subwidgets
        return context

    def format_value(self, value: Any) -> Any:
        """Return ``{"year": ..., "month": ..., "day": ...}``."""
        year: Any = None
        month: Any = None
        day: Any = None
        if isinstance(value, (datetime.date, datetime.datetime)):
            year, month, day = value.year, value.month, value.day
        elif isinstance(value, str):
            match = self.date_re.match(value)
            if match:
                year, month, day = (int(val) or "" for val in match.groups())
            else:
                input_format = formats.get_format("DATE_INPUT_FORMATS")[0]
                try:
                    d = datetime.datetime.strptime(value, input_format)
                except ValueError:
                    pass
                else:
                    year, month, day = d.year, d.month, d.day
        return {"year": year, "month": month, "day": day}

    @staticmethod
    def _parse_date_fmt() -> Iterator[str]:
        fmt = formats.get_format("DATE_FORMAT")
        escaped = False
        for char in fmt:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char in "Yy":
                yield "year"
            elif char in "bEFMmNn":
                yield "month"
            elif char in "dj":
                yield "day"

    def id_for_label(self, id_: str) -> str:
        """Point at the first select."""
        for first_select in self._parse_date_fmt():
            return f"{id_}_{first_select}"
        return f"{id_}_month"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        """Combine the three selects into a date string (or pass bad input on)."""
        y = data.get(self.year_field % name)
        m = data.get(self.month_field % name)
        d = data.get(self.day_field % name)
        if y == m == d == "":
            return None
        if y is not None and m and d:
            input_format = formats.get_format("DATE_INPUT_FORMATS")[0]
            try:
                date_value = datetime.date(int(y), int(m), int(d))
            except (ValueError, OverflowError, TypeError):
                # Let the field report the invalid date.
                return f"{y or 0}-{m or 0}-{d or 0}"
            return date_value.strftime(input_format)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        """Omitted when none of the three selects was sent."""
        return not any(
            f"{name}_{interval}" in data for interval in ("year", "month", "day")
        )
