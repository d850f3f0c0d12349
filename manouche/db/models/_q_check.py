"""Evaluate a condition against given values, in the database (``Q.check()``).

Model validation needs to know whether an unsaved instance satisfies a
``CheckConstraint`` condition, and the database is the only evaluator that
agrees with itself (collations, functions, NULL logic). The condition is
compiled with every field name standing for the supplied value, and run as
``SELECT COALESCE(condition, TRUE)``: no table is read, and a condition that is
unknown (NULL) passes, as a SQL CHECK constraint does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from manouche.core.exceptions import FieldError
from manouche.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from manouche.db.models.expressions import Value
from manouche.db.models.sql.compiler import SQLCompiler
from manouche.db.models.sql.query import Query

__all__ = ["check_condition", "instance_values"]

logger = logging.getLogger("manouche.db.models")


class _Given(Value):
    """A supplied value; None is a typed NULL parameter that compares like one."""

    def as_sa(self, compiler: Any) -> Any:
        if self.value is None:
            return sa.bindparam(None, None, type_=self.sa_type() or sa.types.NullType())
        return super().as_sa(compiler)


class _ValuesCompiler(SQLCompiler):
    """A compiler where names resolve to values only (no table, no joins)."""

    def __init__(self, values: Mapping[str, Any], connection: Any) -> None:
        query = Query(None)
        query.annotations = dict(values)
        self.query = query
        self.connection = connection
        self.parent = None
        self.root = None
        self.for_update_statement = False
        self.joins = {}
        self._annotation_cache = {}
        self.klass_info = None
        self.annotation_positions = []
        self.values_count = 0
        self._join_scope = None

    def setup_path(self, names: list[str], allow_annotations: bool = True) -> Any:
        raise FieldError(
            f"Cannot resolve keyword '{names[0]}' into field. Choices are: "
            f"{', '.join(sorted(self.query.annotations))}"
        )

    def _is_multivalued(self, q: Any) -> bool:
        return False


def check_condition(
    condition: Any, against: Mapping[str, Any], using: str = DEFAULT_DB_ALIAS
) -> bool:
    """Tell whether ``condition`` holds when its names take ``against``'s values.

    A database error (a RawSQL fragment naming a column, say) cannot be
    decided: it is logged and the condition counts as satisfied.
    """
    values = {
        name: value if hasattr(value, "as_sa") else _Given(value)
        for name, value in against.items()
    }
    connection = connections[using]
    compiled = _ValuesCompiler(values, connection).compile_condition(condition)
    statement = sa.select(sa.func.coalesce(compiled, sa.true()).label("holds"))
    try:
        with transaction.atomic(using=using):
            rows = connection.execute(statement).rows
    except DatabaseError as error:
        logger.warning(
            "Got a database error calling check() on %r: %s", condition, error
        )
        return True
    return bool(rows) and bool(rows[0][0])


def instance_values(model: Any, instance: Any, exclude: Any = None) -> dict[str, Any]:
    """Map field names (and attnames, and ``pk``) to ``instance``'s values.

    Each value carries its field as output type, so lookups and functions
    see the same types as they would reading the column.
    """
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if exclude and field.name in exclude:
            continue
        if getattr(field, "generated", False):
            continue
        value = _Given(getattr(instance, field.attname), output_field=field)
        values[field.name] = value
        values[field.attname] = value
        if field.primary_key:
            values["pk"] = value
    return values
