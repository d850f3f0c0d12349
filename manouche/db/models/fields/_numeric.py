"""Numeric fields: integers of each size, auto primary keys, float, decimal."""

from __future__ import annotations

import decimal
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.db.models.fields import _types
from manouche.db.models.fields._base import (
    Field,
)


class _NumberField(Field):
    """A field whose values pass through one conversion (``int``, ``float``)."""

    _convert: ClassVar[type]

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return self._convert(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        try:
            return self._convert(value)
        except (TypeError, ValueError) as error:
            raise error.__class__(
                f"Field '{self.name}' expected a number but got {value!r}."
            ) from error


class IntegerField(_NumberField):
    """A signed 32-bit integer."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be an integer.",
    }
    _convert = int
    #: The documented range; the database's own range (``backend_range``)
    #: is what validation and lookups enforce.
    min_value: int | None = -2147483648
    max_value: int | None = 2147483647

    def backend_range(self, connection: Any = None) -> tuple[int | None, int | None]:
        """Return the (min, max) the column holds on ``connection`` (default one).

        A subclass with its own internal type takes the range of the nearest
        stock integer field it derives from.
        """
        if connection is None:
            from manouche.db import connection
        ops = connection.ops
        ranges = getattr(ops, "integer_field_ranges", {})
        internal_type = self.get_internal_type()
        if internal_type not in ranges:
            internal_type = next(
                (k.__name__ for k in type(self).__mro__ if k.__name__ in ranges),
                internal_type,
            )
        try:
            low, high = ops.integer_field_range(internal_type)
        except ValueError:
            return self.min_value, self.max_value
        return low, high

    @property
    def validators(self) -> list[Any]:
        """The field's validators plus the backend's range where none is stricter."""
        own = list(self._validators)
        found = [*self.default_validators, *own]
        low, high = self.backend_range()
        if low is not None and not any(
            isinstance(v, validators.MinValueValidator) and _limit(v) >= low
            for v in own
        ):
            found.append(validators.MinValueValidator(low))
        if high is not None and not any(
            isinstance(v, validators.MaxValueValidator) and _limit(v) <= high
            for v in own
        ):
            found.append(validators.MaxValueValidator(high))
        return found

    def sa_type(self) -> Any:
        return sa.Integer()


def _limit(validator: Any) -> Any:
    limit = validator.limit_value
    return limit() if callable(limit) else limit


class SmallIntegerField(IntegerField):
    """A signed 16-bit integer."""

    min_value, max_value = -32768, 32767

    def sa_type(self) -> Any:
        return sa.SmallInteger()


class BigIntegerField(IntegerField):
    """A signed 64-bit integer."""

    min_value, max_value = -9223372036854775808, 9223372036854775807

    def sa_type(self) -> Any:
        return sa.BigInteger()


class _AtLeastZero(ColumnElement[Any]):
    """``name >= 0``, the name quoted by the dialect compiling the CHECK."""

    inherit_cache = True

    def __init__(self, name: str) -> None:
        self.name = name


@compiles(_AtLeastZero)
def _compile_at_least_zero(element: _AtLeastZero, compiler: Any, **kw: Any) -> str:
    return f"{compiler.preparer.quote(element.name)} >= 0"


class _NonNegativeColumn:
    """A column whose CHECK (>= 0) makes the database refuse negative values.

    Validation catches a negative Python value; the CHECK also catches one
    computed in SQL (``F("value") - 1``).
    """

    column: str | None
    sa_type: Any
    sa_column_kwargs: Any

    def sa_column(self) -> sa.Column[Any]:
        check = sa.CheckConstraint(_AtLeastZero(str(self.column)))
        return sa.Column(self.column, self.sa_type(), check, **self.sa_column_kwargs())

    def db_check(self, connection: Any) -> str | None:
        return f"{connection.ops.quote_name(self.column)} >= 0"


class PositiveIntegerField(_NonNegativeColumn, IntegerField):
    """A 32-bit integer that is zero or more."""

    min_value = 0


class PositiveSmallIntegerField(_NonNegativeColumn, SmallIntegerField):
    """A 16-bit integer that is zero or more."""

    min_value = 0


class PositiveBigIntegerField(_NonNegativeColumn, BigIntegerField):
    """A 64-bit integer that is zero or more."""

    min_value = 0


class AutoFieldMixin:
    """Primary keys generated by the database."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"blank": True}

    db_returning = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)

    def validate(self, value: Any, model_instance: Any) -> None:
        """Accept anything: the database assigns the value."""

    def get_db_prep_value(
        self, value: Any, connection: Any = None, prepared: bool = False
    ) -> Any:
        return value if prepared else self.get_prep_value(value)  # type: ignore[attr-defined]

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        """Refuse a second auto field on one model."""
        if cls._meta.auto_field:
            raise ValueError(
                f"Model {cls._meta.label} can't have more than one auto-generated "
                "field."
            )
        super().contribute_to_class(cls, name, private_only)  # type: ignore[misc]
        cls._meta.auto_field = self

    def sa_column_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().sa_column_kwargs()  # type: ignore[misc]
        kwargs["autoincrement"] = True
        return kwargs


class _AutoFieldMeta(type):
    """Make BigAutoField and SmallAutoField count as AutoField subclasses.

    They derive from the integer field of their size, not from AutoField,
    yet code checks ``isinstance(field, AutoField)`` for any auto key.
    """

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, _AUTO_SIZES) or super().__instancecheck__(instance)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, _AUTO_SIZES) or super().__subclasscheck__(subclass)


class AutoField(AutoFieldMixin, IntegerField, metaclass=_AutoFieldMeta):
    """An auto-incrementing 32-bit primary key."""

    def get_internal_type(self) -> str:
        return "AutoField"


class BigAutoField(AutoFieldMixin, BigIntegerField):
    """An auto-incrementing 64-bit primary key."""

    def sa_type(self) -> Any:
        return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class SmallAutoField(AutoFieldMixin, SmallIntegerField):
    """An auto-incrementing 16-bit primary key."""

    def sa_type(self) -> Any:
        return sa.SmallInteger().with_variant(sa.Integer(), "sqlite")


_AUTO_SIZES = (BigAutoField, SmallAutoField)


class FloatField(_NumberField):
    """A double-precision float."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be a float.",
    }
    _convert = float

    def sa_type(self) -> Any:
        return sa.Float(asdecimal=False).with_variant(
            mysql.DOUBLE(asdecimal=False), "mysql", "mariadb"
        )


class DecimalField(Field):
    """A fixed-precision decimal number."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("max_digits", "max_digits", None),
        ("decimal_places", "decimal_places", None),
    )

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be a decimal number.",
    }

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(verbose_name, name, **kwargs)

    @property
    def validators(self) -> list[Any]:
        return [
            *super().validators,
            validators.DecimalValidator(self.max_digits, self.decimal_places),
        ]

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            if isinstance(value, float):
                result = decimal.Context(
                    prec=self.max_digits or 28
                ).create_decimal_from_float(value)
            else:
                result = decimal.Decimal(value)
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        if not result.is_finite():
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return result

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def get_db_prep_value(
        self, value: Any, connection: Any = None, prepared: bool = False
    ) -> Any:
        """Hand the Decimal to the backend's ``adapt_decimalfield_value`` hook."""
        if not prepared:
            value = self.get_prep_value(value)
        if connection is None or value is None or hasattr(value, "as_sa"):
            return value
        return connection.ops.adapt_decimalfield_value(
            value, self.max_digits, self.decimal_places
        )

    def sa_type(self) -> Any:
        return _types.Decimal(self.max_digits, self.decimal_places)
