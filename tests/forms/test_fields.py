"""Form fields: clean() on good, bad and hostile input, table-driven per field."""

from __future__ import annotations

import datetime
import decimal
import json
import time
import uuid
from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import ImproperlyConfigured, ValidationError
from manouche.core.files.uploadedfile import SimpleUploadedFile
from manouche.test.utils import override_settings

CLEAN_OK: list[tuple[Any, Any, Any]] = [
    (forms.CharField(), "  hi  ", "hi"),
    (forms.CharField(strip=False), "  hi  ", "  hi  "),
    (forms.CharField(required=False), "", ""),
    (forms.CharField(required=False, empty_value=None), "", None),
    (forms.IntegerField(), "42", 42),
    (forms.IntegerField(), "42.000", 42),
    (forms.IntegerField(required=False), "", None),
    (forms.FloatField(), "1.5", 1.5),
    (
        forms.DecimalField(max_digits=5, decimal_places=2),
        "12.34",
        decimal.Decimal("12.34"),
    ),
    (forms.BooleanField(), "on", True),
    (forms.BooleanField(required=False), "false", False),
    (forms.NullBooleanField(), "unknown", None),
    (forms.NullBooleanField(), "true", True),
    (forms.EmailField(), " a@example.com ", "a@example.com"),
    (forms.URLField(), "example.com", "http://example.com"),
    (forms.URLField(assume_scheme="https"), "example.com/x", "https://example.com/x"),
    (forms.SlugField(), "a-slug_1", "a-slug_1"),
    (forms.SlugField(allow_unicode=True), "café", "café"),
    (forms.RegexField(r"^\d{3}$"), "123", "123"),
    (forms.DateField(), "2024-02-29", datetime.date(2024, 2, 29)),
    (
        forms.DateField(input_formats=["%d/%m/%Y"]),
        "01/02/2024",
        datetime.date(2024, 2, 1),
    ),
    (forms.TimeField(), "13:45", datetime.time(13, 45)),
    (forms.DurationField(), "1 02:03:04", datetime.timedelta(days=1, seconds=7384)),
    (
        forms.UUIDField(),
        "12345678123456781234567812345678",
        uuid.UUID(int=0x12345678123456781234567812345678),
    ),
    (forms.JSONField(), '{"a": [1, 2]}', {"a": [1, 2]}),
    (forms.JSONField(), '"text"', "text"),
    (forms.GenericIPAddressField(), "2001:0db8::0001", "2001:db8::1"),
    (forms.GenericIPAddressField(unpack_ipv4=True), "::ffff:10.0.0.1", "10.0.0.1"),
    (forms.GenericIPAddressField(protocol="ipv4"), "192.168.0.1", "192.168.0.1"),
    (forms.ChoiceField(choices=[("a", "A"), ("G", [("b", "B")])]), "b", "b"),
    (forms.ChoiceField(choices={"a": "A", "b": "B"}), "a", "a"),
    (forms.TypedChoiceField(choices=[(1, "one")], coerce=int), "1", 1),
    (
        forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")]),
        ["a", "b"],
        ["a", "b"],
    ),
    (
        forms.TypedMultipleChoiceField(choices=[(1, "1"), (2, "2")], coerce=int),
        ["1", "2"],
        [1, 2],
    ),
    (
        forms.ComboField(fields=[forms.CharField(max_length=20), forms.EmailField()]),
        "a@b.co",
        "a@b.co",
    ),
    (forms.SplitDateTimeField(), ["2024-01-02", "03:04"], None),
]


@pytest.mark.parametrize(("field", "value", "expected"), CLEAN_OK)
def test_clean_accepts_valid_input(
    field: forms.Field, value: Any, expected: Any
) -> None:
    cleaned = field.clean(value)
    if isinstance(field, forms.SplitDateTimeField):
        assert cleaned.replace(tzinfo=None) == datetime.datetime(2024, 1, 2, 3, 4)
        assert cleaned.tzinfo is not None
    else:
        assert cleaned == expected


CLEAN_ERRORS: list[tuple[Any, Any, str]] = [
    (forms.CharField(), "", "This field is required."),
    (
        forms.CharField(max_length=3),
        "abcd",
        "Ensure this value has at most 3 characters (it has 4).",
    ),
    (
        forms.CharField(min_length=3),
        "ab",
        "Ensure this value has at least 3 characters (it has 2).",
    ),
    (forms.CharField(), "a\x00b", "Null characters are not allowed."),
    (forms.IntegerField(), "1.5", "Enter a whole number."),
    (forms.IntegerField(), "abc", "Enter a whole number."),
    (
        forms.IntegerField(max_value=10),
        "11",
        "Ensure this value is less than or equal to 10.",
    ),
    (
        forms.IntegerField(min_value=1),
        "0",
        "Ensure this value is greater than or equal to 1.",
    ),
    (
        forms.IntegerField(step_size=5),
        "7",
        "Ensure this value is a multiple of step size 5.",
    ),
    (forms.FloatField(), "inf", "Enter a number."),
    (forms.FloatField(), "nan", "Enter a number."),
    (forms.FloatField(), "1e999", "Enter a number."),
    (forms.DecimalField(), "NaN", "Enter a number."),
    (forms.DecimalField(), "x", "Enter a number."),
    (
        forms.DecimalField(max_digits=3, decimal_places=1),
        "123.4",
        "Ensure that there are no more than 3 digits in total.",
    ),
    (forms.BooleanField(), "", "This field is required."),
    (forms.EmailField(), "not-an-email", "Enter a valid email address."),
    (forms.URLField(), "http://", "Enter a valid URL."),
    (forms.URLField(), "http://[::1", "Enter a valid URL."),
    (
        forms.SlugField(),
        "no spaces",
        "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
    ),
    (forms.RegexField(r"^\d{3}$"), "12a", "Enter a valid value."),
    (forms.DateField(), "2024-02-30", "Enter a valid date."),
    (forms.TimeField(), "25:00", "Enter a valid time."),
    (forms.DateTimeField(), "yesterday", "Enter a valid date/time."),
    (forms.DurationField(), "nope", "Enter a valid duration."),
    (forms.UUIDField(), "123", "Enter a valid UUID."),
    (forms.JSONField(), "{bad", "Enter a valid JSON."),
    (forms.JSONField(), "NaN", "Enter a valid JSON."),
    (forms.JSONField(), "[1e999]", "Enter a valid JSON."),
    (forms.JSONField(), '"\\ud800"', "Enter a valid JSON."),
    (forms.GenericIPAddressField(), "256.1.1.1", "Enter a valid IPv4 or IPv6 address."),
    (forms.GenericIPAddressField(), "1::2::3", "This is not a valid IPv6 address."),
    (
        forms.ChoiceField(choices=[("a", "A")]),
        "z",
        "Select a valid choice. z is not one of the available choices.",
    ),
    (
        forms.TypedChoiceField(choices=[("x", "x")], coerce=int),
        "x",
        "Select a valid choice. x is not one of the available choices.",
    ),
    (forms.MultipleChoiceField(choices=[("a", "A")]), "a", "Enter a list of values."),
    (
        forms.MultipleChoiceField(choices=[("a", "A")]),
        ["a", "q"],
        "Select a valid choice. q is not one of the available choices.",
    ),
    (
        forms.ComboField(fields=[forms.CharField(max_length=5), forms.EmailField()]),
        "ab@cd.ef",
        "Ensure this value has at most 5 characters (it has 8).",
    ),
    (
        forms.SplitDateTimeField(required=False),
        ["2024-01-02", ""],
        "Enter a valid time.",
    ),
    (forms.SplitDateTimeField(), ["2024-01-02", ""], "This field is required."),
    (forms.SplitDateTimeField(), "flat", "Enter a list of values."),
]


@pytest.mark.parametrize(("field", "value", "message"), CLEAN_ERRORS)
def test_clean_refuses_invalid_input_with_message(
    field: forms.Field, value: Any, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        field.clean(value)
    assert message in info.value.messages


HOSTILE: list[tuple[Any, Any]] = [
    (forms.IntegerField(), "9" * 100_000),
    (forms.FloatField(), "1" * 100_000),
    (forms.DecimalField(), "1" * 100_000),
    (forms.JSONField(), "[" * 100_000 + "]" * 100_000),
    (forms.JSONField(), '{"a":' * 200 + "1" + "}" * 200),
    (forms.JSONField(), "1" * 10_000),
    (forms.DurationField(), "9" * 100_000),
    (forms.DateField(), "2024-01-01" * 10_000),
    (forms.DateTimeField(), "2" * 100_000),
    (forms.UUIDField(), "a" * 100_000),
    (forms.GenericIPAddressField(), ":" * 100_000),
    (forms.EmailField(), "a" * 100_000 + "@example.com"),
    (forms.URLField(), "http://" + "a." * 50_000),
    (forms.SplitDateTimeField(), ["9" * 10_000, "9" * 10_000]),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE)
def test_hostile_input_is_a_validation_error_in_bounded_time(
    field: forms.Field, value: Any
) -> None:
    start = time.perf_counter()
    with pytest.raises(ValidationError):
        field.clean(value)
    assert time.perf_counter() - start < 2


def test_json_nesting_up_to_the_limit_is_accepted_and_beyond_refused() -> None:
    field = forms.JSONField()
    assert field.clean("[" * 128 + "]" * 128) is not None
    with pytest.raises(ValidationError, match="Enter a valid JSON"):
        field.clean("[" * 129 + "]" * 129)
    # Brackets inside strings do not count toward the depth.
    assert field.clean(json.dumps(["[" * 500])) == ["[" * 500]


def test_json_field_redisplays_invalid_input_and_prepares_values() -> None:
    field = forms.JSONField()
    assert field.bound_data("{oops", None) == "{oops"
    assert field.prepare_value({"é": 1}) == '{"é": 1}'
    assert field.has_changed({"a": 1}, '{"a": 1}') is False
    assert field.has_changed({"a": 1}, '{"a": 2}') is True


def test_choices_accept_callables_and_are_evaluated_lazily() -> None:
    calls = []

    def choices() -> list[tuple[str, str]]:
        calls.append(1)
        return [("x", "X")]

    field = forms.ChoiceField(choices=choices)
    assert calls == []
    assert field.clean("x") == "x"
    assert list(field.widget.choices) == [("x", "X")]


def test_widget_attrs_from_field_options() -> None:
    assert forms.CharField(max_length=5, min_length=2).widget.attrs == {
        "maxlength": "5",
        "minlength": "2",
    }
    assert forms.IntegerField(min_value=1, max_value=9).widget.attrs == {
        "min": 1,
        "max": 9,
    }
    assert forms.FloatField().widget.attrs == {"step": "any"}
    assert forms.DecimalField(decimal_places=2).widget.attrs == {"step": "0.01"}
    assert forms.CharField(max_length=5, widget=forms.HiddenInput).widget.attrs == {}


def test_localized_fields_use_text_inputs_and_separators() -> None:
    field = forms.IntegerField(localize=True)
    assert isinstance(field.widget, forms.TextInput)
    assert field.widget.is_localized


def test_has_changed_per_field() -> None:
    assert forms.CharField().has_changed("a", "a") is False
    assert forms.CharField().has_changed("a", "b") is True
    assert forms.CharField().has_changed(None, "") is False
    assert forms.IntegerField().has_changed(1, "x") is True
    assert forms.BooleanField().has_changed(False, "") is False
    assert forms.MultipleChoiceField().has_changed(["a"], ["a"]) is False
    assert forms.MultipleChoiceField().has_changed(["a"], ["b"]) is True
    assert forms.CharField(disabled=True).has_changed("a", "b") is False
    assert forms.SplitDateTimeField().has_changed(None, ["", ""]) is False


def test_custom_error_messages_and_validators() -> None:
    def no_bob(value: str) -> None:
        if value == "bob":
            raise ValidationError("No Bob.", code="bob")

    field = forms.CharField(
        validators=[no_bob], error_messages={"required": "Need it!", "bob": "Nope."}
    )
    with pytest.raises(ValidationError, match="Need it!"):
        field.clean("")
    with pytest.raises(ValidationError) as info:
        field.clean("bob")
    assert info.value.messages == ["Nope."]


def test_datetime_field_is_aware_with_use_tz_and_naive_without() -> None:
    field = forms.DateTimeField()
    with override_settings(USE_TZ=True, TIME_ZONE="UTC"):
        value = field.clean("2024-01-02 03:04:05")
        assert value.tzinfo is not None
        assert field.clean(
            "2024-01-02T03:04:05+02:00"
        ).utcoffset() == datetime.timedelta(hours=2)
    with override_settings(USE_TZ=False):
        assert field.clean("2024-01-02 03:04") == datetime.datetime(2024, 1, 2, 3, 4)


def test_datetime_field_refuses_a_nonexistent_local_time() -> None:
    with (
        override_settings(USE_TZ=True, TIME_ZONE="Europe/Paris"),
        pytest.raises(ValidationError) as info,
    ):
        forms.DateTimeField().clean("2024-03-31 02:30")
    assert info.value.error_list[0].code == "ambiguous_timezone"


def test_multi_value_field_not_requiring_all_fields_reports_incomplete() -> None:
    class PhoneField(forms.MultiValueField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(
                fields=(forms.CharField(), forms.CharField(required=False)),
                require_all_fields=False,
                **kwargs,
            )

        def compress(self, data_list: list[Any]) -> Any:
            return "-".join(data_list)

    field = PhoneField(widget=forms.MultiWidget([forms.TextInput, forms.TextInput]))
    assert field.clean(["12", ""]) == "12-"
    with pytest.raises(ValidationError, match="Enter a complete value."):
        field.clean(["", "34"])


def test_file_field_lifecycle() -> None:
    field = forms.FileField()
    upload = SimpleUploadedFile("a.txt", b"data")
    assert field.clean(upload) is upload
    with pytest.raises(ValidationError, match="The submitted file is empty."):
        field.clean(SimpleUploadedFile("a.txt", b""))
    with pytest.raises(ValidationError, match="No file was submitted. Check"):
        field.clean("just a string")
    with pytest.raises(ValidationError, match="This field is required."):
        field.clean(None)
    assert field.clean(None, initial="existing.txt") == "existing.txt"
    with pytest.raises(ValidationError, match="at most 3 characters"):
        forms.FileField(max_length=3).clean(upload)
    assert forms.FileField(required=False).clean(False) is False
    assert (
        forms.FileField(allow_empty_file=True)
        .clean(SimpleUploadedFile("e.txt", b""))
        .name
        == "e.txt"
    )


def test_file_field_contradiction_is_a_validation_error() -> None:
    from manouche.forms.widgets import FILE_INPUT_CONTRADICTION

    with pytest.raises(ValidationError, match="either submit a file or check"):
        forms.FileField(required=False).clean(FILE_INPUT_CONTRADICTION)


def test_image_field_without_pillow_names_the_fix() -> None:
    try:
        import PIL  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match="needs Pillow"):
            forms.ImageField()
    else:
        field = forms.ImageField()
        assert field.widget.attrs["accept"] == "image/*"
        with pytest.raises(ValidationError, match="Upload a valid image"):
            field.clean(SimpleUploadedFile("x.png", b"not an image"))


def test_file_path_field_lists_matching_files(tmp_path: Any) -> None:
    (tmp_path / "a.py").write_text("")
    (tmp_path / "b.txt").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.py").write_text("")
    field = forms.FilePathField(path=str(tmp_path), match=r"\.py$")
    assert [label for _, label in field.choices] == ["a.py"]
    recursive = forms.FilePathField(path=str(tmp_path), match=r"\.py$", recursive=True)
    assert sorted(label for _, label in recursive.choices) == ["/a.py", "/sub/c.py"]
    folders = forms.FilePathField(
        path=str(tmp_path), allow_files=False, allow_folders=True, required=False
    )
    assert [label for _, label in folders.choices] == ["---------", "sub"]
    assert field.clean(str(tmp_path / "a.py")) == str(tmp_path / "a.py")


def test_generic_ip_address_field_rejects_bad_protocol_options() -> None:
    with pytest.raises(ValueError, match="unpack_ipv4"):
        forms.GenericIPAddressField(protocol="ipv4", unpack_ipv4=True)
    with pytest.raises(ValueError, match="unknown"):
        forms.GenericIPAddressField(protocol="ipx")


def test_fields_deepcopy_independently() -> None:
    import copy

    field = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select(attrs={"x": 1}))
    clone = copy.deepcopy(field)
    clone.widget.attrs["x"] = 2
    clone.choices = [("b", "B")]
    assert field.widget.attrs["x"] == 1
    assert field.choices == [("a", "A")]
