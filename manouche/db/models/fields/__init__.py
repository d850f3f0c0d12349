"""Model fields: Python values, validation and the SQLAlchemy column of each.

A field knows its column type (``sa_type()``), how to turn user input into a
Python value (``to_python``) and how to validate it. It never executes SQL.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from manouche.core import validators
from manouche.core.exceptions import FieldDoesNotExist, ValidationError
from manouche.db.models.fields import _types
from manouche.db.models.query_utils import DeferredAttribute, RegisterLookupMixin
from manouche.utils.choices import CallableChoiceIterator, normalize_choices
from manouche.utils.dateparse import (
    parse_date,
    parse_datetime,
    parse_duration,
    parse_time,
)
from manouche.utils.functional import Promise

__all__ = [
    "BLANK_CHOICE_DASH",
    "NOT_PROVIDED",
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BinaryField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "EmailField",
    "Empty",
    "Field",
    "FieldDoesNotExist",
    "FilePathField",
    "FloatField",
    "GenericIPAddressField",
    "IPAddressField",
    "IntegerField",
    "NullBooleanField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallAutoField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "URLField",
    "UUIDField",
]


class Empty:
    """Placeholder class for instances created without __init__."""


class NOT_PROVIDED:
    """Marker for 'no default given'."""


BLANK_CHOICE_DASH = [("", "---------")]


class Field(RegisterLookupMixin):
    """Base class of every model field."""

    empty_strings_allowed = True
    empty_values: ClassVar[list[Any]] = list(validators.EMPTY_VALUES)
    creation_counter = 0
    auto_creation_counter = -1
    default_validators: ClassVar[list[Any]] = []
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_choice": "Value %(value)r is not a valid choice.",
        "null": "This field cannot be null.",
        "blank": "This field cannot be blank.",
        "unique": "%(model_name)s with this %(field_label)s already exists.",
    }
    system_check_deprecated_details = None
    system_check_removed_details = None
    descriptor_class: type = DeferredAttribute

    is_relation = False
    many_to_many: bool | None = None
    many_to_one: bool | None = None
    one_to_many: bool | None = None
    one_to_one: bool | None = None
    related_model: Any = None
    remote_field: Any = None
    hidden = False
    generated = False

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        primary_key: bool = False,
        max_length: int | None = None,
        unique: bool = False,
        blank: bool = False,
        null: bool = False,
        db_index: bool = False,
        rel: Any = None,
        default: Any = NOT_PROVIDED,
        editable: bool = True,
        serialize: bool = True,
        unique_for_date: str | None = None,
        unique_for_month: str | None = None,
        unique_for_year: str | None = None,
        choices: Any = None,
        help_text: Any = "",
        db_column: str | None = None,
        db_tablespace: str | None = None,
        auto_created: bool = False,
        validators: Any = (),
        error_messages: dict[str, str] | None = None,
        db_comment: str | None = None,
        db_default: Any = NOT_PROVIDED,
    ) -> None:
        self.name: str = name or ""
        self.verbose_name = verbose_name
        self._verbose_name = verbose_name
        self.primary_key = primary_key
        self.max_length = max_length
        self._unique = unique
        self.blank, self.null = blank, null
        self.remote_field = rel
        self.is_relation = self.remote_field is not None
        self.default = default
        self.db_default = db_default
        self.editable = editable
        self.serialize = serialize
        self.unique_for_date = unique_for_date
        self.unique_for_month = unique_for_month
        self.unique_for_year = unique_for_year
        self.choices = normalize_choices(choices)
        self.help_text = help_text
        self.db_index = db_index
        self.db_column = db_column
        self.db_comment = db_comment
        self.db_tablespace = db_tablespace
        self.auto_created = auto_created
        if auto_created:
            self.creation_counter = Field.auto_creation_counter
            Field.auto_creation_counter -= 1
        else:
            self.creation_counter = Field.creation_counter
            Field.creation_counter += 1
        self._validators = list(validators)
        self._declared_validators = list(validators)
        messages: dict[str, str] = {}
        for cls in reversed(type(self).__mro__):
            messages.update(getattr(cls, "default_error_messages", {}))
        messages.update(error_messages or {})
        self._error_messages = error_messages
        self.error_messages = messages
        self.model: Any = None
        self.attname: str = ""
        self.column: str | None = None
        self.concrete = False

    # -- identity ---------------------------------------------------------
    def __str__(self) -> str:
        if not hasattr(self, "model") or self.model is None:
            return super().__str__()
        return f"{self.model._meta.label}.{self.name}"

    def __repr__(self) -> str:
        path = f"{self.__class__.__module__}.{self.__class__.__qualname__}"
        name = getattr(self, "name", None)
        return f"<{path}: {name}>" if name else f"<{path}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Field):
            return self.creation_counter == other.creation_counter and getattr(
                self, "model", None
            ) == getattr(other, "model", None)
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, Field):
            return self.creation_counter < other.creation_counter
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.creation_counter)

    def __deepcopy__(self, memo: dict[int, Any]) -> Field:
        clone = copy.copy(self)
        if self.remote_field is not None:
            clone.remote_field = copy.copy(self.remote_field)
            clone.remote_field.field = clone
        memo[id(self)] = clone
        return clone

    def clone(self) -> Field:
        """Return a new, unbound field built from ``deconstruct()``.

        Nothing is shared with ``self`` (relations included), so the copy can
        join another model class, as historical models in migrations do.
        """
        _name, _path, args, kwargs = self.deconstruct()
        return type(self)(*args, **kwargs)

    #: Extra ``(attribute, keyword, default)`` a subclass adds to deconstruct().
    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = ()
    #: Keyword defaults a subclass's ``__init__`` changes (dropped when equal).
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {}

    _DECONSTRUCT_BASE: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("_verbose_name", "verbose_name", None),
        ("primary_key", "primary_key", False),
        ("max_length", "max_length", None),
        ("_unique", "unique", False),
        ("blank", "blank", False),
        ("null", "null", False),
        ("db_index", "db_index", False),
        ("default", "default", NOT_PROVIDED),
        ("db_default", "db_default", NOT_PROVIDED),
        ("editable", "editable", True),
        ("serialize", "serialize", True),
        ("unique_for_date", "unique_for_date", None),
        ("unique_for_month", "unique_for_month", None),
        ("unique_for_year", "unique_for_year", None),
        ("choices", "choices", None),
        ("help_text", "help_text", ""),
        ("db_column", "db_column", None),
        ("db_comment", "db_comment", None),
        ("db_tablespace", "db_tablespace", None),
        ("auto_created", "auto_created", False),
        ("_declared_validators", "validators", []),
        ("_error_messages", "error_messages", None),
    )

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Return (name, path, args, kwargs) rebuilding this field.

        Only keywords that differ from what the class's ``__init__`` would
        use are returned, so two equal fields deconstruct equally.
        """
        specs = list(self._DECONSTRUCT_BASE)
        defaults: dict[str, Any] = {}
        for klass in reversed(type(self).__mro__):
            specs.extend(klass.__dict__.get("_deconstruct_extra", ()))
            defaults.update(klass.__dict__.get("_deconstruct_defaults", {}))
        kwargs: dict[str, Any] = {}
        for attribute, keyword, default in specs:
            default = defaults.get(keyword, default)
            value = getattr(self, attribute, default)
            if value is default:
                continue
            try:
                same = bool(value == default)
            except Exception:  # an odd __eq__: keep the value
                same = False
            if not same:
                kwargs[keyword] = value
        if isinstance(kwargs.get("choices"), CallableChoiceIterator):
            kwargs["choices"] = list(kwargs["choices"])  # migrations store a list
        path = f"{self.__class__.__module__}.{self.__class__.__qualname__}"
        for module in (
            "manouche.db.models.fields.related",
            "manouche.db.models.fields.json",
            "manouche.db.models.fields",
        ):
            if path.startswith(f"{module}."):
                path = "manouche.db.models" + path[len(module) :]
                break
        return self.name, path, [], kwargs

    # -- properties ---------------------------------------------------------
    @property
    def unique(self) -> bool:
        """Tell whether the column is unique (primary keys are)."""
        return self._unique or self.primary_key

    @property
    def validators(self) -> list[Any]:
        """Return the default validators followed by the field's own."""
        return [*self.default_validators, *self._validators]

    @property
    def flatchoices(self) -> list[tuple[Any, Any]]:
        """Return the choices with option groups flattened."""
        flat: list[tuple[Any, Any]] = []
        for value, label in self.choices or ():
            if isinstance(label, (list, tuple)):
                flat.extend(label)
            else:
                flat.append((value, label))
        return flat

    @property
    def db_returning(self) -> bool:
        """Tell whether the database computes this value on insert."""
        return self.db_default is not NOT_PROVIDED

    def get_internal_type(self) -> str:
        """Return the Django-style type name of this field."""
        return self.__class__.__name__

    # -- model wiring -------------------------------------------------------
    def set_attributes_from_name(self, name: str) -> None:
        """Set name, attname, column and verbose_name from the attribute name."""
        self.name = self.name or name
        self.attname, self.column = self.get_attname_column()
        self.concrete = self.column is not None
        if self.verbose_name is None and self.name:
            self.verbose_name = self.name.replace("_", " ")

    def get_attname(self) -> str:
        """Return the instance attribute holding the raw value."""
        return self.name

    def get_attname_column(self) -> tuple[str, str | None]:
        """Return (attname, column)."""
        attname = self.get_attname()
        return attname, self.db_column or attname

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        """Attach the field to ``cls`` under ``name``."""
        self.set_attributes_from_name(name)
        self.model = cls
        cls._meta.add_field(self, private=private_only)
        if self.column and self.attname not in cls.__dict__:
            setattr(cls, self.attname, self.descriptor_class(self))
        if self.choices is not None and f"get_{self.name}_display" not in cls.__dict__:

            def display(instance: Any, field: Field = self) -> Any:
                return instance._get_FIELD_display(field)

            display.__name__ = f"get_{self.name}_display"
            setattr(cls, f"get_{self.name}_display", display)

    # -- values -------------------------------------------------------------
    def has_default(self) -> bool:
        """Tell whether a Python-side default exists."""
        return self.default is not NOT_PROVIDED

    def has_db_default(self) -> bool:
        """Tell whether a database-side default exists."""
        return self.db_default is not NOT_PROVIDED

    def get_default(self) -> Any:
        """Return the default for a new instance."""
        return self._get_default()

    def _get_default(self) -> Any:
        if self.has_default():
            if callable(self.default):
                return self.default()
            return self.default
        if self.has_db_default():
            from manouche.db.models.expressions import DatabaseDefault

            return DatabaseDefault(self)
        if (
            not self.empty_strings_allowed
            or self.null
            or getattr(self, "_default_none", False)
        ):
            return None
        return ""

    def get_pk_value_on_save(self, instance: Any) -> Any:
        """Return a primary key value for a new row, from the default if any."""
        if self.default is not NOT_PROVIDED:
            return self.get_default()
        return None

    def to_python(self, value: Any) -> Any:
        """Convert ``value`` to this field's Python type or raise ValidationError."""
        return value

    def get_prep_value(self, value: Any) -> Any:
        """Prepare a Python value for use as a query parameter."""
        if isinstance(value, Promise):
            value = value._proxy_cast()  # type: ignore[attr-defined]
        return value

    def get_db_prep_value(
        self, value: Any, connection: Any = None, prepared: bool = False
    ) -> Any:
        """Return the value handed to the column type."""
        return value if prepared else self.get_prep_value(value)

    def get_db_prep_save(self, value: Any, connection: Any = None) -> Any:
        """Return the value written by save()."""
        return self.get_db_prep_value(value, connection, prepared=False)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Return the value to save, after any last-moment change."""
        return getattr(model_instance, self.attname)

    def value_from_object(self, obj: Any) -> Any:
        """Return the field's value on ``obj``."""
        return getattr(obj, self.attname)

    def value_to_string(self, obj: Any) -> str:
        """Return the value of ``obj`` as a string (serializers)."""
        return str(self.value_from_object(obj))

    def save_form_data(self, instance: Any, data: Any) -> None:
        """Set the field's value on ``instance`` from form data."""
        setattr(instance, self.name, data)

    def get_choices(
        self,
        include_blank: bool = True,
        blank_choice: list[tuple[Any, Any]] = BLANK_CHOICE_DASH,
        **kwargs: Any,
    ) -> list[tuple[Any, Any]]:
        """Return choices with an optional blank first entry."""
        choices = list(self.choices or [])
        blank_defined = any(value in ("", None) for value, _ in self.flatchoices)
        if include_blank and not blank_defined:
            return blank_choice + choices
        return choices

    # -- validation ---------------------------------------------------------
    def run_validators(self, value: Any) -> None:
        """Run every validator, collecting all errors."""
        if value in self.empty_values:
            return
        errors: list[ValidationError] = []
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                code = getattr(error, "code", None)
                if code in self.error_messages:
                    error.message = self.error_messages[code]
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def validate(self, value: Any, model_instance: Any) -> None:
        """Check choices, null and blank."""
        if not self.editable:
            return
        if self.choices is not None and value not in self.empty_values:
            for option_key, option_value in self.choices:
                if isinstance(option_value, (list, tuple)):
                    if any(value == key for key, _ in option_value):
                        return
                elif value == option_key:
                    return
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        if value is None and not self.null:
            raise ValidationError(self.error_messages["null"], code="null")
        if not self.blank and value in self.empty_values:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def clean(self, value: Any, model_instance: Any) -> Any:
        """Convert, validate and run validators; return the clean value."""
        value = self.to_python(value)
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    # -- SQLAlchemy ---------------------------------------------------------
    def sa_type(self) -> Any:
        """Return the dialect-independent SQLAlchemy type of the column."""
        raise NotImplementedError(f"{type(self).__name__} has no column type")

    def sa_column_kwargs(self) -> dict[str, Any]:
        """Return keyword arguments for ``sqlalchemy.Column``."""
        kwargs: dict[str, Any] = {
            "nullable": self.null,
            "primary_key": self.primary_key,
            "autoincrement": False,
            "key": self.attname,
        }
        if self._unique and not self.primary_key:
            kwargs["unique"] = True
        if self.db_index and not self.unique:
            kwargs["index"] = True
        if self.db_comment:
            kwargs["comment"] = self.db_comment
        if self.has_db_default():
            kwargs["server_default"] = _server_default(self.db_default)
        return kwargs

    def sa_column(self) -> sa.Column[Any]:
        """Return a new ``sqlalchemy.Column`` for this field."""
        return sa.Column(self.column, self.sa_type(), **self.sa_column_kwargs())

    def select_format(self, compiler: Any, column: Any) -> Any:
        """Return the column as selected (hook for subclasses)."""
        return column

    @property
    def output_field(self) -> Field:
        """Return the field itself: a field's output is itself."""
        return self

    @property
    def cached_col(self) -> Any:
        """Return the column of the model's own table."""
        return self.model._meta.sa_table.c[self.attname]

    def check(self, **kwargs: Any) -> list[Any]:
        """Run the system checks of this field (``fields.*`` ids)."""
        from manouche.db.models._checks import check_field

        return check_field(self, **kwargs)


def _server_default(value: Any) -> Any:
    if hasattr(value, "as_sa_default"):
        return value.as_sa_default()
    if hasattr(value, "value") and not isinstance(value, (str, bytes)):
        value = value.value
    if isinstance(value, bool):
        return sa.text("1" if value else "0")
    if isinstance(value, (int, float, decimal.Decimal)):
        return sa.text(str(value))
    return str(value)


class BooleanField(Field):
    """True or False (None too when null=True)."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be either True or False.",
        "invalid_nullable": "“%(value)s” value must be either True, False, or None.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "default" in kwargs and "null" not in kwargs:
            kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        if not self.has_default() and not self.null:
            self.blank = True

    def to_python(self, value: Any) -> Any:
        if self.null and value in self.empty_values:
            return None
        if value in (True, False):
            return bool(value)
        if value in ("t", "True", "1"):
            return True
        if value in ("f", "False", "0"):
            return False
        code = "invalid_nullable" if self.null else "invalid"
        raise ValidationError(
            self.error_messages[code], code=code, params={"value": value}
        )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Boolean(create_constraint=False)


class NullBooleanField(BooleanField):
    """Deprecated alias: BooleanField(null=True)."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"null": True, "blank": True}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["null"] = True
        kwargs["blank"] = True
        super().__init__(*args, **kwargs)


class CharField(Field):
    """A string with an optional maximum length."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("db_collation", "db_collation", None),
    )

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.ProhibitNullCharactersValidator()]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        return self.to_python(super().get_prep_value(value))

    def sa_type(self) -> Any:
        if self.max_length is None:
            return sa.Text(collation=self.db_collation)
        return sa.String(self.max_length, collation=self.db_collation)


class EmailField(CharField):
    """A CharField checked by EmailValidator."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 254}

    default_validators_extra = [validators.validate_email]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.validate_email, validators.ProhibitNullCharactersValidator()]


class SlugField(CharField):
    """A short label of letters, digits, hyphens and underscores."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("allow_unicode", "allow_unicode", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {
        "max_length": 50,
        "db_index": True,
    }

    def __init__(self, *args: Any, allow_unicode: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("db_index", True)
        self.allow_unicode = allow_unicode
        super().__init__(*args, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        slug = (
            validators.validate_unicode_slug
            if self.allow_unicode
            else validators.validate_slug
        )
        return [slug, validators.ProhibitNullCharactersValidator()]


class URLField(CharField):
    """A CharField checked by URLValidator."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 200}

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        kwargs.setdefault("max_length", 200)
        super().__init__(verbose_name, name, **kwargs)

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.URLValidator(), validators.ProhibitNullCharactersValidator()]


class FilePathField(CharField):
    """A path chosen from a directory (stored as a string)."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("path", "path", ""),
        ("match", "match", None),
        ("recursive", "recursive", False),
        ("allow_files", "allow_files", True),
        ("allow_folders", "allow_folders", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 100}

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        path: Any = "",
        match: str | None = None,
        recursive: bool = False,
        allow_files: bool = True,
        allow_folders: bool = False,
        **kwargs: Any,
    ) -> None:
        self.path, self.match, self.recursive = path, match, recursive
        self.allow_files, self.allow_folders = allow_files, allow_folders
        kwargs.setdefault("max_length", 100)
        super().__init__(verbose_name, name, **kwargs)


class TextField(Field):
    """Unbounded text."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("db_collation", "db_collation", None),
    )

    def __init__(self, *args: Any, db_collation: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.db_collation = db_collation

    @property
    def default_validators(self) -> list[Any]:  # type: ignore[override]
        return [validators.ProhibitNullCharactersValidator()]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return value
        return str(value)

    def get_prep_value(self, value: Any) -> Any:
        return self.to_python(super().get_prep_value(value))

    def sa_type(self) -> Any:
        return sa.Text(collation=self.db_collation).with_variant(
            mysql.LONGTEXT(collation=self.db_collation), "mysql", "mariadb"
        )


class IntegerField(Field):
    """A signed 32-bit integer."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be an integer.",
    }
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

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        try:
            return int(value)
        except (TypeError, ValueError) as error:
            raise error.__class__(
                f"Field '{self.name}' expected a number but got {value!r}."
            ) from error

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


class PositiveIntegerField(IntegerField):
    """A 32-bit integer that is zero or more."""

    min_value = 0


class PositiveSmallIntegerField(SmallIntegerField):
    """A 16-bit integer that is zero or more."""

    min_value = 0


class PositiveBigIntegerField(BigIntegerField):
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


class AutoField(AutoFieldMixin, IntegerField):
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


class FloatField(Field):
    """A double-precision float."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value must be a float.",
    }

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return float(value)

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
                return decimal.Context(
                    prec=self.max_digits or 28
                ).create_decimal_from_float(value)
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

    def sa_type(self) -> Any:
        return _types.Decimal(self.max_digits, self.decimal_places)


class DateTimeCheckMixin:
    """auto_now / auto_now_add handling shared by date and time fields."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("auto_now", "auto_now", False),
        ("auto_now_add", "auto_now_add", False),
    )

    auto_now: bool
    auto_now_add: bool

    def _setup_auto(self, kwargs: dict[str, Any]) -> None:
        self.auto_now = kwargs.pop("auto_now", False)
        self.auto_now_add = kwargs.pop("auto_now_add", False)
        if self.auto_now or self.auto_now_add:
            kwargs["editable"] = False
            kwargs["blank"] = True

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Leave out editable/blank: auto_now(_add) implies them."""
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.auto_now or self.auto_now_add:
            kwargs.pop("editable", None)
            kwargs.pop("blank", None)
        return name, path, args, kwargs

    def _now(self) -> Any:
        raise NotImplementedError

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Stamp auto_now/auto_now_add fields."""
        if self.auto_now or (self.auto_now_add and add):
            value = self._now()
            setattr(model_instance, self.attname, value)  # type: ignore[attr-defined]
            return value
        return super().pre_save(model_instance, add)  # type: ignore[misc]


class DateField(DateTimeCheckMixin, Field):
    """A calendar date."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid date format. It must be in "
        "YYYY-MM-DD format.",
        "invalid_date": "“%(value)s” value has the correct format (YYYY-MM-DD) "
        "but it is an invalid date.",
    }

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        self._setup_auto(kwargs)
        super().__init__(verbose_name, name, **kwargs)

    def _now(self) -> Any:
        from manouche.utils import timezone

        return timezone.localdate() if _use_tz() else datetime.date.today()

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            if _use_tz() and value.tzinfo is not None:
                from manouche.utils import timezone

                value = timezone.make_naive(value, timezone.get_default_timezone())
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(str(value))
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid_date"],
                code="invalid_date",
                params={"value": value},
            )
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Date()


def _use_tz() -> bool:
    from manouche.conf import settings

    return bool(settings.USE_TZ)


class DateTimeField(DateField):
    """A date and time; timezone-aware when USE_TZ is on."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.",
        "invalid_datetime": "“%(value)s” value has the correct format but it is "
        "an invalid date/time.",
    }

    def _now(self) -> Any:
        from manouche.utils import timezone

        return timezone.now()

    def to_python(self, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, datetime.datetime):
            return value
        if isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
            if _use_tz():
                from manouche.utils import timezone

                value = timezone.make_aware(value, timezone.get_default_timezone())
            return value
        try:
            parsed = parse_datetime(str(value))
            if parsed is None:
                date = parse_date(str(value))
                if date is not None:
                    parsed = datetime.datetime(date.year, date.month, date.day)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid_datetime"],
                code="invalid_datetime",
                params={"value": value},
            )
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> Any:
        value = Field.get_prep_value(self, value)
        if value is None or hasattr(value, "as_sa"):
            return value
        value = self.to_python(value)
        if _use_tz() and value.tzinfo is None:
            from manouche.utils import timezone

            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value

    def sa_type(self) -> Any:
        return _types.AwareDateTime()


class TimeField(DateTimeCheckMixin, Field):
    """A time of day."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "HH:MM[:ss[.uuuuuu]] format.",
    }

    def __init__(
        self, verbose_name: Any = None, name: str | None = None, **kwargs: Any
    ):
        self._setup_auto(kwargs)
        super().__init__(verbose_name, name, **kwargs)

    def _now(self) -> Any:
        return datetime.datetime.now().time()

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.time):
            return value
        if isinstance(value, datetime.datetime):
            return value.time()
        try:
            parsed = parse_time(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return _types.PreciseTime()


class DurationField(Field):
    """A timedelta."""

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” value has an invalid format. It must be in "
        "[DD] [[HH:]MM:]ss[.uuuuuu] format.",
    }

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, datetime.timedelta):
            return value
        parsed = parse_duration(str(value))
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def sa_type(self) -> Any:
        return _types.Duration()


class BinaryField(Field):
    """Raw bytes."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"editable": False}

    empty_values: ClassVar[list[Any]] = [None, b""]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self._validators.append(validators.MaxLengthValidator(self.max_length))

    def get_default(self) -> Any:
        if self.has_default() and not callable(self.default):
            return self.default
        default = super().get_default()
        return b"" if default == "" else default

    def to_python(self, value: Any) -> Any:
        if isinstance(value, memoryview):
            return bytes(value)
        if isinstance(value, str):
            import base64

            return base64.b64decode(value.encode("ascii"))
        return value

    def sa_type(self) -> Any:
        return sa.LargeBinary().with_variant(mysql.LONGBLOB(), "mysql", "mariadb")


class UUIDField(Field):
    """A UUID: native on PostgreSQL, 32 hex characters elsewhere."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 32}

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "“%(value)s” is not a valid UUID.",
    }

    def __init__(self, verbose_name: Any = None, **kwargs: Any) -> None:
        kwargs["max_length"] = 32
        super().__init__(verbose_name, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value is not None and not isinstance(value, uuid.UUID):
            try:
                if isinstance(value, int):
                    return uuid.UUID(int=value)
                return uuid.UUID(str(value))
            except (AttributeError, ValueError):
                raise ValidationError(
                    self.error_messages["invalid"],
                    code="invalid",
                    params={"value": value},
                )
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or hasattr(value, "as_sa"):
            return value
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.Uuid()


class GenericIPAddressField(Field):
    """An IPv4 or IPv6 address stored as text."""

    _deconstruct_extra: ClassVar[tuple[tuple[str, str, Any], ...]] = (
        ("protocol", "protocol", "both"),
        ("unpack_ipv4", "unpack_ipv4", False),
    )
    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"max_length": 39}

    empty_strings_allowed = False

    def __init__(
        self,
        verbose_name: Any = None,
        name: str | None = None,
        protocol: str = "both",
        unpack_ipv4: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.protocol, self.unpack_ipv4 = protocol, unpack_ipv4
        kwargs["max_length"] = 39
        super().__init__(verbose_name, name, *args, **kwargs)
        chosen = {
            "both": validators.validate_ipv46_address,
            "ipv4": validators.validate_ipv4_address,
            "ipv6": validators.validate_ipv6_address,
        }[protocol.lower()]
        self._validators.insert(0, chosen)

    def to_python(self, value: Any) -> Any:
        if value is None:
            return None
        value = str(value).strip()
        if ":" in value:
            import ipaddress

            try:
                address = ipaddress.IPv6Address(value)
            except ValueError:
                return value
            if self.unpack_ipv4 and address.ipv4_mapped is not None:
                return str(address.ipv4_mapped)
            return str(address)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return self.to_python(value)

    def sa_type(self) -> Any:
        return sa.String(39)


class IPAddressField(GenericIPAddressField):
    """Removed in Django; kept as an IPv4-only alias."""

    _deconstruct_defaults: ClassVar[dict[str, Any]] = {"protocol": "ipv4"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["protocol"] = "ipv4"
        super().__init__(*args, **kwargs)


# Defined in their own modules, which build on the classes above.
from manouche.db.models.fields.files import FileField, ImageField  # noqa: E402
from manouche.db.models.fields.generated import GeneratedField  # noqa: E402

__all__ += ["FileField", "GeneratedField", "ImageField"]
