"""QuerySet core: state, cloning, fetching and the Python protocols (len, iter...)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Self

from manouche.db import DEFAULT_DB_ALIAS, connections, router
from manouche.db.models._io import Execute, Operation, arun, run
from manouche.db.models._iterables import ModelIterable, build_results
from manouche.db.models._prefetch import (
    _prefetch_operation,
)
from manouche.db.models.sql._conditions import NO_ROWS, returns_no_rows
from manouche.db.models.sql._fast import fast_statement
from manouche.db.models.sql.compiler import SQLCompiler
from manouche.db.models.sql.query import Query

if TYPE_CHECKING:
    from manouche.db.models.query import QuerySet

REPR_OUTPUT_SIZE = 20


def _connection(using: str) -> Any:
    return connections[using]


class QuerySetCore:
    """Hold a QuerySet's state; clone it; fetch and cache its rows."""

    if TYPE_CHECKING:
        # Chaining methods live on QuerySet (query.py); the mixins call them.
        @property
        def ordered(self) -> bool: ...
        def filter(self, *args: Any, **kwargs: Any) -> QuerySet: ...
        def order_by(self, *field_names: Any) -> QuerySet: ...
        def reverse(self) -> QuerySet: ...
        def select_for_update(self, *args: Any, **kwargs: Any) -> QuerySet: ...

    def __init__(
        self,
        model: Any = None,
        query: Query | None = None,
        using: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self._db = using
        self._hints = hints or {}
        self._query = query if query is not None else Query(model)
        self._result_cache: list[Any] | None = None
        self._sticky_filter = False
        self._for_write = False
        self._prefetch_related_lookups: tuple[Any, ...] = ()
        self._prefetch_done = False
        self._known_related_objects: dict[Any, dict[Any, Any]] = {}
        self._iterable_class: Any = ModelIterable
        self._fields: tuple[Any, ...] | None = None
        # Set per instance too: reading a class attribute through an
        # instance is the slow lookup on the hot get() path.
        self._query_factory = None

    # Builds ``_query`` on first use: a prefetched related set only needs
    # its filtered Query if something asks for SQL (see _lazy_related.py).
    _query_factory: Callable[[], Query] | None = None

    @property
    def query(self) -> Query:
        """Return the underlying Query."""
        if self._query_factory is not None:
            factory = self._query_factory
            self._query_factory = None
            self._query = factory()
        return self._query

    @query.setter
    def query(self, value: Query) -> None:
        self._query_factory = None
        self._query = value

    @classmethod
    def as_manager(cls) -> Any:
        """Return a Manager exposing this QuerySet's methods."""
        from manouche.db.models.manager import Manager

        manager = Manager.from_queryset(cls)()
        manager._built_with_as_manager = True
        return manager

    as_manager.queryset_only = True  # type: ignore[attr-defined]

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        self.query  # noqa: B018 - builds a deferred Query before copying
        obj = self.__class__()
        for key, value in self.__dict__.items():
            if key == "_result_cache":
                obj.__dict__[key] = None
            else:
                import copy

                obj.__dict__[key] = copy.deepcopy(value, memo)
        return obj

    def __getstate__(self) -> dict[str, Any]:
        self._fetch_all()
        self.query  # noqa: B018 - builds a deferred Query before pickling
        return {**self.__dict__}

    def __repr__(self) -> str:
        data = list(self[: REPR_OUTPUT_SIZE + 1])
        if len(data) > REPR_OUTPUT_SIZE:
            data[-1] = "...(remaining elements truncated)..."
        return f"<{self.__class__.__name__} {data!r}>"

    def __len__(self) -> int:
        self._fetch_all()
        assert self._result_cache is not None
        return len(self._result_cache)

    def __iter__(self) -> Iterator[Any]:
        self._fetch_all()
        assert self._result_cache is not None
        return iter(self._result_cache)

    def __aiter__(self) -> AsyncIterator[Any]:
        async def generator() -> AsyncIterator[Any]:
            if self._result_cache is None:
                self._result_cache = await arun(self._fetch_operation())
            for item in self._result_cache:
                yield item

        return generator()

    def __bool__(self) -> bool:
        self._fetch_all()
        return bool(self._result_cache)

    def __getitem__(self, k: Any) -> Any:
        if not isinstance(k, (int, slice)):
            raise TypeError(
                f"QuerySet indices must be integers or slices, not {type(k).__name__}."
            )
        if (isinstance(k, int) and k < 0) or (
            isinstance(k, slice)
            and (
                (k.start is not None and k.start < 0)
                or (k.stop is not None and k.stop < 0)
            )
        ):
            raise ValueError("Negative indexing is not supported.")
        if self._result_cache is not None:
            return self._result_cache[k]
        if isinstance(k, slice):
            qs = self._chain()
            start = int(k.start) if k.start is not None else None
            stop = int(k.stop) if k.stop is not None else None
            qs.query.set_limits(start, stop)
            return list(qs)[:: k.step] if k.step else qs
        qs = self._chain()
        qs.query.set_limits(k, k + 1)
        qs._fetch_all()
        assert qs._result_cache is not None
        return qs._result_cache[0]

    # -- database -----------------------------------------------------------------
    @property
    def db(self) -> str:
        """Return the database alias this query will use."""
        if self._db:
            return self._db
        if not self._hints and not router.routers:
            return DEFAULT_DB_ALIAS  # what the router answers without routers
        if self._for_write:
            return str(router.db_for_write(self.model, **self._hints))
        return str(router.db_for_read(self.model, **self._hints))

    # -- cloning --------------------------------------------------------------------
    def _chain(self) -> Self:
        obj = self._clone()
        if obj._sticky_filter:
            obj._sticky_filter = False
            obj.query.sticky_pending = True
        return obj

    def _next_is_sticky(self) -> Self:
        """Make the next filter() and the one after it share their joins."""
        self._sticky_filter = True
        return self

    def _clone(self) -> Self:
        clone = self.__class__(
            model=self.model,
            query=self.query.clone(),
            using=self._db,
            hints=self._hints,
        )
        clone._sticky_filter = self._sticky_filter
        clone._for_write = self._for_write
        clone._prefetch_related_lookups = self._prefetch_related_lookups[:]
        clone._known_related_objects = self._known_related_objects
        clone._iterable_class = self._iterable_class
        clone._fields = self._fields
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._result_cache = run(self._fetch_operation())

    # -- operations -------------------------------------------------------------------
    def _fetch_operation(self) -> Operation:
        query = self.query
        if query.is_empty:
            results: list[Any] = []
        else:
            using = self.db
            connection = _connection(using)
            fast = fast_statement(query, connection)
            if fast is not None:
                statement, parameters, compiler = fast
                result = yield Execute(using, statement, parameters)
            else:
                compiler = SQLCompiler(query, connection)
                statement = compiler.as_select()
                if returns_no_rows(compiler):
                    result = NO_ROWS
                else:
                    result = yield Execute(using, statement)
            results = build_results(self, compiler, result, using)
        if (
            self._prefetch_related_lookups
            and not self._prefetch_done
            and self._iterable_class is ModelIterable
            and results
        ):
            yield from _prefetch_operation(results, self._prefetch_related_lookups)
            self._prefetch_done = True
        return results
