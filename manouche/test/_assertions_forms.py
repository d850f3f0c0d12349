"""Form assertions of ``SimpleTestCase``: a form's errors and a field's output.

A mixin. ``assertFormError`` and ``assertFormSetError`` take the form (or
formset) object itself, so they work on forms built in the test as well
as on ones taken from a response's context. ``assertFieldOutput`` cleans
values through a required and an optional instance of a field class.
"""

# These assertions are built from unittest's own, as Django's are.
# ruff: noqa: PT009, PT027

from __future__ import annotations

import unittest
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

__all__ = ["FormAssertions"]

# unittest leaves the frames of modules carrying this flag out of failure
# tracebacks, so a failure points at the test's own line, not at these helpers.
__unittest = True


if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


def _as_list(errors: str | Sequence[str]) -> list[str]:
    """A single message is shorthand for a list holding only it."""
    if isinstance(errors, str):
        return [errors]
    return list(errors)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class FormAssertions(_Base):
    """Assertions about the validation errors of forms, formsets and fields."""

    def _check_form_errors(
        self,
        form: Any,
        field: str | None,
        errors: list[str],
        msg_prefix: str,
        describe: Callable[[], str],
    ) -> None:
        """Compare ``form``'s errors for ``field`` (None: non-field) to ``errors``.

        Reading ``form.errors`` validates a bound form that wasn't yet, so
        the caller needn't call ``is_valid()`` first.
        """
        if not form.is_bound:
            self.fail(
                f"{msg_prefix}The {describe()} is not bound, it will never have "
                "any errors."
            )
        form_errors = form.errors
        # Described once validated, so the message shows valid=True/False.
        form_repr = describe()
        if field is not None and field not in form.fields:
            self.fail(
                f"{msg_prefix}The {form_repr} does not contain the field {field!r}."
            )
        if field is None:
            actual = [str(error) for error in form.non_field_errors()]
            failure = f"The non-field errors of {form_repr} don't match."
        else:
            actual = [str(error) for error in form_errors.get(field, [])]
            failure = f"The errors of field {field!r} on {form_repr} don't match."
        self.assertEqual(actual, errors, msg_prefix + failure)

    def assertFormError(
        self,
        form: Any,
        field: str | None,
        errors: str | Sequence[str],
        msg_prefix: str = "",
    ) -> None:
        """Assert ``form``'s errors on ``field`` are exactly ``errors``.

        ``field=None`` checks the non-field errors; ``errors`` is a message or
        a list of them (``[]`` asserts there are none). The form must be
        bound; it is validated if it wasn't already.
        """
        if msg_prefix:
            msg_prefix += ": "
        self._check_form_errors(
            form, field, _as_list(errors), msg_prefix, lambda: f"form {form!r}"
        )

    def assertFormSetError(
        self,
        formset: Any,
        form_index: int | None,
        field: str | None,
        errors: str | Sequence[str],
        msg_prefix: str = "",
    ) -> None:
        """Assert the errors of form ``form_index`` of ``formset`` on ``field``.

        ``form_index=None`` checks the formset's non-form errors (then
        ``field`` must be None); ``field=None`` checks a form's non-field
        errors. The formset must be bound; it is validated if it wasn't.
        """
        if form_index is None and field is not None:
            raise ValueError("You must use field=None with form_index=None.")
        if msg_prefix:
            msg_prefix += ": "
        errors = _as_list(errors)
        if not formset.is_bound:
            self.fail(
                f"{msg_prefix}The formset {formset!r} is not bound, it will never "
                "have any errors."
            )
        formset.errors  # noqa: B018 - validates, so the repr shows validity
        if form_index is None:
            actual = [str(error) for error in formset.non_form_errors()]
            self.assertEqual(
                actual,
                errors,
                f"{msg_prefix}The non-form errors of formset {formset!r} don't match.",
            )
            return
        form_count = formset.total_form_count()
        if not 0 <= form_index < form_count:
            self.fail(
                f"{msg_prefix}The formset {formset!r} only has "
                f"{_plural(form_count, 'form')}."
            )
        self._check_form_errors(
            formset.forms[form_index],
            field,
            errors,
            msg_prefix,
            lambda: f"form {form_index} of formset {formset!r}",
        )

    def assertFieldOutput(
        self,
        fieldclass: type[Any],
        valid: Mapping[Any, Any],
        invalid: Mapping[Any, Sequence[str]],
        field_args: Sequence[Any] | None = None,
        field_kwargs: Mapping[str, Any] | None = None,
        empty_value: Any = "",
    ) -> None:
        """Assert how ``fieldclass`` cleans values, required and optional.

        Each ``valid`` input must clean to its value and each ``invalid``
        input must raise exactly its list of messages, in both a required
        and a ``required=False`` field. Empty inputs must raise the
        required message, and clean to ``empty_value`` when optional.
        """
        from manouche.core.exceptions import ValidationError

        args = list(field_args or [])
        kwargs = dict(field_kwargs or {})
        required = fieldclass(*args, **kwargs)
        optional = fieldclass(*args, **{**kwargs, "required": False})
        for field in (required, optional):
            for value, expected in valid.items():
                self.assertEqual(field.clean(value), expected)
            for value, messages in invalid.items():
                with self.assertRaises(ValidationError) as context:
                    field.clean(value)
                self.assertEqual(context.exception.messages, list(messages))
        required_messages = [required.error_messages["required"]]
        for empty in required.empty_values:
            with self.assertRaises(ValidationError) as context:
                required.clean(empty)
            self.assertEqual(context.exception.messages, required_messages)
            self.assertEqual(optional.clean(empty), empty_value)
        # A CharField subclass must keep accepting the length bounds.
        from manouche.forms import CharField

        if issubclass(fieldclass, CharField):
            bounded = fieldclass(*args, **{**kwargs, "min_length": 2, "max_length": 20})
            self.assertIsInstance(bounded, fieldclass)
