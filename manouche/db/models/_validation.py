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
        from manouche.db.models.expressions import DatabaseDefault

        exclude_set = set(exclude or ())
        errors: dict[str, Any] = {}
        for field in self._meta.fields:
            if field.name in exclude_set or field.generated:
                continue
            raw_value = getattr(self, field.attname)
            if isinstance(raw_value, DatabaseDefault):
                continue  # the database supplies the value on insert
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
        exclude: Any = None,
        include_meta_constraints: bool = False,
    ) -> tuple[list[tuple[Any, tuple[str, ...]]], list[tuple[Any, str, str, str]]]:
        """Return ``(unique checks, date checks)`` for this model and its parents.

        Unique checks are ``(model, field names)``: unique_together first,
        then (on request) field-only UniqueConstraints, then unique fields.
        Date checks are ``(model, "date"|"year"|"month", field, date field)``.
        ``exclude`` is only tested with ``in``, as Django code passes sets,
        lists and sometimes a single name.
        """
        if exclude is None:
            exclude = set()
        models = [self.__class__, *self._meta.get_parent_list()]
        unique_checks: list[tuple[Any, tuple[str, ...]]] = []
        for model_class in models:
            for names in model_class._meta.unique_together:
                if not any(name in exclude for name in names):
                    unique_checks.append((model_class, tuple(names)))
        if include_meta_constraints:
            for model_class in models:
                for constraint in model_class._meta.total_unique_constraints:
                    if not any(name in exclude for name in constraint.fields):
                        unique_checks.append((model_class, tuple(constraint.fields)))
        date_checks: list[tuple[Any, str, str, str]] = []
        for model_class in models:
            for field in model_class._meta.local_fields:
                if field.name in exclude:
                    continue
                if field.unique:
                    unique_checks.append((model_class, (field.name,)))
                date_checks.extend(_date_checks(model_class, field, exclude))
        return unique_checks, date_checks

    def validate_unique(self, exclude: Any = None) -> None:
        """Check unique fields, unique_together and unique_for_* in the database."""
        unique_checks, date_checks = self._get_unique_checks(exclude)
        errors = run(self._unique_errors_operation(unique_checks))
        date_errors = run(self._date_errors_operation(date_checks))
        for name, found in date_errors.items():
            errors.setdefault(name, []).extend(found)
        if errors:
            raise ValidationError(errors)

    def _unique_errors_operation(
        self, checks: list[tuple[Any, tuple[str, ...]]]
    ) -> Operation:
        from manouche.db.models.expressions import DatabaseDefault

        errors: dict[str, list[ValidationError]] = {}
        for model_class, names in checks:
            lookup: dict[str, Any] = {}
            for name in names:
                field = self._meta.get_field(name)
                value = getattr(self, field.attname)
                if isinstance(value, DatabaseDefault):
                    # The row would get the database default: look for it.
                    value = field.db_default
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

    def _date_errors_operation(
        self, checks: list[tuple[Any, str, str, str]]
    ) -> Operation:
        errors: dict[str, list[ValidationError]] = {}
        for model_class, kind, name, date_name in checks:
            date = getattr(self, date_name)
            if date is None:
                continue
            parts = ("year", "month", "day") if kind == "date" else (kind,)
            lookup = {f"{date_name}__{part}": getattr(date, part) for part in parts}
            lookup[name] = getattr(self, name)
            queryset = model_class._default_manager.filter(**lookup)
            if not self._state.adding and self.pk is not None:
                queryset = queryset.exclude(pk=self.pk)
            exists = yield from queryset._exists_operation()
            if exists:
                errors.setdefault(name, []).append(
                    self.date_error_message(kind, name, date_name)
                )
        return errors

    def date_error_message(
        self, lookup_type: str, field_name: str, unique_for: str
    ) -> ValidationError:
        """Return the ValidationError of a failed unique_for_<lookup_type> check."""
        from manouche.utils.text import capfirst

        opts = self._meta
        field = opts.get_field(field_name)
        return ValidationError(
            field.error_messages["unique_for_date"],
            code="unique_for_date",
            params={
                "model": self,
                "model_name": capfirst(str(opts.verbose_name)),
                "lookup_type": lookup_type,
                "field": field_name,
                "field_label": capfirst(str(field.verbose_name)),
                "date_field": unique_for,
                "date_field_label": capfirst(
                    str(opts.get_field(unique_for).verbose_name)
                ),
            },
        )

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
        """Validate the Meta.constraints of this model and of its parents."""
        from manouche.db import router

        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
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


def _date_checks(
    model_class: Any, field: Any, exclude: Any
) -> list[tuple[Any, str, str, str]]:
    found = []
    for kind in ("date", "year", "month"):
        other = getattr(field, f"unique_for_{kind}", None)
        if other and other not in exclude:
            found.append((model_class, kind, field.name, other))
    return found
