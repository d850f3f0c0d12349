"""File upload widgets, including the clear-checkbox variant."""

from __future__ import annotations

from typing import Any

from manouche.forms.widgets._base import Input
from manouche.forms.widgets._inputs import CheckboxInput
from manouche.utils.translation import gettext_lazy as _


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
