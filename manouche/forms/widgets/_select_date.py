"""SelectDateWidget: a date entered with three select boxes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

from manouche.forms.widgets._base import Widget
from manouche.forms.widgets._choices import Select
from manouche.utils import formats
from manouche.utils.translation import gettext_lazy as _

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
