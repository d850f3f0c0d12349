"""MultiWidget and the split date/time widgets built on it."""

from __future__ import annotations

import copy
from typing import Any

from manouche.forms._media import Media
from manouche.forms.utils import to_current_timezone
from manouche.forms.widgets._base import Widget
from manouche.forms.widgets._inputs import DateInput, TimeInput


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
