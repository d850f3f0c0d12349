"""assertFormError, assertFormSetError and assertFieldOutput of SimpleTestCase."""

# The point here is SimpleTestCase itself, so these tests are unittest-style.
# ruff: noqa: PT009, PT027

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import ValidationError
from manouche.forms import CharField, EmailField, Form, IntegerField, formset_factory
from manouche.test import SimpleTestCase


class PersonForm(Form):
    name = CharField(max_length=5)
    age = IntegerField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("name") == "bob":
            raise ValidationError("No bob.")
        return cleaned


PersonFormSet = formset_factory(PersonForm, max_num=2, validate_max=True)


def formset_data(*names: str) -> dict[str, str]:
    data = {"form-TOTAL_FORMS": str(len(names)), "form-INITIAL_FORMS": "0"}
    for index, name in enumerate(names):
        data[f"form-{index}-name"] = name
    return data


class AssertFormErrorTests(SimpleTestCase):
    def test_field_errors_match(self) -> None:
        form = PersonForm({"name": "toolong", "age": "x"})
        self.assertFormError(
            form, "name", ["Ensure this value has at most 5 characters (it has 7)."]
        )
        self.assertFormError(form, "age", "Enter a whole number.")

    def test_unvalidated_bound_form_is_validated(self) -> None:
        form = PersonForm({"name": ""})
        self.assertFormError(form, "name", "This field is required.")

    def test_no_errors_expected(self) -> None:
        form = PersonForm({"name": "ann"})
        self.assertFormError(form, "name", [])
        self.assertFormError(form, None, [])

    def test_non_field_errors(self) -> None:
        self.assertFormError(PersonForm({"name": "bob"}), None, "No bob.")

    def test_mismatch_names_field_form_and_errors(self) -> None:
        form = PersonForm({"name": "toolong"})
        self.assertFalse(form.is_valid())
        with self.assertRaises(AssertionError) as context:
            self.assertFormError(form, "name", "Wrong.")
        message = str(context.exception)
        self.assertIn(
            f"The errors of field 'name' on form {form!r} don't match.", message
        )
        self.assertIn("Ensure this value has at most 5 characters", message)
        self.assertIn("Wrong.", message)

    def test_non_field_mismatch(self) -> None:
        form = PersonForm({"name": "bob"})
        self.assertFalse(form.is_valid())
        with self.assertRaisesMessage(
            AssertionError, f"The non-field errors of form {form!r} don't match."
        ):
            self.assertFormError(form, None, "Other.")

    def test_missing_field(self) -> None:
        form = PersonForm({"name": "ann"})
        self.assertTrue(form.is_valid())
        with self.assertRaisesMessage(
            AssertionError, f"The form {form!r} does not contain the field 'nope'."
        ):
            self.assertFormError(form, "nope", [])

    def test_unbound_form(self) -> None:
        form = PersonForm()
        with self.assertRaisesMessage(
            AssertionError,
            f"The form {form!r} is not bound, it will never have any errors.",
        ):
            self.assertFormError(form, "name", [])

    def test_msg_prefix(self) -> None:
        form = PersonForm()
        with self.assertRaisesMessage(AssertionError, "Custom: The form <PersonForm"):
            self.assertFormError(form, "name", [], msg_prefix="Custom")


class AssertFormSetErrorTests(SimpleTestCase):
    def test_field_and_non_field_errors_of_a_form(self) -> None:
        formset = PersonFormSet(formset_data("ann", "toolong"))
        self.assertFormSetError(formset, 0, "name", [])
        self.assertFormSetError(
            formset, 1, "name", "Ensure this value has at most 5 characters (it has 7)."
        )
        bob = PersonFormSet(formset_data("bob"))
        self.assertFormSetError(bob, 0, None, ["No bob."])

    def test_non_form_errors(self) -> None:
        formset = PersonFormSet(formset_data("a", "b", "c"))
        self.assertFormSetError(formset, None, None, "Please submit at most 2 forms.")
        with self.assertRaisesMessage(
            AssertionError, f"The non-form errors of formset {formset!r} don't match."
        ):
            self.assertFormSetError(formset, None, None, [])

    def test_form_mismatch_names_form_index(self) -> None:
        formset = PersonFormSet(formset_data("toolong"))
        self.assertFalse(formset.is_valid())
        with self.assertRaisesMessage(
            AssertionError,
            f"The errors of field 'name' on form 0 of formset {formset!r} don't match.",
        ):
            self.assertFormSetError(formset, 0, "name", [])
        with self.assertRaisesMessage(
            AssertionError,
            f"The non-field errors of form 0 of formset {formset!r} don't match.",
        ):
            self.assertFormSetError(formset, 0, None, "No bob.")

    def test_missing_field(self) -> None:
        formset = PersonFormSet(formset_data("ann"))
        self.assertTrue(formset.is_valid())
        with self.assertRaisesMessage(
            AssertionError,
            f"The form 0 of formset {formset!r} does not contain the field 'nope'.",
        ):
            self.assertFormSetError(formset, 0, "nope", [])

    def test_form_index_out_of_range(self) -> None:
        one = PersonFormSet(formset_data("ann"))
        self.assertTrue(one.is_valid())
        with self.assertRaisesMessage(
            AssertionError, f"The formset {one!r} only has 1 form."
        ):
            self.assertFormSetError(one, 1, "name", [])
        two = PersonFormSet(formset_data("ann", "eve"))
        self.assertTrue(two.is_valid())
        with self.assertRaisesMessage(
            AssertionError, f"The formset {two!r} only has 2 forms."
        ):
            self.assertFormSetError(two, 2, "name", [])

    def test_unbound_formset(self) -> None:
        formset = PersonFormSet()
        with self.assertRaisesMessage(
            AssertionError,
            f"The formset {formset!r} is not bound, it will never have any errors.",
        ):
            self.assertFormSetError(formset, 0, "name", [])

    def test_field_with_no_form_index_is_refused(self) -> None:
        formset = PersonFormSet(formset_data("ann"))
        with self.assertRaisesMessage(
            ValueError, "You must use field=None with form_index=None."
        ):
            self.assertFormSetError(formset, None, "name", [])


class AssertFieldOutputTests(SimpleTestCase):
    invalid_email = ["Enter a valid email address."]

    def test_passes(self) -> None:
        self.assertFieldOutput(
            EmailField, {"a@a.com": "a@a.com"}, {"aaa": self.invalid_email}
        )

    def test_field_args_and_empty_value(self) -> None:
        self.assertFieldOutput(
            IntegerField,
            {"3": 3},
            {"9": ["Ensure this value is less than or equal to 5."]},
            field_kwargs={"max_value": 5},
            empty_value=None,
        )

    def test_wrong_valid_output_fails(self) -> None:
        with self.assertRaises(AssertionError):
            self.assertFieldOutput(
                EmailField, {"a@a.com": "other"}, {"aaa": self.invalid_email}
            )

    def test_wrong_invalid_messages_fail(self) -> None:
        with self.assertRaises(AssertionError):
            self.assertFieldOutput(
                EmailField,
                {"a@a.com": "a@a.com"},
                {"aaa": [*self.invalid_email, "Another error"]},
            )

    def test_valid_input_listed_as_invalid_fails(self) -> None:
        with self.assertRaises(AssertionError):
            self.assertFieldOutput(
                EmailField, {"a@a.com": "a@a.com"}, {"b@b.com": self.invalid_email}
            )

    def test_wrong_empty_value_fails(self) -> None:
        with self.assertRaises(AssertionError):
            self.assertFieldOutput(IntegerField, {"3": 3}, {}, empty_value="")

    def test_custom_required_message(self) -> None:
        class RequiredField(CharField):
            default_error_messages = {"required": "Fill me in."}

        self.assertFieldOutput(RequiredField, {"x": "x"}, {})
