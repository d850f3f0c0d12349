"""Widgets that offer choices: selects, radio buttons and checkbox lists."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from manouche.forms.widgets._base import Widget
from manouche.utils.translation import gettext_lazy as _


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
        from manouche.utils.choices import normalize_choices

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
