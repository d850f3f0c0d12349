"""Meta.constraints: UniqueConstraint and CheckConstraint.

Both become SQLAlchemy constraints on the model's table and can validate an
instance in Python (``validate()``, used by ``full_clean``).
"""

from __future__ import annotations

import warnings
from enum import Enum
from typing import Any, cast

import sqlalchemy as sa

from manouche.core.exceptions import FieldError, ValidationError
from manouche.db.models.expressions import F
from manouche.db.models.query_utils import Q
from manouche.utils.deprecation import RemovedInDjango60Warning

__all__ = ["BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint"]

_SUBCLASS_ONLY = "This method must be implemented by a subclass."
_CHECK_RENAMED = "CheckConstraint.check is deprecated in favor of `.condition`."


class Deferrable(Enum):
    """When a deferrable constraint is checked."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


class BaseConstraint:
    """A named table constraint."""

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_code: str | None = None
    contains_expressions = False

    def __init__(
        self,
        *args: Any,
        name: str | None = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if name is None and not args:
            raise TypeError(
                f"{type(self).__name__}.__init__() missing 1 required keyword-only "
                "argument: 'name'"
            )
        if args:
            warnings.warn(
                f"Passing positional arguments to {type(self).__name__} is deprecated.",
                RemovedInDjango60Warning,
                stacklevel=2,
            )
            name, violation_error_message = (*args, None)[:2]
        self.name = cast("str", name)
        if violation_error_code is not None:
            self.violation_error_code = violation_error_code
        self.violation_error_message = (
            violation_error_message or self.default_violation_error_message
        )

    def _repr_violation(self) -> str:
        """The violation code and custom message, as shown in reprs."""
        parts = ""
        if self.violation_error_code is not None:
            parts += f" violation_error_code={self.violation_error_code!r}"
        if self.violation_error_message != self.default_violation_error_message:
            parts += f" violation_error_message={self.violation_error_message!r}"
        return parts

    def get_violation_error_message(self) -> str:
        """Return the message with the constraint name filled in."""
        return self.violation_error_message % {"name": self.name}

    def clone(self) -> Any:
        """Return a copy."""
        copy = self.__class__.__new__(self.__class__)
        copy.__dict__.update(self.__dict__)
        return copy

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return ``(path, args, kwargs)`` rebuilding this constraint."""
        kwargs: dict[str, Any] = {"name": self.name}
        if self.violation_error_code is not None:
            kwargs["violation_error_code"] = self.violation_error_code
        if self.violation_error_message != self.default_violation_error_message:
            kwargs["violation_error_message"] = self.violation_error_message
        cls = type(self)
        path = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__module__ == __name__:
            path = f"manouche.db.models.{cls.__qualname__}"
        return path, (), kwargs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseConstraint):
            return NotImplemented
        return type(self) is type(other) and self.deconstruct() == other.deconstruct()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.name))

    def as_sa(self, model: Any, table: sa.Table) -> Any:
        """Return the SQLAlchemy construct for ``table``."""
        raise NotImplementedError(_SUBCLASS_ONLY)

    def constraint_sql(self, model: Any, schema_editor: Any) -> str:
        """Return the constraint clause as it appears in CREATE TABLE."""
        raise NotImplementedError(_SUBCLASS_ONLY)

    def create_sql(self, model: Any, schema_editor: Any) -> str:
        """Return the statement adding the constraint to an existing table."""
        raise NotImplementedError(_SUBCLASS_ONLY)

    def remove_sql(self, model: Any, schema_editor: Any) -> str:
        """Return the statement dropping the constraint."""
        raise NotImplementedError(_SUBCLASS_ONLY)

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = "default"
    ) -> None:
        """Raise ValidationError if ``instance`` violates the constraint."""
        raise NotImplementedError(_SUBCLASS_ONLY)

    def _compiler(self, model: Any) -> Any:
        from manouche.db.models.sql.compiler import SQLCompiler
        from manouche.db.models.sql.query import Query

        return SQLCompiler(Query(model), None, for_update_statement=True)


class CheckConstraint(BaseConstraint):
    """``CHECK (condition)``."""

    def __init__(
        self,
        *,
        condition: Any = None,
        name: str,
        check: Any = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if check is not None:
            warnings.warn(_CHECK_RENAMED, RemovedInDjango60Warning, stacklevel=2)
            if condition is None:
                condition = check
        self.condition = condition
        if not isinstance(self.condition, Q) and not getattr(
            self.condition, "conditional", False
        ):
            raise TypeError(
                "CheckConstraint.condition must be a Q instance or boolean expression."
            )
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    @property
    def check(self) -> Any:
        """The old name of ``condition``."""
        warnings.warn(_CHECK_RENAMED, RemovedInDjango60Warning, stacklevel=2)
        return self.condition

    @check.setter
    def check(self, value: Any) -> None:
        warnings.warn(_CHECK_RENAMED, RemovedInDjango60Warning, stacklevel=2)
        self.condition = value

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, args, kwargs = super().deconstruct()
        kwargs["condition"] = self.condition
        return path, args, kwargs

    def as_sa(self, model: Any, table: sa.Table) -> Any:
        condition = self._compiler(model).compile_condition(self.condition)
        return sa.CheckConstraint(condition, name=self.name)

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = "default"
    ) -> None:
        """Evaluate the condition in the database with the instance's values.

        Conditions naming an excluded field are skipped (the field's own
        validation reports it); a NULL result passes, as in SQL.
        """
        from manouche.db.models._constraint_check import (
            constraint_values,
            excludes_generated,
        )
        from manouche.db.models._q_check import check_condition

        condition = self.condition
        if not isinstance(condition, Q):
            condition = Q(condition)
        if exclude:
            names = condition.referenced_base_fields
            if names & set(exclude) or excludes_generated(model, names, set(exclude)):
                return
        values = constraint_values(model, instance)
        try:
            holds = check_condition(condition, values, using)
        except FieldError:
            return
        if not holds:
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def __repr__(self) -> str:
        return (
            f"<CheckConstraint: condition={self.condition} name={self.name!r}"
            f"{self._repr_violation()}>"
        )


def _check_unique_options(
    expressions: Any,
    fields: Any,
    condition: Any,
    deferrable: Any,
    include: Any,
    opclasses: Any,
    nulls_distinct: Any,
) -> None:
    """Refuse UniqueConstraint options that cannot go together."""
    if deferrable is not None and not isinstance(deferrable, Deferrable):
        raise TypeError("UniqueConstraint.deferrable must be a Deferrable instance.")
    if include is not None and not isinstance(include, (list, tuple)):
        raise TypeError("UniqueConstraint.include must be a list or tuple.")
    if not isinstance(opclasses, (list, tuple)):
        raise TypeError("UniqueConstraint.opclasses must be a list or tuple.")
    if nulls_distinct is not None and not isinstance(nulls_distinct, bool):
        raise TypeError("UniqueConstraint.nulls_distinct must be a bool.")
    if deferrable is not None:
        for present, what in (
            (condition, "conditions"),
            (include, "include fields"),
            (opclasses, "opclasses"),
            (expressions, "expressions"),
        ):
            if present:
                raise ValueError(f"UniqueConstraint with {what} cannot be deferred.")
    if expressions and opclasses:
        raise ValueError(
            "UniqueConstraint.opclasses cannot be used with expressions. Use "
            "manouche.contrib.postgres.indexes.OpClass() instead."
        )
    if opclasses and len(fields) != len(opclasses):
        raise ValueError(
            "UniqueConstraint.fields and UniqueConstraint.opclasses must have "
            "the same number of elements."
        )


class UniqueConstraint(BaseConstraint):
    """``UNIQUE (fields)``, optionally partial (``condition``) where supported."""

    def __init__(
        self,
        *expressions: Any,
        fields: tuple[str, ...] | list[str] = (),
        name: str | None = None,
        condition: Q | None = None,
        deferrable: Deferrable | None = None,
        include: Any = None,
        opclasses: Any = (),
        nulls_distinct: bool | None = None,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        if not name:
            raise ValueError("A unique constraint must be named.")
        if not expressions and not fields:
            raise ValueError(
                "At least one field or expression is required to define a unique "
                "constraint."
            )
        if expressions and fields:
            raise ValueError(
                "UniqueConstraint.fields and expressions are mutually exclusive."
            )
        if condition is not None and not isinstance(condition, Q):
            raise ValueError("UniqueConstraint.condition must be a Q instance.")
        _check_unique_options(
            expressions,
            fields,
            condition,
            deferrable,
            include,
            opclasses,
            nulls_distinct,
        )
        self.fields = tuple(fields)
        self.expressions = tuple(
            F(expression) if isinstance(expression, str) else expression
            for expression in expressions
        )
        self.condition = condition
        self.deferrable = deferrable
        self.include = tuple(include or ())
        self.opclasses = opclasses
        self.nulls_distinct = nulls_distinct
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

    @property
    def contains_expressions(self) -> bool:  # type: ignore[override]
        """Whether the constraint is over expressions rather than fields."""
        return bool(self.expressions)

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        path, _args, kwargs = super().deconstruct()
        optional = {
            "fields": self.fields,
            "condition": self.condition,
            "deferrable": self.deferrable,
            "include": self.include,
            "opclasses": self.opclasses,
            "nulls_distinct": self.nulls_distinct,
        }
        kwargs.update({key: value for key, value in optional.items() if value})
        if self.nulls_distinct is False:
            kwargs["nulls_distinct"] = False
        return path, tuple(self.expressions), kwargs

    def as_sa(self, model: Any, table: sa.Table) -> Any:
        if self.condition is None and not self.expressions:
            columns = [table.c[model._meta.get_field(f).attname] for f in self.fields]
            return sa.UniqueConstraint(*columns, name=self.name)
        compiler = self._compiler(model)
        elements: list[Any] = [
            table.c[model._meta.get_field(f).attname] for f in self.fields
        ]
        elements += [compiler.compile_expression(e) for e in self.expressions]
        kwargs: dict[str, Any] = {}
        if self.condition is not None:
            where = compiler.compile_condition(self.condition)
            kwargs["sqlite_where"] = where
            kwargs["postgresql_where"] = where
        from manouche.db.models.indexes import require_features

        requires = set()
        if self.condition is not None:
            requires.add("supports_partial_indexes")
        if self.expressions:
            requires.add("supports_expression_indexes")
        return require_features(
            sa.Index(self.name, *elements, unique=True, **kwargs), requires
        )

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = "default"
    ) -> None:
        """Check the database for another row with the same values.

        Fields left out (``exclude``), or a NULL where NULLs are distinct,
        make the check moot, as the database would accept the row.
        """
        from manouche.db.models._constraint_check import (
            MatchesValues,
            constraint_values,
            excludes_generated,
            referenced_names,
            unordered,
        )

        exclude = set(exclude or ())
        values = constraint_values(model, instance)
        nulls_equal = self.nulls_distinct is False
        conditions: list[Any] = []
        if self.expressions:
            for expression in self.expressions:
                expression = unordered(expression)
                names = referenced_names(expression)
                if exclude & names or excludes_generated(model, names, exclude):
                    return
                conditions.append(MatchesValues(expression, values, nulls_equal))
        if exclude & set(self.fields) or excludes_generated(
            model, set(self.fields), exclude
        ):
            return
        field_conditions = self._field_conditions(model, instance, values)
        if field_conditions is None:
            return
        conditions.extend(field_conditions)
        queryset = model._default_manager.using(using).filter(*conditions)
        if self.condition is not None:
            from manouche.db.models._q_check import check_condition

            condition = Q(self.condition)
            if exclude & condition.referenced_base_fields:
                return
            if not check_condition(condition, values, using):
                return
            queryset = queryset.filter(self.condition)
        if not instance._state.adding and instance.pk is not None:
            queryset = queryset.exclude(pk=instance.pk)
        if queryset.exists():
            self._raise_violation(model, instance)

    def _field_conditions(
        self, model: Any, instance: Any, values: dict[str, Any]
    ) -> list[Any] | None:
        """Return a filter per field matching the instance's value.

        None when a NULL makes the check moot (NULLs are distinct). A field
        left to its database default, or generated, is matched on the
        expression that computes it.
        """
        from manouche.db.models._constraint_check import MatchesValues
        from manouche.db.models.expressions import DatabaseDefault

        nulls_equal = self.nulls_distinct is False
        conditions: list[Any] = []
        for name in self.fields:
            field = model._meta.get_field(name)
            value = None if field.generated else getattr(instance, field.attname)
            if field.generated or isinstance(value, DatabaseDefault):
                conditions.append(MatchesValues(F(field.name), values, nulls_equal))
            elif value is None:
                if not nulls_equal:
                    return None
                conditions.append(Q((f"{field.name}__isnull", True)))
            else:
                conditions.append(Q((field.name, value)))
        return conditions

    def _raise_violation(self, model: Any, instance: Any) -> None:
        """Raise the field-style message for plain unique fields, else ours."""
        default_message = (
            self.violation_error_message == self.default_violation_error_message
        )
        if self.fields and self.condition is None and default_message:
            error = ValidationError(instance.unique_error_message(model, self.fields))
            if len(self.fields) == 1:
                field = model._meta.get_field(self.fields[0])
                raise ValidationError({field.name: error})
            raise error
        raise ValidationError(
            self.get_violation_error_message(), code=self.violation_error_code
        )

    def __repr__(self) -> str:
        shown = (
            f"expressions={tuple(self.expressions)!r}"
            if self.expressions
            else f"fields={self.fields!r}"
        )
        extras = ""
        if self.condition is not None:
            extras += f" condition={self.condition}"
        if self.deferrable is not None:
            extras += f" deferrable={self.deferrable!r}"
        if self.include:
            extras += f" include={self.include!r}"
        if self.opclasses:
            extras += f" opclasses={self.opclasses!r}"
        if self.nulls_distinct is not None:
            extras += f" nulls_distinct={self.nulls_distinct!r}"
        return (
            f"<UniqueConstraint: {shown} name={self.name!r}{extras}"
            f"{self._repr_violation()}>"
        )
