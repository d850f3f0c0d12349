"""The Field base class and the markers every field module shares."""

from __future__ import annotations

import copy
import decimal
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.core import validators
from manouche.core.exceptions import ValidationError
from manouche.db.models.fields._db_api import FieldDatabaseAPI
from manouche.db.models.query_utils import DeferredAttribute, RegisterLookupMixin
from manouche.utils.choices import CallableChoiceIterator, normalize_choices
from manouche.utils.functional import Promise


class Empty:
    """Placeholder class for instances created without __init__."""


class NOT_PROVIDED:
    """Marker for 'no default given'."""


BLANK_CHOICE_DASH = [("", "---------")]


class Field(FieldDatabaseAPI, RegisterLookupMixin):
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
        "unique_for_date": (
            "%(field_label)s must be unique for %(date_field_label)s %(lookup_type)s."
        ),
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
        self.choices = choices
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
        # Copies inherited from an abstract model share the counter: the
        # model (none first, then app label and name) orders them.
        if isinstance(other, Field):
            return _sort_key(self) < _sort_key(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.creation_counter)

    def __copy__(self) -> Field:
        # Spelled out so that copying never goes through __reduce_ex__,
        # which pickles a model's field as a reference to itself.
        clone = type(self).__new__(type(self))
        clone.__dict__.update(self.__dict__)
        return clone

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickle a field of an installed model as a reference to that field.

        Unpickling then gives the model's own field (and its storage, choices
        and so on), not a detached copy. Other fields pickle by value.
        """
        model = self.__dict__.get("model")
        name = self.__dict__.get("name")
        if model is not None and name and _is_registered(model):
            opts = model._meta
            return _load_field, (opts.app_label, opts.object_name, name)
        return super().__reduce_ex__(protocol)

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
    def choices(self) -> Any:
        """Return the normalized choices (None when the field has none)."""
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        # Choices assigned after construction (a dict, an enum) normalize too.
        self._choices = normalize_choices(value)

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
        """Return the value written by save().

        A model instance only fits a relation; anywhere else it is a mistake
        worth a clear message rather than the converter's own error.
        """
        if not self.is_relation and _is_model_instance(value):
            raise TypeError(
                f"Tried to update field {self} with a model instance, {value!r}. "
                f"Use a value compatible with {type(self).__name__}."
            )
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
        """Return choices with an optional blank first entry.

        A relation without declared choices offers the related model's rows,
        narrowed by ``limit_choices_to`` and sorted by ``ordering``.
        """
        if self.choices is None and self.remote_field is not None:
            return _related_choices(self, include_blank, blank_choice, **kwargs)
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

    def check(self, **kwargs: Any) -> list[Any]:
        """Run the system checks of this field (``fields.*`` ids)."""
        from manouche.db.models._checks import check_field

        return check_field(self, **kwargs)


def _sort_key(field: Field) -> tuple[int, int, str, str]:
    model = getattr(field, "model", None)
    if model is None:
        return field.creation_counter, 0, "", ""
    opts = model._meta
    return field.creation_counter, 1, opts.app_label, opts.model_name


def _related_choices(
    field: Any,
    include_blank: bool,
    blank_choice: list[tuple[Any, Any]],
    limit_choices_to: Any = None,
    ordering: Any = (),
) -> list[tuple[Any, Any]]:
    if limit_choices_to is None:
        limit_choices_to = field.get_limit_choices_to()
    if field.many_to_many:
        # The value a through row stores: the target's key or its to_field.
        target = field.remote_field.get_related_field()
    else:
        target = getattr(field, "target_field", None)
    attname = target.attname if target is not None else "pk"
    model = field.related_model
    rows = model._default_manager.complex_filter(limit_choices_to)
    ordering = ordering or model._meta.ordering
    if ordering:
        rows = rows.order_by(*ordering)
    choices = [(getattr(row, attname), str(row)) for row in rows]
    return (list(blank_choice) if include_blank else []) + choices


def _is_model_instance(value: Any) -> bool:
    meta = getattr(type(value), "_meta", None)
    return meta is not None and hasattr(value, "_state") and hasattr(meta, "pk")


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


def _is_registered(model: Any) -> bool:
    """Whether ``model`` is the class the global app registry returns."""
    from manouche.apps import apps

    opts = model._meta
    try:
        found = apps.get_registered_model(opts.app_label, opts.model_name)
    except LookupError:
        return False
    return found is model


def _load_field(app_label: str, model_name: str, field_name: str) -> Any:
    """Unpickle a field reference (see ``Field.__reduce_ex__``)."""
    from manouche.apps import apps

    return apps.get_model(app_label, model_name)._meta.get_field(field_name)
