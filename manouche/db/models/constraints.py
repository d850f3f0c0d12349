"""Meta.constraints: UniqueConstraint and CheckConstraint.

Both become SQLAlchemy constraints on the model's table and can validate an
instance in Python (``validate()``, used by ``full_clean``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import ValidationError
from manouche.db.models.query_utils import Q

__all__ = ["BaseConstraint", "CheckConstraint", "Deferrable", "UniqueConstraint"]


class Deferrable(Enum):
    """When a deferrable constraint is checked."""

    DEFERRED = "deferred"
    IMMEDIATE = "immediate"


class BaseConstraint:
    """A named table constraint."""

    default_violation_error_message = "Constraint “%(name)s” is violated."
    violation_error_code: str | None = None

    def __init__(
        self,
        *,
        name: str,
        violation_error_code: str | None = None,
        violation_error_message: str | None = None,
    ) -> None:
        self.name = name
        if violation_error_code is not None:
            self.violation_error_code = violation_error_code
        self.violation_error_message = (
            violation_error_message or self.default_violation_error_message
        )

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
        raise NotImplementedError

    def validate(
        self, model: Any, instance: Any, exclude: Any = None, using: str = "default"
    ) -> None:
        """Raise ValidationError if ``instance`` violates the constraint."""
        raise NotImplementedError

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
        self.condition = condition if condition is not None else check
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
        """Evaluate simple conditions in Python (field comparisons)."""
        if not _python_check(self.condition, instance):
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def __repr__(self) -> str:
        return f"<CheckConstraint: condition={self.condition!r} name={self.name!r}>"


def _python_check(node: Any, instance: Any) -> bool:
    if not isinstance(node, Q):
        return True
    results = []
    for child in node.children:
        if isinstance(child, Q):
            results.append(_python_check(child, instance))
            continue
        if not isinstance(child, tuple):
            results.append(True)
            continue
        key, value = child
        name, _, lookup = key.partition("__")
        try:
            left = getattr(instance, name)
        except AttributeError:
            results.append(True)
            continue
        from manouche.db.models.expressions import F

        if type(value) is F:
            value = getattr(instance, value.name, None)
        elif hasattr(value, "as_sa"):
            results.append(True)
            continue
        results.append(_compare(left, lookup or "exact", value))
    if node.connector == Q.OR:
        result = any(results)
    else:
        result = all(results)
    return not result if node.negated else result


def _compare(left: Any, lookup: str, right: Any) -> bool:
    if left is None or (right is None and lookup != "isnull"):
        return True
    operations = {
        "exact": lambda: left == right,
        "gt": lambda: left > right,
        "gte": lambda: left >= right,
        "lt": lambda: left < right,
        "lte": lambda: left <= right,
        "in": lambda: left in right,
        "isnull": lambda: (left is None) == right,
    }
    operation: Any = operations.get(lookup)
    try:
        return True if operation is None else bool(operation())
    except TypeError:
        return True


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
        self.fields = tuple(fields)
        self.expressions = expressions
        self.condition = condition
        self.deferrable = deferrable
        self.include = tuple(include or ())
        self.opclasses = tuple(opclasses)
        self.nulls_distinct = nulls_distinct
        super().__init__(
            name=name,
            violation_error_code=violation_error_code,
            violation_error_message=violation_error_message,
        )

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
        """Check the database for another row with the same values."""
        if self.expressions or not self.fields:
            return
        exclude = set(exclude or ())
        lookup = {}
        for name in self.fields:
            if name in exclude:
                return
            field = model._meta.get_field(name)
            value = getattr(instance, field.attname)
            if value is None:
                return
            lookup[field.name] = value
        queryset = model._default_manager.using(using).filter(**lookup)
        if self.condition is not None:
            if not _python_check(self.condition, instance):
                return
            queryset = queryset.filter(self.condition)
        if not instance._state.adding and instance.pk is not None:
            queryset = queryset.exclude(pk=instance.pk)
        if queryset.exists():
            if len(self.fields) == 1 and self.violation_error_message == (
                self.default_violation_error_message
            ):
                field = model._meta.get_field(self.fields[0])
                raise ValidationError(
                    {
                        field.name: ValidationError(
                            instance.unique_error_message(model, self.fields)
                        )
                    }
                )
            if self.condition is None and self.violation_error_message == (
                self.default_violation_error_message
            ):
                raise ValidationError(instance.unique_error_message(model, self.fields))
            raise ValidationError(
                self.get_violation_error_message(), code=self.violation_error_code
            )

    def __repr__(self) -> str:
        return f"<UniqueConstraint: fields={self.fields!r} name={self.name!r}>"
