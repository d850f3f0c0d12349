"""QuerySet operations: the statement generators run by the sync and async methods."""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist, FieldError
from manouche.db import NotSupportedError
from manouche.db.models._aggregate_references import inline_aggregate_references
from manouche.db.models._io import Atomic, CallBlocking, Execute, Operation
from manouche.db.models._queryset_core import QuerySetCore, _connection
from manouche.db.models.query_utils import Q, check_alias
from manouche.db.models.sql._conditions import returns_no_rows
from manouche.db.models.sql._update_query import update_query
from manouche.db.models.sql.compiler import SQLCompiler

MAX_GET_RESULTS = 21


def _empty_value(aggregate: Any) -> Any:
    """Return what ``aggregate`` gives over no rows (NotImplemented: ask)."""
    value = getattr(aggregate, "empty_result_set_value", NotImplemented)
    default = getattr(aggregate, "default", None)
    if value is None and default is not None:
        if hasattr(default, "as_sa"):
            return getattr(default, "empty_result_set_value", NotImplemented)
        return default
    return value


class QuerySetOperations(QuerySetCore):
    """Build each evaluating method as one operation (see ``_io``)."""

    def _count_operation(self) -> Operation:
        if self._result_cache is not None:
            return len(self._result_cache)
        if self.query.is_empty:
            return 0
        using = self.db
        compiler = SQLCompiler(self.query, _connection(using))
        statement = compiler.as_count()
        if returns_no_rows(compiler):
            return 0
        result = yield Execute(using, statement)
        return int(result.rows[0][0])

    def _exists_operation(self) -> Operation:
        if self._result_cache is not None:
            return bool(self._result_cache)
        if self.query.is_empty:
            return False
        using = self.db
        compiler = SQLCompiler(self.query, _connection(using))
        statement = compiler.as_exists()
        if returns_no_rows(compiler):
            return False
        result = yield Execute(using, statement)
        return bool(result.rows)

    def _get_operation(self, *args: Any, **kwargs: Any) -> Operation:
        if self.query.combinator and (args or kwargs):
            combinator = self.query.combinator
            raise NotSupportedError(
                f"Calling QuerySet.get(...) with filters after {combinator}() "
                "is not supported."
            )
        if self.query.combinator:
            clone = self._chain()
        elif not args and self.query.can_filter():
            # One clone instead of filter() + order_by(): get() is hot.
            clone = self._chain()
            condition = Q(**kwargs)
            if condition:
                clone.query.add_q(condition)
            if not self.query.distinct_fields:
                clone.query.order_by = ()
                clone.query.default_ordering = False
        else:
            clone = self.filter(*args, **kwargs)
            if self.query.can_filter() and not self.query.distinct_fields:
                clone = clone.order_by()
        limit = None
        if (
            not clone.query.select_for_update
            or _connection(clone.db).features.supports_select_for_update_with_limit
        ):
            limit = MAX_GET_RESULTS
            clone.query.set_limits(high=limit)
        results = yield from clone._fetch_operation()
        count = len(results)
        if count == 1:
            return results[0]
        if not count:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        shown = count if not limit or count < limit else f"more than {limit - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {self.model._meta.object_name} -- it "
            f"returned {shown}!"
        )

    def _create_operation(self, kwargs: dict[str, Any]) -> Operation:
        from manouche.db.models.base import Model, reverse_one_to_one_names

        reverse = reverse_one_to_one_names(self.model, kwargs)
        if reverse:
            raise ValueError(
                f"The following fields do not exist in this model: {', '.join(reverse)}"
            )
        obj = self.model(**kwargs)
        self._for_write = True
        using = self.db
        if type(obj).save is not Model.save:
            yield CallBlocking(lambda: obj.save(force_insert=True, using=using))
        else:
            yield from obj._save_operation(True, False, using, None)
        return obj

    def _get_or_create_operation(
        self, defaults: dict[str, Any] | None, kwargs: dict[str, Any]
    ) -> Operation:
        from manouche.db import IntegrityError

        self._for_write = True
        try:
            obj = yield from self._get_operation(**kwargs)
            return obj, False
        except self.model.DoesNotExist:
            params = self._extract_model_params(defaults, **kwargs)
            try:
                params = {k: v() if callable(v) else v for k, v in params.items()}
                obj = yield Atomic(self.db, self._create_operation(params))
                return obj, True
            except IntegrityError:
                try:
                    obj = yield from self._get_operation(**kwargs)
                    return obj, False
                except self.model.DoesNotExist:
                    pass
                raise

    def _update_or_create_operation(
        self,
        defaults: dict[str, Any] | None,
        create_defaults: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> Operation:
        def inner() -> Operation:
            obj, created = yield from self.select_for_update()._get_or_create_operation(
                create_defaults if create_defaults is not None else defaults, kwargs
            )
            if created:
                return obj, created
            values = {k: v() if callable(v) else v for k, v in (defaults or {}).items()}
            for key, value in values.items():
                setattr(obj, key, value)
            update_fields = set(values)
            concrete = obj._meta._non_pk_concrete_field_names
            if update_fields.issubset(concrete):
                for field in obj._meta.local_concrete_fields:
                    if field.pre_save is not None and getattr(field, "auto_now", False):
                        update_fields.add(field.name)
                yield from obj._save_operation(
                    False, False, self.db, update_fields or None
                )
            else:
                yield from obj._save_operation(False, False, self.db, None)
            return obj, False

        self._for_write = True
        result = yield Atomic(self.db, inner())
        return result

    def _extract_model_params(
        self, defaults: dict[str, Any] | None, **kwargs: Any
    ) -> dict[str, Any]:
        defaults = defaults or {}
        params = {k: v for k, v in kwargs.items() if "__" not in k}
        params.update(defaults)
        property_names = self.model._meta._property_names
        invalid = []
        for param in params:
            try:
                self.model._meta.get_field(param)
            except FieldDoesNotExist:
                # A property is fine only if it can be set.
                settable = param in property_names and (
                    getattr(self.model, param).fset is not None
                )
                if not settable and not param.endswith("_id"):
                    invalid.append(param)
        if invalid:
            names = "', '".join(sorted(invalid))
            raise FieldError(
                f"Invalid field name(s) for model {self.model._meta.object_name}: "
                f"'{names}'."
            )
        return params

    def _first_operation(self, last: bool = False) -> Operation:
        if self.ordered:
            queryset = self.reverse() if last else self
        else:
            self._check_ordering_first_last_queryset_aggregation(
                "last" if last else "first"
            )
            queryset = self.order_by("-pk" if last else "pk")
        queryset = queryset._chain()
        queryset.query.set_limits(high=1)
        results = yield from queryset._fetch_operation()
        return results[0] if results else None

    def _check_ordering_first_last_queryset_aggregation(self, method: str) -> None:
        query = self.query
        pk_names = {"pk", self.model._meta.pk.name, self.model._meta.pk.attname}
        grouping = query.group_by
        if (
            grouping is None
            and query.values_select is not None
            and query.has_aggregate_annotation
        ):
            # Aggregates added before values() group per object (by pk).
            grouping = (
                None
                if query.aggregate_grouping is True
                else (query.aggregate_grouping or ())
            )
        if grouping is not None and not pk_names.intersection(
            name for name in grouping if isinstance(name, str)
        ):
            raise TypeError(
                f"Cannot use QuerySet.{method}() on an unordered queryset performing "
                "aggregation. Add an ordering with order_by()."
            )

    def _earliest_operation(self, fields: tuple[Any, ...], latest: bool) -> Operation:
        if fields:
            order_by = fields
        else:
            order_by = self.model._meta.get_latest_by
            if order_by and not isinstance(order_by, (tuple, list)):
                order_by = (order_by,)
        if order_by is None or not order_by:
            raise ValueError(
                "earliest() and latest() require either fields as positional "
                "arguments or 'get_latest_by' in the model's Meta."
            )
        if self.query.is_sliced:
            raise TypeError("Cannot change a query once a slice has been taken.")
        obj = self._chain()
        obj.query.set_limits(high=1)
        obj.query.clear_ordering(force=True)
        obj.query.add_ordering(*order_by)
        if latest:
            obj.query.standard_ordering = not obj.query.standard_ordering
        result = yield from obj._get_operation()
        return result

    def _aggregate_operation(
        self, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Operation:
        if self.query.distinct_fields:
            raise NotImplementedError("aggregate() + distinct(fields) not implemented.")
        invalid = [
            str(value)
            for value in (*args, *kwargs.values())
            if not hasattr(value, "as_sa")
        ]
        if invalid:
            raise TypeError(
                "QuerySet.aggregate() received non-expression(s): "
                f"{', '.join(invalid)}."
            )
        aggregates = dict(kwargs)
        for arg in args:
            try:
                alias = arg.default_alias
            except (AttributeError, TypeError):
                raise TypeError("Complex aggregates require an alias")
            aggregates[alias] = arg
        aggregates = inline_aggregate_references(aggregates, self._names_something)
        for alias, aggregate in aggregates.items():
            check_alias(alias)
            if not getattr(aggregate, "contains_aggregate", False):
                raise TypeError(f"{alias} is not an aggregate expression")
        if not aggregates:
            return {}
        if self.query.is_empty:
            empty = {
                alias: _empty_value(aggregate)
                for alias, aggregate in aggregates.items()
            }
            if NotImplemented not in empty.values():
                return empty
        using = self.db
        statement = SQLCompiler(self.query, _connection(using)).as_aggregate(aggregates)
        result = yield Execute(using, statement)
        row = result.rows[0] if result.rows else (None,) * len(aggregates)
        return dict(zip(aggregates, row, strict=True))

    def _names_something(self, name: str) -> bool:
        """Tell whether ``name`` names a field or an annotation of the query."""
        if name in self.query.annotations or name == "pk":
            return True
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return True

    def _update_values(self, kwargs: dict[str, Any]) -> list[tuple[Any, Any]]:
        values = []
        opts = self.model._meta
        for name, value in kwargs.items():
            field = opts.get_field(name)
            direct = (
                not (field.auto_created and not field.concrete) or not field.concrete
            )
            if not direct or field.many_to_many or not field.concrete:
                raise FieldError(
                    f"Cannot update model field {field!r} (only non-relations and "
                    "foreign keys permitted)."
                )
            if field.generated:
                raise FieldError(f"Cannot update the generated field {field!r}.")
            if field.is_relation and hasattr(value, "_meta"):
                if value.pk is None:
                    raise ValueError(
                        f"Unsaved model instance {value!r} cannot be used in an ORM "
                        "query."
                    )
                value = getattr(value, field.target_field.attname)
            values.append((field, value))
        return values

    def _update_operation(self, kwargs: dict[str, Any]) -> Operation:
        if self.query.is_sliced:
            raise TypeError("Cannot update a query once a slice has been taken.")
        values = self._update_values(kwargs)
        self._for_write = True
        using = self.db
        if self.query.is_empty:
            return 0
        # Values may refer to annotations (F("shifted")); aggregates cannot be
        # written by an UPDATE.
        query = update_query(self.query, values)
        compiler = SQLCompiler(query, _connection(using))
        if SQLCompiler.update_tables(values) == 1:
            result = yield Execute(using, compiler.as_update(values)[0])
            rows = result.rowcount
        else:
            rows = yield Atomic(
                using, self._multi_table_update(compiler, values), savepoint=False
            )
        self._result_cache = None
        return rows

    def _multi_table_update(
        self, compiler: SQLCompiler, values: list[tuple[Any, Any]]
    ) -> Operation:
        using = self.db
        pk_query = self.query.values_pk_query()
        found = yield Execute(
            using, SQLCompiler(pk_query, compiler.connection).as_select()
        )
        pks = [row[0] for row in found.rows]
        if not pks:
            return 0
        counts = []
        for statement in compiler.as_update(values, pks):
            result = yield Execute(using, statement)
            counts.append(result.rowcount)
        return counts[-1] if counts else 0

    def _delete_operation(self) -> Operation:
        from manouche.db.models.deletion import Collector

        self._not_support_combined_queries("delete")
        if self.query.is_sliced:
            raise TypeError("Cannot use 'limit' or 'offset' with delete().")
        if self.query.distinct_fields:
            raise TypeError("Cannot call delete() after .distinct(*fields).")
        if self._fields is not None:
            raise TypeError("Cannot call delete() after .values() or .values_list()")
        del_query = self._chain()
        del_query._for_write = True
        del_query.query.select_for_update = False
        del_query.query.select_related = False
        del_query.query.clear_ordering(force=True)
        collector = Collector(using=del_query.db, origin=self)
        yield from collector.collect(del_query)
        result = yield from collector.delete()
        self._result_cache = None
        return result

    def _not_support_combined_queries(self, operation_name: str) -> None:
        if self.query.combinator:
            raise NotSupportedError(
                f"Calling QuerySet.{operation_name}() after "
                f"{self.query.combinator}() is not supported."
            )
