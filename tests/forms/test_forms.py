"""Forms: binding, the validation lifecycle, errors and rendering."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import ValidationError
from manouche.core.files.uploadedfile import SimpleUploadedFile
from manouche.http import HttpResponse, JsonResponse
from manouche.test import Client
from manouche.test.html import parse_html
from manouche.test.utils import override_settings
from manouche.urls import path
from manouche.utils.datastructures import MultiValueDict


def assert_html_equal(actual: str, expected: str) -> None:
    assert parse_html(actual) == parse_html(expected), f"{actual}\n!=\n{expected}"


class ContactForm(forms.Form):
    subject = forms.CharField(max_length=20, help_text="Keep it short")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(initial=1)
    cc_myself = forms.BooleanField(required=False)

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        if subject == "spam":
            raise ValidationError("No spam.", code="spam")
        return subject.upper()

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        assert data is not None
        if data.get("cc_myself") and not data.get("email"):
            raise ValidationError("Email needed to cc.", code="cc")
        return data


def test_unbound_form_is_not_valid_and_has_no_errors() -> None:
    form = ContactForm()
    assert not form.is_bound
    assert not form.is_valid()
    assert form.errors == {}
    assert repr(form).startswith("<ContactForm bound=False, valid=")


def test_valid_form_runs_field_then_clean_field_then_clean() -> None:
    form = ContactForm({"subject": " hello ", "count": "3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "subject": "HELLO",
        "email": "",
        "count": 3,
        "cc_myself": False,
    }


def test_clean_field_and_clean_errors_are_recorded() -> None:
    form = ContactForm({"subject": "spam", "count": "x", "cc_myself": "on"})
    assert not form.is_valid()
    assert form.errors["subject"] == ["No spam."]
    assert form.errors["count"] == ["Enter a whole number."]
    assert form.non_field_errors() == ["Email needed to cc."]
    assert form.has_error("subject", "spam")
    assert form.has_error("count")
    assert not form.has_error("email")
    assert form.has_error("__all__", "cc")
    assert "subject" not in form.cleaned_data


def test_errors_as_data_json_text_and_html() -> None:
    form = ContactForm({"subject": "", "count": "1"})
    form.is_valid()
    assert form.errors.as_data()["subject"][0].code == "required"
    assert json.loads(form.errors.as_json()) == {
        "subject": [{"message": "This field is required.", "code": "required"}]
    }
    assert form.errors.get_json_data() == {
        "subject": [{"message": "This field is required.", "code": "required"}]
    }
    assert form.errors.as_text() == "* subject\n  * This field is required."
    assert form.errors["subject"].as_text() == "* This field is required."
    assert_html_equal(
        form.errors.as_ul(),
        '<ul class="errorlist"><li>subject<ul class="errorlist" id="id_subject_error">'
        "<li>This field is required.</li></ul></li></ul>",
    )


def test_error_json_escapes_html_when_asked() -> None:
    form = ContactForm({"subject": "x", "count": "1"})
    form.is_valid()
    form.add_error("subject", "<b>bad</b>")
    assert form.errors.get_json_data(escape_html=True)["subject"][0]["message"] == (
        "&lt;b&gt;bad&lt;/b&gt;"
    )


def test_add_error_variants() -> None:
    form = ContactForm({"subject": "ok", "count": "1"})
    assert form.is_valid()
    form.add_error(None, "Top level")
    form.add_error(None, ValidationError({"count": "Too many", "email": ["E"]}))
    assert form.non_field_errors() == ["Top level"]
    assert form.errors["count"] == ["Too many"]
    assert "count" not in form.cleaned_data
    with pytest.raises(TypeError, match="must be `None`"):
        form.add_error("count", ValidationError({"count": "x"}))
    with pytest.raises(ValueError, match="has no field named 'nope'"):
        form.add_error("nope", "x")


def test_prefix_initial_and_changed_data() -> None:
    form = ContactForm(
        {"c-subject": "hello", "c-count": "1"},
        prefix="c",
        initial={"subject": "hello"},
    )
    assert form["subject"].html_name == "c-subject"
    assert form["subject"].auto_id == "id_c-subject"
    assert form.changed_data == []
    assert not form.has_changed()
    form = ContactForm({"c-subject": "bye", "c-count": "2"}, prefix="c")
    assert form.changed_data == ["subject", "count"]


def test_callable_initial_and_microseconds_dropped_for_inputs() -> None:
    class WhenForm(forms.Form):
        at = forms.DateTimeField(
            initial=lambda: datetime.datetime(2024, 1, 1, 1, 2, 3, 4)
        )

    form = WhenForm()
    assert form["at"].initial == datetime.datetime(2024, 1, 1, 1, 2, 3)


def test_disabled_fields_ignore_submitted_data() -> None:
    class F(forms.Form):
        name = forms.CharField(disabled=True, initial="fixed")

    form = F({"name": "hacked"})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "fixed"
    assert form.changed_data == []
    assert "disabled" in str(form["name"])


def test_empty_permitted_skips_validation_of_unchanged_forms() -> None:
    form = ContactForm(
        {"count": "1"}, empty_permitted=True, use_required_attribute=False
    )
    assert form.is_valid()
    with pytest.raises(ValueError, match="empty_permitted and use_required_attribute"):
        ContactForm({}, empty_permitted=True)


def test_field_order_and_removing_inherited_fields() -> None:
    class Child(ContactForm):
        cc_myself = None  # type: ignore[assignment]
        extra = forms.CharField()

    form = Child(field_order=["extra", "count"])
    assert list(form.fields) == ["extra", "count", "subject", "email"]
    with pytest.raises(KeyError, match="Key 'cc_myself' not found in 'Child'"):
        form["cc_myself"]


def test_fields_are_deep_copied_per_instance() -> None:
    first, second = ContactForm(), ContactForm()
    first.fields["subject"].widget.attrs["class"] = "x"
    assert "class" not in second.fields["subject"].widget.attrs
    assert "class" not in ContactForm.base_fields["subject"].widget.attrs


def test_default_rendering_is_div_with_help_text_described_by() -> None:
    class F(forms.Form):
        name = forms.CharField(max_length=5, help_text="Your name")
        secret = forms.CharField(widget=forms.HiddenInput, required=False)

    assert_html_equal(
        str(F()),
        '<div><label for="id_name">Name:</label>'
        '<div class="helptext" id="id_name_helptext">Your name</div>'
        '<input type="text" name="name" maxlength="5" required '
        'aria-describedby="id_name_helptext" id="id_name">'
        '<input type="hidden" name="secret" id="id_secret"></div>',
    )


def test_bound_invalid_rendering_marks_aria_invalid_and_errors() -> None:
    class F(forms.Form):
        name = forms.CharField()

    form = F({"name": ""})
    assert_html_equal(
        form.as_div(),
        '<div><label for="id_name">Name:</label>'
        '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>'
        '<input type="text" name="name" required aria-invalid="true" id="id_name">'
        "</div>",
    )


def test_as_p_as_table_as_ul() -> None:
    class F(forms.Form):
        name = forms.CharField(help_text="h")

    form = F(auto_id=False)
    assert_html_equal(
        form.as_p(),
        '<p>Name: <input type="text" name="name" required> '
        '<span class="helptext">h</span></p>',
    )
    assert_html_equal(
        form.as_table(),
        '<tr><th>Name:</th><td><input type="text" name="name" required>'
        '<br><span class="helptext">h</span></td></tr>',
    )
    assert_html_equal(
        form.as_ul(),
        '<li>Name: <input type="text" name="name" required> '
        '<span class="helptext">h</span></li>',
    )


def test_hidden_field_errors_become_top_errors() -> None:
    class F(forms.Form):
        token = forms.CharField(widget=forms.HiddenInput)
        name = forms.CharField(required=False)

    html = F({"name": "x"}).as_div()
    assert "(Hidden field token) This field is required." in html


def test_label_tag_legend_tag_and_css_classes() -> None:
    class F(forms.Form):
        required_css_class = "req"
        error_css_class = "err"
        name = forms.CharField(label="Your name?")
        color = forms.ChoiceField(choices=[("r", "Red")], widget=forms.RadioSelect)

    form = F({})
    assert_html_equal(
        form["name"].label_tag(), '<label for="id_name" class="req">Your name?</label>'
    )
    assert_html_equal(
        form["name"].label_tag(attrs={"class": "x"}, label_suffix="!"),
        '<label for="id_name" class="x req">Your name?</label>',
    )
    assert_html_equal(form["color"].legend_tag(), '<legend class="req">Color:</legend>')
    assert form["name"].css_classes() == "err req"
    assert form["color"].id_for_label == ""
    assert form["name"].id_for_label == "id_name"
    assert form["color"].use_fieldset
    assert form["name"].widget_type == "text"


def test_auto_id_false_and_custom_pattern() -> None:
    assert ContactForm(auto_id=False)["subject"].auto_id == ""
    assert ContactForm(auto_id="f_%s")["subject"].auto_id == "f_subject"
    assert ContactForm(auto_id=True)["subject"].auto_id == "subject"


def test_use_required_attribute_false() -> None:
    form = ContactForm(use_required_attribute=False)
    assert "required" not in str(form["subject"])


def test_visible_hidden_fields_and_bound_field_iteration() -> None:
    class F(forms.Form):
        a = forms.CharField()
        b = forms.CharField(widget=forms.HiddenInput)
        c = forms.MultipleChoiceField(
            choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
        )

    form = F(initial={"c": ["y"]})
    assert [bf.name for bf in form.visible_fields()] == ["a", "c"]
    assert [bf.name for bf in form.hidden_fields()] == ["b"]
    options = list(form["c"])
    assert len(form["c"]) == 2
    assert [o.choice_label for o in options] == ["X", "Y"]
    assert options[1].id_for_label == "id_c_1"
    assert_html_equal(
        str(options[1]),
        '<label for="id_c_1"><input type="checkbox" name="c" value="y" '
        'id="id_c_1" checked> Y</label>',
    )
    assert_html_equal(
        options[0].tag(),
        '<input type="checkbox" name="c" value="x" id="id_c_0">',
    )
    with pytest.raises(TypeError, match="must be integers or slices"):
        form["c"]["x"]


def test_template_access_to_fields() -> None:
    from manouche.template import Context, Engine

    form = ContactForm({"subject": "", "count": "1"})
    rendered = (
        Engine()
        .from_string(
            "{% for field in form.visible_fields %}{{ field.auto_id }}|"
            "{{ field.id_for_label }}|{{ field.errors|length }};{% endfor %}"
            "{{ form.subject.label_tag }}"
        )
        .render(Context({"form": form}))
    )
    assert rendered.startswith("id_subject|id_subject|1;id_email|id_email|0;")
    assert '<label for="id_subject">Subject:</label>' in rendered


def test_as_hidden_and_show_hidden_initial() -> None:
    class F(forms.Form):
        name = forms.CharField(initial="a", show_hidden_initial=True)

    form = F()
    assert_html_equal(
        str(form["name"]),
        '<input type="text" name="name" value="a" required id="id_name">'
        '<input type="hidden" name="initial-name" value="a" id="initial-id_name">',
    )
    bound = F({"name": "b", "initial-name": "a"})
    assert bound.changed_data == ["name"]
    assert F({"name": "a", "initial-name": "a"}).changed_data == []


def test_form_media_collects_widget_media() -> None:
    class FancyWidget(forms.TextInput):
        class Media:
            css = {"all": ["fancy.css"]}
            js = ["fancy.js"]

    class F(forms.Form):
        a = forms.CharField(widget=FancyWidget)
        b = forms.CharField(widget=FancyWidget)

    with override_settings(STATIC_URL="/static/"):
        assert_html_equal(
            str(F().media),
            '<link href="/static/fancy.css" media="all" rel="stylesheet">'
            '<script src="/static/fancy.js"></script>',
        )


def test_is_multipart() -> None:
    class F(forms.Form):
        f = forms.FileField()

    assert F().is_multipart()
    assert not ContactForm().is_multipart()


def test_hostile_form_data_gives_errors_not_exceptions() -> None:
    class F(forms.Form):
        n = forms.IntegerField()
        j = forms.JSONField()
        c = forms.MultipleChoiceField(choices=[("a", "A")])
        d = forms.DateField(widget=forms.SelectDateWidget)

    data = MultiValueDict(
        {
            "n": ["9" * 50_000],
            "j": ["[" * 10_000],
            "c": ["a", "\udcff"],
            "d_year": ["9" * 5000],
            "d_month": ["1"],
            "d_day": ["1"],
        }
    )
    form = F(data)
    assert not form.is_valid()
    assert set(form.errors) == {"n", "j", "c", "d"}
    str(form)  # rendering invalid data must not fail


# -- uploads through the test client -------------------------------------------


class UploadForm(forms.Form):
    title = forms.CharField()
    attachment = forms.FileField()


def upload_view(request: Any) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    upload = form.cleaned_data["attachment"]
    return JsonResponse(
        {
            "title": form.cleaned_data["title"],
            "name": upload.name,
            "content": upload.read().decode(),
        }
    )


urlpatterns = [path("upload/", upload_view)]


@pytest.fixture
def _urls() -> Iterator[None]:
    with override_settings(ROOT_URLCONF=__name__):
        yield


@pytest.mark.usefixtures("_urls")
def test_file_upload_through_the_client_into_a_form() -> None:
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = Client().post("/upload/", {"title": "t", "attachment": upload})
    assert response.status_code == 200
    assert response.json() == {"title": "t", "name": "notes.txt", "content": "hello"}


@pytest.mark.usefixtures("_urls")
def test_uploaded_client_file_name_is_never_trusted() -> None:
    upload = SimpleUploadedFile("../../etc/passwd", b"x", content_type="text/plain")
    response = Client().post("/upload/", {"title": "t", "attachment": upload})
    assert response.status_code == 200
    name = response.json()["name"]
    assert "/" not in name
    assert ".." not in name
    assert name.endswith("passwd")


@pytest.mark.usefixtures("_urls")
def test_missing_upload_is_a_form_error() -> None:
    response = Client().post("/upload/", {"title": "t"})
    assert response.status_code == 400
    assert response.json()["errors"]["attachment"][0]["code"] == "required"
