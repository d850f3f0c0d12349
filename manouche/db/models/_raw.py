"""RawQuerySet: rows of hand-written SQL (``%s`` parameters) as instances."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from manouche.db.models._io import Execute, Operation, arun, run
from manouche.db.models._prefetch import _prefetch_operation
from manouche.db.models.sql.query import RawQuery

__all__ = ["RawQuerySet"]


class RawQuerySet:
    """Rows of a raw SQL query mapped onto model instances."""

    def __init__(
        self,
        raw_query: str,
        model: Any = None,
        query: Any = None,
        params: Sequence[Any] = (),
        translations: dict[str, str] | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.raw_query = raw_query
        self.model = model
        self._db = using
        # Positional ``%s`` parameters, or a mapping for ``%(name)s`` ones.
        self.params: Any = (
            dict(params) if isinstance(params, Mapping) else tuple(params or ())
        )
        self.translations = translations or {}
        self.query = (
            query if query is not None else _RawStatement(raw_query, self.params)
        )
        self._result_cache: list[Any] | None = None
        self._prefetch_related_lookups: tuple[Any, ...] = ()

    @property
    def db(self) -> str:
        """Return the database alias."""
        from manouche.db import router

        return self._db or router.db_for_read(self.model)

    def _statement(self) -> Any:
        if isinstance(self.params, dict):
            return _named_statement(self.raw_query, self.params)
        pieces = self.raw_query.replace("%%", "\x00").split("%s")
        if len(pieces) - 1 != len(self.params):
            raise ValueError("raw(): the number of %s placeholders and params differ.")
        text = pieces[0].replace(":", "\\:")
        binds = {}
        for index, piece in enumerate(pieces[1:]):
            name = f"p{index}"
            binds[name] = self.params[index]
            text += f":{name}" + piece.replace(":", "\\:")
        return sa.text(text.replace("\x00", "%")).bindparams(**binds)

    def _typed_statement(self) -> Any:
        """The statement, with the model's column types for matching names.

        Result columns named like a field's column (or translated to one) are
        read through that column's type, so raw rows hold the same Python
        values as ORM queries (dates, decimals, booleans, JSON).
        """
        statement = self._statement()
        if self.model is None:
            return statement
        opts = self.model._meta
        table = opts.sa_table
        types: dict[str, Any] = {}
        by_name: dict[str, Any] = {}
        for field in opts.concrete_fields:
            # Inherited fields live in their own model's table.
            owner = table if field.model is self.model else field.model._meta.sa_table
            column_type = owner.c[field.attname].type
            by_name[field.column] = by_name[field.attname] = column_type
        types.update(by_name)
        for raw_name, name in self.translations.items():
            if name in by_name:
                types[raw_name] = by_name[name]
        return statement.columns(**types)

    def _fetch_operation(self) -> Operation:
        result = yield Execute(self.db, self._typed_statement())
        self.query.cursor = result
        opts = self.model._meta
        columns = [self.translations.get(key, key) for key in result.keys]
        by_column = {f.column: f.attname for f in opts.concrete_fields}
        by_column.update({f.attname: f.attname for f in opts.concrete_fields})
        names = [by_column.get(column, column) for column in columns]
        if opts.pk.attname not in names:
            from manouche.core.exceptions import FieldDoesNotExist as Missing

            raise Missing("Raw query must include the primary key")
        field_positions = [
            (i, n) for i, n in enumerate(names) if n in opts._concrete_attnames
        ]
        extra_positions = [
            (i, n) for i, n in enumerate(names) if n not in opts._concrete_attnames
        ]
        attnames = [n for _, n in field_positions]
        objects = []
        for row in result.rows:
            obj = self.model.from_db(
                self.db, attnames, [row[i] for i, _ in field_positions]
            )
            for index, name in extra_positions:
                setattr(obj, name, row[index])
            objects.append(obj)
        if self._prefetch_related_lookups and objects:
            yield from _prefetch_operation(objects, self._prefetch_related_lookups)
        return objects

    def prefetch_related(self, *lookups: Any) -> RawQuerySet:
        """Prefetch relations of the raw rows."""
        clone = RawQuerySet(
            self.raw_query,
            self.model,
            params=self.params,
            translations=self.translations,
            using=self._db,
        )
        clone._prefetch_related_lookups = self._prefetch_related_lookups + lookups
        return clone

    def __iter__(self) -> Iterator[Any]:
        if self._result_cache is None:
            self._result_cache = run(self._fetch_operation())
        return iter(self._result_cache)

    def __aiter__(self) -> AsyncIterator[Any]:
        async def generator() -> AsyncIterator[Any]:
            if self._result_cache is None:
                self._result_cache = await arun(self._fetch_operation())
            for item in self._result_cache:
                yield item

        return generator()

    def __len__(self) -> int:
        return len(list(iter(self)))

    def __getitem__(self, k: Any) -> Any:
        return list(self)[k]

    def __repr__(self) -> str:
        return f"<RawQuerySet: {self.query}>"

    def iterator(self) -> Iterator[Any]:
        """Iterate the raw rows, running the query again (nothing is cached)."""
        if self._result_cache is not None:
            return iter(self._result_cache)
        return iter(run(self._fetch_operation()))

    @property
    def columns(self) -> list[str]:
        """Return the query's column names."""
        result = run(_execute_only(self.db, self._statement()))
        return list(result.keys)


class _RawStatement(RawQuery):
    """The SQL and parameters of a raw query set, shown with values filled in.

    ``cursor`` holds the last result once the query has run: a raw query set
    is lazy and does not touch the database before it is iterated.
    """

    cursor: Any = None

    def __init__(self, sql: str, params: Any) -> None:
        super().__init__(sql, "", params=params)

    def __str__(self) -> str:
        params = self.params
        try:
            if isinstance(params, Mapping):
                return self.sql % dict(params)
            return self.sql % tuple(params)
        except (TypeError, ValueError, KeyError):
            return self.sql

    def __repr__(self) -> str:
        return f"<RawQuery: {self}>"


_NAMED = re.compile(r"%\((\w+)\)s|%%")


def _named_statement(sql: str, params: dict[str, Any]) -> Any:
    """``%(name)s`` placeholders bound from ``params`` (``%%``: a percent sign)."""
    used: dict[str, Any] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in params:
            raise KeyError(f"raw(): no parameter named {name!r}")
        used[name] = params[name]
        return f":{name}"

    text = _NAMED.sub(replace, sql.replace(":", "\\:"))
    return sa.text(text).bindparams(**used)


def _execute_only(using: str, statement: Any) -> Operation:
    result = yield Execute(using, statement)
    return result
