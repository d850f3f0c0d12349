"""Formsets: management form, counts, deletion, ordering, tampering."""

from __future__ import annotations

from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import ValidationError
from manouche.test.html import parse_html


class ItemForm(forms.Form):
    name = forms.CharField()
    qty = forms.IntegerField(required=False)


def data(total: Any, initial: Any = 0, **values: str) -> dict[str, Any]:
    result = {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": str(initial)}
    for key, value in values.items():
        index, _, field = key.removeprefix("form").partition("_")
        result[f"form-{index}-{field}"] = value
    return result


def test_unbound_formset_builds_extra_and_initial_forms() -> None:
    formset_class = forms.formset_factory(ItemForm, extra=2)
    formset = formset_class(initial=[{"name": "a"}])
    assert len(formset) == 3
    assert formset.initial_form_count() == 1
    assert formset.forms[0]["name"].value() == "a"
    assert formset.forms[1].prefix == "form-1"
    assert not formset.is_valid()
    html = str(formset.management_form)
    assert 'name="form-TOTAL_FORMS" value="3"' in html
    assert 'name="form-INITIAL_FORMS" value="1"' in html
    assert 'name="form-MAX_NUM_FORMS" value="1000"' in html
    assert "required" not in str(formset.forms[0]["name"])


def test_valid_formset_skips_empty_extra_forms() -> None:
    formset = forms.formset_factory(ItemForm, extra=2)(
        data(2, form0_name="a", form0_qty="1")
    )
    assert formset.is_valid(), formset.errors
    assert formset.cleaned_data == [{"name": "a", "qty": 1}, {}]
    assert formset.total_error_count() == 0
    assert formset.has_changed()


def test_form_errors_are_listed_per_form() -> None:
    formset = forms.formset_factory(ItemForm)(data(2, form0_name="", form0_qty="x"))
    assert not formset.is_valid()
    assert formset.errors == [
        {"name": ["This field is required."], "qty": ["Enter a whole number."]},
        {},
    ]
    assert formset.total_error_count() == 2
    with pytest.raises(AttributeError, match="cleaned_data"):
        formset.cleaned_data  # noqa: B018


@pytest.mark.parametrize(
    ("payload", "missing"),
    [
        ({}, "form-TOTAL_FORMS, form-INITIAL_FORMS"),
        ({"form-TOTAL_FORMS": "x", "form-INITIAL_FORMS": "0"}, "form-TOTAL_FORMS"),
        ({"form-TOTAL_FORMS": "-3", "form-INITIAL_FORMS": "0"}, "form-TOTAL_FORMS"),
        ({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "-1"}, "form-INITIAL_FORMS"),
        (
            {"form-TOTAL_FORMS": "9" * 10_000, "form-INITIAL_FORMS": "0"},
            "form-TOTAL_FORMS",
        ),
    ],
)
def test_tampered_management_form_is_a_formset_error(
    payload: dict[str, str], missing: str
) -> None:
    formset = forms.formset_factory(ItemForm)(payload)
    assert not formset.is_valid()
    assert formset.non_form_errors() == [
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        f"{missing}. You may need to file a bug report if the issue persists."
    ]
    assert formset.non_form_errors().as_data()[0].code == "missing_management_form"
    assert len(formset.forms) <= 1
    str(formset)  # renders, never raises


def test_huge_total_forms_is_capped_at_absolute_max() -> None:
    formset_class = forms.formset_factory(ItemForm, max_num=5, absolute_max=10)
    formset = formset_class(data(10**12))
    assert len(formset.forms) == 10
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Please submit at most 5 forms."]


def test_initial_forms_above_total_are_capped() -> None:
    formset = forms.formset_factory(ItemForm)(data(1, initial=500, form0_name="a"))
    assert formset.initial_form_count() == 1
    assert formset.is_valid()


def test_absolute_max_must_not_be_below_max_num() -> None:
    with pytest.raises(ValueError, match="'absolute_max' must be greater"):
        forms.formset_factory(ItemForm, max_num=10, absolute_max=5)


def test_min_and_max_validation() -> None:
    formset_class = forms.formset_factory(
        ItemForm, extra=0, min_num=2, validate_min=True, max_num=2, validate_max=True
    )
    formset = formset_class(data(1, form0_name="a"))
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Please submit at least 2 forms."]
    formset = formset_class(data(3, form0_name="a", form1_name="b", form2_name="c"))
    assert formset.non_form_errors() == ["Please submit at most 2 forms."]
    assert formset_class().total_form_count() == 2


def test_can_delete_and_can_order() -> None:
    formset_class = forms.formset_factory(
        ItemForm, extra=0, can_delete=True, can_order=True
    )
    formset = formset_class(
        data(
            3,
            initial=3,
            form0_name="a",
            form0_ORDER="2",
            form1_name="",
            form1_DELETE="on",
            form2_name="c",
            form2_ORDER="1",
        )
    )
    assert formset.is_valid(), formset.errors
    assert [f.cleaned_data["name"] for f in formset.ordered_forms] == ["c", "a"]
    assert [f.prefix for f in formset.deleted_forms] == ["form-1"]
    unbound = formset_class(initial=[{"name": "a"}])
    assert unbound.forms[0].fields["ORDER"].initial == 1
    assert "DELETE" in unbound.forms[0].fields


def test_can_delete_extra_false_omits_delete_on_extra_forms() -> None:
    formset = forms.formset_factory(
        ItemForm, extra=1, can_delete=True, can_delete_extra=False
    )(initial=[{"name": "a"}])
    assert "DELETE" in formset.forms[0].fields
    assert "DELETE" not in formset.forms[1].fields


def test_formset_clean_errors_become_non_form_errors() -> None:
    class Base(forms.BaseFormSet):
        def clean(self) -> None:
            names = [f.cleaned_data.get("name") for f in self.forms]
            if len(set(names)) != len(names):
                raise ValidationError("Names must differ.", code="dup")

    formset = forms.formset_factory(ItemForm, formset=Base, extra=0)(
        data(2, form0_name="a", form1_name="a")
    )
    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Names must differ."]
    assert 'class="errorlist nonform"' in str(formset.non_form_errors())


def test_empty_form_and_custom_prefix_and_form_kwargs() -> None:
    class KwForm(ItemForm):
        def __init__(self, *args: Any, user: str = "", **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.user = user

    formset = forms.formset_factory(KwForm)(prefix="items", form_kwargs={"user": "u"})
    assert formset.empty_form.prefix == "items-__prefix__"
    assert formset.empty_form.user == "u"
    assert formset.forms[0].user == "u"
    assert 'name="items-TOTAL_FORMS"' in str(formset.management_form)


def test_formset_rendering() -> None:
    formset = forms.formset_factory(ItemForm, extra=1)(auto_id=False)
    expected = (
        '<input type="hidden" name="form-TOTAL_FORMS" value="1">'
        '<input type="hidden" name="form-INITIAL_FORMS" value="0">'
        '<input type="hidden" name="form-MIN_NUM_FORMS" value="0">'
        '<input type="hidden" name="form-MAX_NUM_FORMS" value="1000">'
        '<div>Name: <input type="text" name="form-0-name"></div>'
        '<div>Qty: <input type="number" name="form-0-qty"></div>'
    )
    assert parse_html(str(formset)) == parse_html(expected)
    assert "<tr>" in formset.as_table()
    assert "<p>" in formset.as_p()
    assert "<li>" in formset.as_ul()
    assert not formset.is_multipart()
    assert str(formset.media) == ""


def test_all_valid_validates_every_formset() -> None:
    formset_class = forms.formset_factory(ItemForm)
    bad = formset_class(data(1, form0_name="", form0_qty="x"))
    good = formset_class(data(1, form0_name="x"))
    assert not forms.all_valid([bad, good])
    assert good._errors is not None
