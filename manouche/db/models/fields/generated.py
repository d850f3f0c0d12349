"""GeneratedField: a column the database computes from the row's other columns.

The expression is compiled by the ORM's expression compiler when the DDL is
rendered, so the SQL matches the backend the table is created on. The field
is never written by the ORM; its value is read back after every save.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement

from manouche.core.exceptions import FieldError
from manouche.db.models.fields import NOT_PROVIDED, Field
from manouche.db.models.query_utils import DeferredAttribute

__all__ = [
    "GeneratedField",
    "GeneratedFieldDescriptor",
    "generated_fields",
    "refresh_generated_fields",
]

_VENDORS = {"mariadb": "mysql", "mysql": "mysql", "postgresql": "postgresql"}


class GeneratedFieldDescriptor(DeferredAttribute):
    """Read the database-computed value; refuse assignment and unsaved reads."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        if self.field.attname not in instance.__dict__ and instance._state.adding:
            raise AttributeError("Cannot read a generated field from an unsaved model.")
        return super().__get__(instance, cls)

    def __set__(self, instance: Any, value: Any) -> None:
        raise AttributeError(
            f"Cannot assign to the generated field '{self.field.name}' of "
            f"{type(instance).__name__}: the database computes its value."
        )


class _GenerationSQL(ColumnElement[Any]):
    """The generation expression, compiled for the dialect rendering the DDL."""

    inherit_cache = False

    def __init__(self, field: GeneratedField) -> None:
        self.field = field
        self.type = sa.types.NullType()


@compiles(_GenerationSQL)
def _compile_generation(element: _GenerationSQL, compiler: Any, **kw: Any) -> str:
    vendor = _VENDORS.get(compiler.dialect.name, "sqlite")
    return str(compiler.process(element.field.sa_expression(vendor), **kw))


class _Computed(sa.Computed):
    """``Computed`` that names the field when PostgreSQL cannot build it."""

    inherit_cache = False

    def __init__(self, field: GeneratedField) -> None:
        super().__init__(_GenerationSQL(field), persisted=field.db_persist)
        self.field = field


@compiles(_Computed, "postgresql")
def _compile_computed_postgresql(element: _Computed, compiler: Any, **kw: Any) -> str:
    if not element.field.db_persist and not getattr(
        compiler.dialect, "supports_virtual_generated_columns", False
    ):
        from manouche.db.utils import NotSupportedError

        raise NotSupportedError(
            f"PostgreSQL does not support non-persisted GeneratedField "
            f"'{element.field}': use db_persist=True."
        )
    return str(compiler.visit_computed_column(element, **kw))


class _VendorOnly:
    """The one thing the expression compiler asks a connection while compiling DDL."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor


class GeneratedField(Field):
    """A column computed by the database (``GENERATED ALWAYS AS (...)``).

    ``db_persist=True`` stores the value (STORED); ``False`` computes it on
    read (VIRTUAL, not available on PostgreSQL before 18).
    """

    generated = True
    descriptor_class = GeneratedFieldDescriptor

    def __init__(
        self,
        *,
        expression: Any,
        output_field: Field,
        db_persist: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.setdefault("editable", False):
            raise ValueError("GeneratedField cannot be editable.")
        if not kwargs.setdefault("blank", True):
            raise ValueError("GeneratedField must be blank.")
        if kwargs.get("default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a default.")
        if kwargs.get("db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            raise ValueError("GeneratedField cannot have a database default.")
        if db_persist not in (True, False):
            raise ValueError("GeneratedField.db_persist must be True or False.")
        if not hasattr(expression, "as_sa"):
            raise TypeError(
                f"GeneratedField.expression must be an expression, not "
                f"{type(expression).__name__}."
            )
        if not isinstance(output_field, Field) or isinstance(
            output_field, GeneratedField
        ):
            raise TypeError("GeneratedField.output_field must be a model field.")
        self.expression = expression
        self._generated_output = output_field
        self.db_persist = db_persist
        super().__init__(**kwargs)

    @property
    def output_field(self) -> Field:
        """Return the field describing the computed values."""
        return self._generated_output

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False
    ) -> None:
        """Attach the field and let the output field see its model."""
        super().contribute_to_class(cls, name, private_only)
        self._generated_output.model = cls
        self._generated_output.name = self._generated_output.name or name

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        """Rebuild from expression, output_field and db_persist."""
        name, _path, args, kwargs = super().deconstruct()
        for implied in ("editable", "blank"):
            kwargs.pop(implied, None)
        kwargs["expression"] = self.expression
        kwargs["output_field"] = self._generated_output.clone()
        kwargs["db_persist"] = self.db_persist
        return name, "manouche.db.models.GeneratedField", args, kwargs

    def get_internal_type(self) -> str:
        """Return the output field's type name (what the column holds)."""
        return str(self._generated_output.get_internal_type())

    # -- values: the output field's ---------------------------------------------
    def get_default(self) -> Any:
        """Leave the attribute unset: the database computes it."""
        from manouche.db.models.base import DEFERRED

        return DEFERRED

    def to_python(self, value: Any) -> Any:
        """Convert like the output field."""
        return self._generated_output.to_python(value)

    def get_prep_value(self, value: Any) -> Any:
        """Prepare query values like the output field."""
        return self._generated_output.get_prep_value(value)

    def get_db_prep_value(
        self, value: Any, connection: Any = None, prepared: bool = False
    ) -> Any:
        """Prepare query values like the output field."""
        return self._generated_output.get_db_prep_value(value, connection, prepared)

    def get_lookup(self, lookup_name: str) -> Any:
        """Use the output field's lookups (``year`` on a date, ...)."""
        return self._generated_output.get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        """Use the output field's transforms."""
        return self._generated_output.get_transform(lookup_name)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        """Refuse to write: the ORM never sends a generated column's value."""
        raise FieldError(f"The generated field '{self}' cannot be saved.")

    @property
    def backend_range(self) -> Any:
        """The output field's ``backend_range`` (integers only, else None).

        Lets lookups decide out-of-range integers without the database, as
        on the output field itself.
        """
        return getattr(self._generated_output, "backend_range", None)

    def db_type_parameters(self, connection: Any) -> dict[str, Any]:
        """The output field's (its ``max_length``...): the column is of its type."""
        return self._generated_output.db_type_parameters(connection)

    def db_parameters(self, connection: Any) -> dict[str, Any]:
        """The output field's column type and collation, without a CHECK."""
        parameters = dict(self._generated_output.db_parameters(connection))
        parameters["check"] = None
        return parameters

    # -- SQLAlchemy ------------------------------------------------------------
    def sa_type(self) -> Any:
        """Return the output field's column type."""
        return self._generated_output.sa_type()

    def sa_column(self) -> sa.Column[Any]:
        """Return a column ``GENERATED ALWAYS AS (expression)``."""
        kwargs = self.sa_column_kwargs()
        # Expressions may yield NULL; MariaDB refuses NULL/NOT NULL here.
        kwargs["nullable"] = True
        kwargs.pop("server_default", None)
        return sa.Column(self.column, self.sa_type(), _Computed(self), **kwargs)

    def sa_expression(self, vendor: str) -> Any:
        """Compile the expression against the model's own table for ``vendor``."""
        from manouche.db.models.sql.compiler import SQLCompiler
        from manouche.db.models.sql.query import Query

        compiler = SQLCompiler(
            Query(self.model), _VendorOnly(vendor), for_update_statement=True
        )
        compiled = compiler.compile_expression(self.expression)
        if compiler.joins:
            raise FieldError(
                f"GeneratedField '{self}' cannot refer to fields of other models."
            )
        return compiled


def generated_fields(opts: Any) -> list[Any]:
    """Return the model's own generated fields (cached on its Options)."""
    found: list[Any] | None = opts.__dict__.get("_manouche_generated_fields")
    if found is None:
        found = [f for f in opts.local_concrete_fields if f.generated]
        opts.__dict__["_manouche_generated_fields"] = found
    return found


def refresh_generated_fields(
    instance: Any, cls: Any, using: str
) -> Generator[Any, Any, None]:
    """Read the generated columns of ``cls``'s table back into ``instance``.

    A generator of ORM operations (``yield from`` it inside a save operation).
    """
    from manouche.db.models._io import Execute

    fields = generated_fields(cls._meta)
    if not fields:
        return
    table = cls._meta.sa_table
    pk = cls._meta.pk
    statement = sa.select(*(table.c[f.attname] for f in fields)).where(
        table.c[pk.attname] == pk.get_db_prep_value(getattr(instance, pk.attname))
    )
    result = yield Execute(using, statement)
    if result.rows:
        for field, value in zip(fields, result.rows[0], strict=True):
            instance.__dict__[field.attname] = value
