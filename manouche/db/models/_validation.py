"""Model validation: clean_fields, clean, validate_unique, validate_constraints.

Mixed into ``Model``; unique checks are one operation (see ``_io``) run with
blocking I/O, as ``full_clean`` is synchronous in Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from manouche.core.exceptions import NON_FIELD_ERRORS, ValidationError
from manouche.db.models._io import Operation, run

__all__ = ["ModelValidation"]


class ModelValidation:
    """The validation half of ``Model``."""

    _meta: ClassVar[Any]
    _state: Any
    pk: Any

    def clean(self) -> None:
        """Hook for model-wide validation; raise ValidationError."""

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        """Clean every field, collecting errors per field."""
        exclude_set = set(exclude or ())
        errors: dict[str, Any] = {}
        for field in self._meta.fields:
            if field.name in exclude_set or field.generated:
                continue
            raw_value = getattr(self, field.attname)
            if field.blank and raw_value in field.empty_values:
                continue
            try:
                setattr(self, field.attname, field.clean(raw_value, self))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def _get_unique_checks(
        self,
        exclude: Iterable[str] | None = None,
        include_meta_constraints: bool = False,
    ) -> list[tuple[Any, tuple[str, ...]]]:
        exclude_set = set(exclude or ())
        checks: list[tuple[Any, tuple[str, ...]]] = []
        classes = [(self.__class__, self._meta.unique_together)]
        for parent in self._meta.get_parent_list():
            classes.append((parent, parent._meta.unique_together))
        for model_class, together in classes:
            for names in together:
                if not any(name in exclude_set for name in names):
                    checks.append((model_class, tuple(names)))
        for model_class in [self.__class__, *self._meta.get_parent_list()]:
            for field in model_class._meta.local_fields:
                if field.unique and field.name not in exclude_set:
                    checks.append((model_class, (field.name,)))
        return checks

    def validate_unique(self, exclude: Iterable[str] | None = None) -> None:
        """Check unique fields and unique_together against the database."""
        errors = run(self._unique_errors_operation(self._get_unique_checks(exclude)))
        if errors:
            raise ValidationError(errors)

    def _unique_errors_operation(
        self, checks: list[tuple[Any, tuple[str, ...]]]
    ) -> Operation:
        errors: dict[str, list[ValidationError]] = {}
        for model_class, names in checks:
            lookup: dict[str, Any] = {}
            for name in names:
                field = self._meta.get_field(name)
                value = getattr(self, field.attname)
                if value is None or (value == "" and not field.empty_strings_allowed):
                    break
                if field.primary_key and not self._state.adding:
                    break
                lookup[str(field.name)] = value
            else:
                if len(lookup) != len(names):
                    continue
                queryset = model_class._default_manager.filter(**lookup)
                if not self._state.adding and self.pk is not None:
                    queryset = queryset.exclude(pk=self.pk)
                exists = yield from queryset._exists_operation()
                if exists:
                    key = names[0] if len(names) == 1 else NON_FIELD_ERRORS
                    errors.setdefault(key, []).append(
                        self.unique_error_message(model_class, names)
                    )
        return errors

    def unique_error_message(
        self, model_class: Any, unique_check: tuple[str, ...]
    ) -> ValidationError:
        """Return the ValidationError for a failed unique check."""
        opts = model_class._meta
        params: dict[str, Any] = {
            "model": self,
            "model_class": model_class,
            "model_name": str(opts.verbose_name).capitalize(),
            "unique_check": unique_check,
        }
        if len(unique_check) == 1:
            field = opts.get_field(unique_check[0])
            params["field_label"] = str(field.verbose_name).capitalize()
            return ValidationError(
                field.error_messages["unique"], code="unique", params=params
            )
        from manouche.utils.text import capfirst, get_text_list

        labels = [capfirst(str(opts.get_field(n).verbose_name)) for n in unique_check]
        params["field_labels"] = get_text_list(labels, "and")
        return ValidationError(
            "%(model_name)s with this %(field_labels)s already exists.",
            code="unique_together",
            params=params,
        )

    def validate_constraints(self, exclude: Iterable[str] | None = None) -> None:
        """Validate Meta.constraints that can be checked in Python."""
        errors: dict[str, list[ValidationError]] = {}
        for constraint in self._meta.constraints:
            try:
                constraint.validate(self.__class__, self, exclude=exclude)
            except ValidationError as error:
                error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def full_clean(
        self,
        exclude: Iterable[str] | None = None,
        validate_unique: bool = True,
        validate_constraints: bool = True,
    ) -> None:
        """Run clean_fields, clean, validate_unique and validate_constraints."""
        errors: dict[str, Any] = {}
        exclude_set = set(exclude or ())
        try:
            self.clean_fields(exclude=exclude_set)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique:
            for name in errors:
                if name != NON_FIELD_ERRORS and name not in exclude_set:
                    exclude_set.add(name)
            try:
                self.validate_unique(exclude=exclude_set)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if validate_constraints:
            try:
                self.validate_constraints(exclude=exclude_set)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def get_constraints(self) -> list[tuple[Any, list[Any]]]:
        """Return (model, constraints) for this model and its parents."""
        found = [(self.__class__, self._meta.constraints)]
        for parent in self._meta.get_parent_list():
            found.append((parent, parent._meta.constraints))
        return found
