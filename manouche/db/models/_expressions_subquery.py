"""Subquery and Exists expressions: split out of expressions.py by concept."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from manouche.db.models.expressions import Expression


class Subquery(Expression):
    """A scalar subquery built from a QuerySet (one column)."""

    def __init__(self, queryset: Any, output_field: Any = None, **extra: Any):
        super().__init__(output_field=output_field)
        query = getattr(queryset, "query", queryset)
        self._source_id = id(query)
        if hasattr(query, "clone"):
            # A copy marked as nested; the QuerySet's own query is unchanged.
            query = query.clone()
            query.subquery = True
        self.query = query
        self.extra = extra

    def _resolve_output_field(self) -> Any:
        return self.query.output_field_of_single_column()

    def inner_select(self, compiler: Any) -> Any:
        """Return the compiled inner SELECT."""
        return compiler.compile_subquery(self.query)

    def as_sa(self, compiler: Any) -> Any:
        select = self.inner_select(compiler)
        scalar = select.scalar_subquery()
        type_ = self.sa_type()
        return sa.type_coerce(scalar, type_) if type_ is not None else scalar

    @property
    def identity(self) -> tuple[Any, ...]:
        return (type(self), self._source_id)


class Exists(Subquery):
    """``EXISTS (subquery)``: a boolean condition."""

    def __init__(self, queryset: Any, **kwargs: Any) -> None:
        from manouche.db.models.fields import BooleanField

        super().__init__(queryset, output_field=BooleanField(), **kwargs)
        self.query = self.query.exists_query()
        self._source_id = id(self.query)

    def as_sa(self, compiler: Any) -> Any:
        return sa.exists(self.inner_select(compiler))

    @property
    def conditional(self) -> bool:
        return True
