"""Meta.indexes: ``Index`` on fields or expressions, optionally partial."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from manouche.db.models.query_utils import Q

__all__ = ["Index"]


_PARTIAL_DIALECTS = frozenset({"sqlite", "postgresql"})


def require_features(item: Any, features: set[str]) -> Any:
    """Mark an index as needing backend features (partial, expressions).

    The schema editor reads ``info["manouche_required_features"]`` and skips
    what the connection cannot build; ``create_all`` honours ``ddl_if``.
    """
    if not features:
        return item
    item.info["manouche_required_features"] = frozenset(features)

    def supported(ddl: Any, target: Any, bind: Any, **kwargs: Any) -> bool:
        dialect = kwargs.get("dialect") or getattr(bind, "dialect", None)
        return getattr(dialect, "name", "") in _PARTIAL_DIALECTS

    item.ddl_if(callable_=supported)
    return item


class Index:
    """A database index on fields (``-name`` for descending) or expressions."""

    suffix = "idx"
    max_name_length = 30

    def __init__(
        self,
        *expressions: Any,
        fields: tuple[str, ...] | list[str] = (),
        name: str | None = None,
        db_tablespace: str | None = None,
        opclasses: tuple[str, ...] = (),
        condition: Q | None = None,
        include: tuple[str, ...] | None = None,
    ) -> None:
        if not isinstance(fields, (list, tuple)):
            raise ValueError("Index.fields must be a list or tuple.")
        if fields and expressions:
            raise ValueError("Index.fields and expressions are mutually exclusive.")
        if not fields and not expressions:
            raise ValueError(
                "At least one field or expression is required to define an index."
            )
        if expressions and not name:
            raise ValueError("An index must be named to use expressions.")
        if condition is not None and not name:
            raise ValueError("An index must be named to use condition.")
        if condition is not None and not isinstance(condition, Q):
            raise ValueError("Index.condition must be a Q instance.")
        self.fields = list(fields)
        self.fields_orders = [
            (name[1:], "DESC") if name.startswith("-") else (name, "")
            for name in self.fields
        ]
        self.name = name or ""
        self.db_tablespace = db_tablespace
        self.opclasses = opclasses
        self.condition = condition
        self.include = tuple(include or ())
        self.expressions = expressions

    def clone(self) -> Index:
        """Return a copy."""
        copy = Index.__new__(Index)
        copy.__dict__.update(self.__dict__)
        copy.fields = list(self.fields)
        return copy

    def deconstruct(self) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
        """Return (path, args, kwargs)."""
        kwargs: dict[str, Any] = {"name": self.name}
        if self.fields:
            kwargs["fields"] = self.fields
        if self.condition is not None:
            kwargs["condition"] = self.condition
        if self.db_tablespace is not None:
            kwargs["db_tablespace"] = self.db_tablespace
        if self.opclasses:
            kwargs["opclasses"] = self.opclasses
        if self.include:
            kwargs["include"] = self.include
        return "manouche.db.models.Index", self.expressions, kwargs

    def set_name_with_model(self, model: Any) -> None:
        """Generate ``<table>_<columns>_<hash>_idx`` (at most 30 characters)."""
        table = model._meta.db_table
        columns = [model._meta.get_field(name).column for name, _ in self.fields_orders]
        digest = hashlib.md5(
            "".join([table, *columns, self.suffix]).encode(), usedforsecurity=False
        ).hexdigest()[:8]
        name = f"{table[:11]}_{columns[0][:7]}_{digest}_{self.suffix}"
        self.name = name[: self.max_name_length]

    def as_sa(self, model: Any, table: sa.Table) -> sa.Index:
        """Attach and return the SQLAlchemy Index for ``model``'s table."""
        from manouche.db.models.sql.compiler import SQLCompiler
        from manouche.db.models.sql.query import Query

        compiler = SQLCompiler(Query(model), None, for_update_statement=True)
        elements: list[Any] = []
        for name, order in self.fields_orders:
            column = table.c[model._meta.get_field(name).attname]
            elements.append(column.desc() if order else column)
        for expression in self.expressions:
            elements.append(compiler.compile_expression(expression))
        kwargs: dict[str, Any] = {}
        if self.condition is not None:
            where = compiler.compile_condition(self.condition)
            kwargs["sqlite_where"] = where
            kwargs["postgresql_where"] = where
        if self.include:
            kwargs["postgresql_include"] = [
                model._meta.get_field(n).column for n in self.include
            ]
        index: sa.Index = sa.Index(self.name or None, *elements, **kwargs)
        requires = set()
        if self.condition is not None:
            requires.add("supports_partial_indexes")
        if self.expressions:
            requires.add("supports_expression_indexes")
        require_features(index, requires)
        return index

    def __repr__(self) -> str:
        return f"<Index: fields={self.fields!r} name={self.name!r}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Index):
            return NotImplemented
        return self.deconstruct() == other.deconstruct()

    def __hash__(self) -> int:
        return hash(self.name)
