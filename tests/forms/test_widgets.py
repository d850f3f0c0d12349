"""Widgets: rendered HTML and values read back from submitted data."""

from __future__ import annotations

import datetime
import warnings
from typing import Any

import pytest

from manouche import forms
from manouche.forms.widgets import FILE_INPUT_CONTRADICTION, MediaOrderConflictWarning
from manouche.test.html import parse_html
from manouche.test.utils import override_settings
from manouche.utils.datastructures import MultiValueDict


def assert_html_equal(actual: str, expected: str) -> None:
    assert parse_html(actual) == parse_html(expected), f"{actual}\n!=\n{expected}"


RENDER: list[tuple[Any, Any, str]] = [
    (forms.TextInput(), "a<b", '<input type="text" name="f" value="a&lt;b">'),
    (
        forms.TextInput(attrs={"class": "x"}),
        None,
        '<input type="text" name="f" class="x">',
    ),
    (forms.TextInput(attrs={"type": "search"}), "", '<input type="search" name="f">'),
    (forms.NumberInput(), 3, '<input type="number" name="f" value="3">'),
    (forms.EmailInput(), "a@b.c", '<input type="email" name="f" value="a@b.c">'),
    (forms.URLInput(), "http://x", '<input type="url" name="f" value="http://x">'),
    (forms.ColorInput(), "#fff", '<input type="color" name="f" value="#fff">'),
    (forms.SearchInput(), "q", '<input type="search" name="f" value="q">'),
    (forms.TelInput(), "1", '<input type="tel" name="f" value="1">'),
    (forms.PasswordInput(), "secret", '<input type="password" name="f">'),
    (
        forms.PasswordInput(render_value=True),
        "s",
        '<input type="password" name="f" value="s">',
    ),
    (forms.HiddenInput(), "h", '<input type="hidden" name="f" value="h">'),
    (
        forms.Textarea(),
        "x & y",
        '<textarea name="f" cols="40" rows="10">\nx &amp; y</textarea>',
    ),
    (
        forms.DateInput(),
        datetime.date(2024, 1, 2),
        '<input type="text" name="f" value="2024-01-02">',
    ),
    (
        forms.DateInput(format="%d/%m/%Y"),
        datetime.date(2024, 1, 2),
        '<input type="text" name="f" value="02/01/2024">',
    ),
    (
        forms.DateTimeInput(),
        datetime.datetime(2024, 1, 2, 3, 4, 5),
        '<input type="text" name="f" value="2024-01-02 03:04:05">',
    ),
    (
        forms.TimeInput(),
        datetime.time(3, 4, 5),
        '<input type="text" name="f" value="03:04:05">',
    ),
    (forms.CheckboxInput(), True, '<input type="checkbox" name="f" checked>'),
    (forms.CheckboxInput(), False, '<input type="checkbox" name="f">'),
    (
        forms.CheckboxInput(),
        "yes",
        '<input type="checkbox" name="f" value="yes" checked>',
    ),
    (forms.FileInput(), "ignored", '<input type="file" name="f">'),
    (forms.ClearableFileInput(), None, '<input type="file" name="f">'),
    (
        forms.Select(choices=[("", "---"), ("a", "A"), ("Group", [("b", "B")])]),
        "b",
        '<select name="f"><option value="">---</option><option value="a">A</option>'
        '<optgroup label="Group"><option value="b" selected>B</option></optgroup>'
        "</select>",
    ),
    (
        forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]),
        ["a", "b"],
        '<select name="f" multiple><option value="a" selected>A</option>'
        '<option value="b" selected>B</option></select>',
    ),
    (
        forms.NullBooleanSelect(),
        True,
        '<select name="f"><option value="unknown">Unknown</option>'
        '<option value="true" selected>Yes</option><option value="false">No</option>'
        "</select>",
    ),
    (
        forms.RadioSelect(choices=[("a", "A"), ("b", "B")]),
        "a",
        '<div><div><label><input type="radio" name="f" value="a" checked> A</label>'
        "</div><div>"
        '<label><input type="radio" name="f" value="b"> B</label></div></div>',
    ),
    (
        forms.CheckboxSelectMultiple(choices=[("a", "A"), ("b", "B")]),
        ["b"],
        '<div><div><label><input type="checkbox" name="f" value="a"> A</label></div>'
        '<div><label><input type="checkbox" name="f" value="b" checked> B</label>'
        "</div></div>",
    ),
    (
        forms.SplitDateTimeWidget(),
        datetime.datetime(2024, 1, 2, 3, 4),
        '<input type="text" name="f_0" value="2024-01-02">'
        '<input type="text" name="f_1" value="03:04:00">',
    ),
    (
        forms.SplitHiddenDateTimeWidget(),
        None,
        '<input type="hidden" name="f_0"><input type="hidden" name="f_1">',
    ),
    (
        forms.MultipleHiddenInput(),
        ["a", "b"],
        '<input type="hidden" name="f" value="a">'
        '<input type="hidden" name="f" value="b">',
    ),
]


@pytest.mark.parametrize(("widget", "value", "expected"), RENDER)
def test_widget_renders(widget: forms.Widget, value: Any, expected: str) -> None:
    with override_settings(USE_TZ=False):
        assert_html_equal(widget.render("f", value), expected)


def test_widget_attrs_escaped_and_boolean_attributes() -> None:
    widget = forms.TextInput(
        attrs={"title": '"><script>', "disabled": True, "x": False}
    )
    assert_html_equal(
        widget.render("f", None),
        '<input type="text" name="f" title="&quot;&gt;&lt;script&gt;" disabled>',
    )


def test_choice_ids_are_indexed() -> None:
    widget = forms.RadioSelect(choices=[("a", "A"), ("b", "B")])
    html = widget.render("f", None, attrs={"id": "id_f"})
    assert 'id="id_f_0"' in html
    assert 'id="id_f_1"' in html
    assert widget.id_for_label("id_f") == ""
    assert widget.id_for_label("id_f", "1") == "id_f_1"


def test_select_required_attribute_only_with_placeholder() -> None:
    assert forms.Select(choices=[("", "-"), ("a", "A")]).use_required_attribute(None)
    assert not forms.Select(choices=[("a", "A")]).use_required_attribute(None)
    assert not forms.CheckboxSelectMultiple().use_required_attribute(None)
    assert not forms.HiddenInput().use_required_attribute(None)
    assert not forms.FileInput().use_required_attribute("existing")


VALUE_FROM_DATA: list[tuple[Any, dict[str, list[Any]], Any]] = [
    (forms.TextInput(), {"f": ["a", "b"]}, "b"),
    (forms.CheckboxInput(), {}, False),
    (forms.CheckboxInput(), {"f": ["false"]}, False),
    (forms.CheckboxInput(), {"f": ["on"]}, True),
    (forms.SelectMultiple(), {"f": ["a", "b"]}, ["a", "b"]),
    (forms.CheckboxSelectMultiple(), {}, []),
    (forms.NullBooleanSelect(), {"f": ["true"]}, True),
    (forms.NullBooleanSelect(), {"f": ["3"]}, False),
    (forms.NullBooleanSelect(), {"f": ["x"]}, None),
    (forms.SplitDateTimeWidget(), {"f_0": ["d"], "f_1": ["t"]}, ["d", "t"]),
    (forms.MultipleHiddenInput(), {"f": ["1", "2"]}, ["1", "2"]),
]


@pytest.mark.parametrize(("widget", "data", "expected"), VALUE_FROM_DATA)
def test_value_from_datadict(
    widget: forms.Widget, data: dict[str, list[Any]], expected: Any
) -> None:
    assert widget.value_from_datadict(MultiValueDict(data), MultiValueDict(), "f") == (
        expected
    )


def test_value_omitted_from_data() -> None:
    empty = MultiValueDict()
    assert forms.TextInput().value_omitted_from_data(empty, empty, "f")
    assert not forms.CheckboxInput().value_omitted_from_data(empty, empty, "f")
    assert not forms.SelectMultiple().value_omitted_from_data(empty, empty, "f")
    assert forms.FileInput().value_omitted_from_data(empty, empty, "f")
    assert forms.SplitDateTimeWidget().value_omitted_from_data(empty, empty, "f")


def test_clearable_file_input_clear_and_contradiction() -> None:
    widget = forms.ClearableFileInput()
    files = MultiValueDict({"f": ["upload"]})
    clear = MultiValueDict({"f-clear": ["on"]})
    assert widget.value_from_datadict(clear, MultiValueDict(), "f") is False
    assert widget.value_from_datadict(clear, files, "f") is FILE_INPUT_CONTRADICTION
    widget.is_required = True
    assert widget.value_from_datadict(clear, files, "f") == "upload"


def test_clearable_file_input_renders_current_file() -> None:
    class Stored:
        url = "/media/a.txt"

        def __str__(self) -> str:
            return "a.txt"

    html = forms.ClearableFileInput().render("f", Stored())
    assert "Currently: " in html
    assert "Change:" in html
    assert '<label for="f-clear_id">Clear</label>' in html
    assert 'href="/media/a.txt"' in html
    assert 'name="f-clear"' in html


def test_file_input_multiple_requires_opt_in() -> None:
    with pytest.raises(ValueError, match="doesn't support uploading multiple"):
        forms.FileInput(attrs={"multiple": True})

    class MultipleFileInput(forms.FileInput):
        allow_multiple_selected = True

    widget = MultipleFileInput()
    assert widget.attrs == {"multiple": True}
    files = MultiValueDict({"f": ["a", "b"]})
    assert widget.value_from_datadict({}, files, "f") == ["a", "b"]


def test_select_date_widget_round_trip_and_invalid_dates() -> None:
    widget = forms.SelectDateWidget(years=[2024, 2025])
    data = MultiValueDict({"d_year": ["2024"], "d_month": ["2"], "d_day": ["29"]})
    assert widget.value_from_datadict(data, {}, "d") == "2024-02-29"
    bad = MultiValueDict({"d_year": ["2025"], "d_month": ["2"], "d_day": ["30"]})
    assert widget.value_from_datadict(bad, {}, "d") == "2025-2-30"
    empty = MultiValueDict({"d_year": [""], "d_month": [""], "d_day": [""]})
    assert widget.value_from_datadict(empty, {}, "d") is None
    html = widget.render("d", datetime.date(2024, 3, 1), attrs={"id": "id_d"})
    assert '<option value="2024" selected>2024</option>' in html
    assert '<option value="3" selected>March</option>' in html
    assert widget.id_for_label("id_d") == "id_d_month"
    field = forms.DateField(widget=forms.SelectDateWidget)
    assert field.clean(widget.value_from_datadict(data, {}, "d")) == datetime.date(
        2024, 2, 29
    )


def test_multiwidget_with_named_subwidgets() -> None:
    class PairWidget(forms.MultiWidget):
        def __init__(self) -> None:
            super().__init__({"first": forms.TextInput, "": forms.TextInput})

        def decompress(self, value: Any) -> list[Any]:
            return value.split(",") if value else [None, None]

    widget = PairWidget()
    assert_html_equal(
        widget.render("p", "a,b", attrs={"id": "id_p"}),
        '<input type="text" name="p_first" value="a" id="id_p_0">'
        '<input type="text" name="p" value="b" id="id_p_1">',
    )
    assert widget.value_from_datadict({"p_first": "x", "p": "y"}, {}, "p") == ["x", "y"]


def test_media_merging_keeps_order_and_warns_on_conflict() -> None:
    m1 = forms.Media(js=["a.js", "b.js"])
    m2 = forms.Media(js=["b.js", "c.js"])
    assert (m1 + m2)._js == ["a.js", "b.js", "c.js"]
    assert (m1 + forms.Media(js=["a.js"]))._js == ["a.js", "b.js"]
    with pytest.warns(MediaOrderConflictWarning):
        (m1 + forms.Media(js=["b.js", "a.js"]))._js  # noqa: B018
    css = forms.Media(css={"all": ["x.css"], "print": ["p.css"]})
    with override_settings(STATIC_URL="/s/"):
        assert str(css["css"]) == (
            '<link href="/s/x.css" media="all" rel="stylesheet">\n'
            '<link href="/s/p.css" media="print" rel="stylesheet">'
        )
        assert str(forms.Media(js=["https://cdn/x.js"])) == (
            '<script src="https://cdn/x.js"></script>'
        )
    with pytest.raises(KeyError):
        css["img"]


def test_media_inheritance_and_extend() -> None:
    class Base(forms.TextInput):
        class Media:
            js = ["base.js"]

    class Child(Base):
        class Media:
            js = ["child.js"]

    class Alone(Base):
        class Media:
            extend = False
            js = ["alone.js"]

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Child().media._js == ["base.js", "child.js"]  # type: ignore[attr-defined]
        assert Alone().media._js == ["alone.js"]  # type: ignore[attr-defined]
