"""Deletion: the Collector and the ``on_delete`` handlers.

The Collector gathers the objects to delete (following CASCADE, refusing
PROTECT/RESTRICT, recording SET_NULL/SET_DEFAULT/SET updates) and deletes them
child-first inside one transaction, sending pre/post_delete signals.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.operators import and_, in_op

from manouche.db import IntegrityError
from manouche.db.models import signals
from manouche.db.models._io import Atomic, Execute, Operation, SendSignal
from manouche.db.models.sql._conditions import is_always_false
from manouche.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE

__all__ = [
    "CASCADE",
    "DO_NOTHING",
    "PROTECT",
    "RESTRICT",
    "SET",
    "SET_DEFAULT",
    "SET_NULL",
    "Collector",
    "ProtectedError",
    "RestrictedError",
]


class ProtectedError(IntegrityError):
    """Deleting would remove objects referenced through PROTECT."""

    def __init__(self, msg: str, protected_objects: Iterable[Any]) -> None:
        self.protected_objects = protected_objects
        super().__init__(msg, protected_objects)


class RestrictedError(IntegrityError):
    """Deleting would remove objects referenced through RESTRICT."""

    def __init__(self, msg: str, restricted_objects: Iterable[Any]) -> None:
        self.restricted_objects = restricted_objects
        super().__init__(msg, restricted_objects)


def CASCADE(collector: Collector, field: Any, sub_objs: list[Any], using: str) -> Any:
    """Delete the referencing objects too."""
    return collector.collect(
        sub_objs,
        source=field.remote_field.model,
        source_attr=field.name,
        nullable=field.null,
        fail_on_restricted=False,
    )


def PROTECT(collector: Collector, field: Any, sub_objs: list[Any], using: str) -> Any:
    """Refuse the deletion while referencing objects exist."""
    raise ProtectedError(
        "Cannot delete some instances of model "
        f"'{field.remote_field.model.__name__}' because they are referenced "
        f"through a protected foreign key: '{sub_objs[0].__class__.__name__}."
        f"{field.name}'",
        sub_objs,
    )


def RESTRICT(collector: Collector, field: Any, sub_objs: list[Any], using: str) -> Any:
    """Refuse unless the referencing objects are deleted through a CASCADE too."""
    collector.add_restricted_objects(field, sub_objs)
    collector.add_dependency(field.remote_field.model, field.model)
    return None


def SET(value: Any) -> Callable[..., Any]:
    """Set the foreign key to ``value`` (or its result when callable)."""

    def set_on_delete(
        collector: Collector, field: Any, sub_objs: list[Any], using: str
    ) -> Any:
        resolved = value() if callable(value) else value
        collector.add_field_update(field, resolved, sub_objs)
        return None

    set_on_delete.deconstruct = lambda: (  # type: ignore[attr-defined]
        "manouche.db.models.SET",
        (value,),
        {},
    )
    # A constant needs no row read first; a callable runs only when rows
    # point here.
    set_on_delete.lazy_sub_objs = not callable(value)  # type: ignore[attr-defined]
    return set_on_delete


def SET_NULL(collector: Collector, field: Any, sub_objs: list[Any], using: str) -> Any:
    """Set the foreign key to NULL."""
    collector.add_field_update(field, None, sub_objs)
    return None


SET_NULL.lazy_sub_objs = True  # type: ignore[attr-defined]


def SET_DEFAULT(
    collector: Collector, field: Any, sub_objs: list[Any], using: str
) -> Any:
    """Set the foreign key to its default."""
    collector.add_field_update(field, field.get_default(), sub_objs)
    return None


def DO_NOTHING(
    collector: Collector, field: Any, sub_objs: list[Any], using: str
) -> Any:
    """Leave referencing rows alone (the database may complain)."""
    return None


def _candidate_relations(opts: Any) -> list[Any]:
    return [
        relation
        for relation in opts.get_fields(include_hidden=True)
        if relation.auto_created
        and not relation.concrete
        and (relation.one_to_one or relation.one_to_many)
    ]


class Collector:
    """Collect objects to delete, following on_delete rules, then delete them."""

    def __init__(self, using: str, origin: Any = None) -> None:
        self.using = using
        self.origin = origin
        self.data: dict[Any, dict[Any, Any]] = {}
        self.order: list[Any] = []
        self.field_updates: defaultdict[tuple[Any, Any], list[Any]] = defaultdict(list)
        self.restricted_objects: defaultdict[Any, defaultdict[Any, set[Any]]] = (
            defaultdict(lambda: defaultdict(set))
        )
        self.fast_deletes: list[Any] = []
        self.dependencies: defaultdict[Any, set[Any]] = defaultdict(set)

    def add(
        self,
        objs: Iterable[Any],
        source: Any = None,
        nullable: bool = False,
        reverse_dependency: bool = False,
    ) -> list[Any]:
        """Record objects to delete; return the ones not seen before."""
        new = []
        for obj in objs:
            model = obj.__class__._meta.concrete_model
            bucket = self.data.get(model)
            if bucket is None:
                bucket = self.data[model] = {}
                self.order.append(model)
            key = obj.pk
            if key not in bucket:
                bucket[key] = obj
                new.append(obj)
        if source is not None and not nullable:
            model = new[0].__class__._meta.concrete_model if new else None
            if model is not None:
                self.add_dependency(source, model, reverse_dependency)
        return new

    def add_dependency(
        self, model: Any, dependency: Any, reverse: bool = False
    ) -> None:
        """Record that ``dependency`` must be deleted before ``model``."""
        if reverse:
            model, dependency = dependency, model
        self.dependencies[model._meta.concrete_model].add(
            dependency._meta.concrete_model
        )

    def add_field_update(self, field: Any, value: Any, objs: Any) -> None:
        """Schedule ``UPDATE ... SET field = value`` for ``objs``.

        ``objs`` is a list of instances or a QuerySet (updated as a whole).
        """
        key = (field, _hashable(value))
        if hasattr(objs, "_fetch_operation"):
            self.field_updates[key].append(objs)
        else:
            self.field_updates[key].extend(objs)

    def add_restricted_objects(self, field: Any, objs: list[Any]) -> None:
        """Record objects referenced through RESTRICT."""
        if objs:
            model = objs[0].__class__
            self.restricted_objects[model][field].update(objs)

    def clear_restricted_objects_from_set(self, model: Any, objs: set[Any]) -> None:
        """Forget restrictions on objects that are being deleted anyway."""
        if model in self.restricted_objects:
            for field in list(self.restricted_objects[model]):
                self.restricted_objects[model][field] -= objs

    def can_fast_delete(self, objs: Any, from_field: Any = None) -> bool:
        """Tell whether ``objs`` (a QuerySet) may be deleted with one DELETE."""
        if from_field is not None and from_field.remote_field.on_delete is not CASCADE:
            return False
        meta = getattr(objs, "_meta", None)
        model = meta.model if meta is not None else getattr(objs, "model", None)
        if model is None:
            return False
        if signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(
            model
        ):
            return False
        opts = model._meta
        if any(
            link != from_field for link in opts.concrete_model._meta.parents.values()
        ):
            return False
        for relation in _candidate_relations(opts):
            if relation.field.remote_field.on_delete is not DO_NOTHING:
                return False
        return not any(
            hasattr(field, "bulk_related_objects") for field in opts.private_fields
        )

    def collect(  # noqa: C901 - Django's collection rules
        self,
        objs: Any,
        source: Any = None,
        nullable: bool = False,
        collect_related: bool = True,
        source_attr: str | None = None,
        reverse_dependency: bool = False,
        keep_parents: bool = False,
        fail_on_restricted: bool = True,
    ) -> Operation:
        """Add ``objs`` and everything their deletion requires (an operation)."""
        if hasattr(objs, "_fetch_operation") and self.can_fast_delete(objs):
            self.fast_deletes.append(objs)
            return None
        if hasattr(objs, "_fetch_operation"):
            objs = yield from objs._fetch_operation()
        new_objs = self.add(
            objs, source, nullable, reverse_dependency=reverse_dependency
        )
        if not new_objs:
            return None
        model = new_objs[0].__class__
        if not keep_parents:
            concrete = model._meta.concrete_model
            for ptr in concrete._meta.parents.values():
                if ptr:
                    parent_model = ptr.remote_field.model
                    parent_objs = _parents_in_memory(new_objs, parent_model)
                    if parent_objs is None:
                        parent_ids = [getattr(obj, ptr.attname) for obj in new_objs]
                        parent_objs = (
                            yield from parent_model._base_manager.using(self.using)
                            .filter(pk__in=parent_ids)
                            ._fetch_operation()
                        )
                    yield from self.collect(
                        parent_objs,
                        source=model,
                        source_attr=ptr.remote_field.related_name,
                        collect_related=False,
                        reverse_dependency=True,
                        fail_on_restricted=False,
                    )
        if not collect_related:
            return None
        parents = set(model._meta.get_parent_list()) if keep_parents else set()
        # "'Model.field'" of each protecting relation -> the objects it protects.
        protected: dict[str, list[Any]] = {}
        # Fast-deletable referencing models -> their fields pointing here:
        # one DELETE per batch covers every such field (OR-ed).
        fast_fields: dict[Any, list[Any]] = {}
        for relation in _candidate_relations(model._meta):
            if keep_parents and relation.model in parents:
                continue
            field = relation.field
            on_delete = field.remote_field.on_delete
            if on_delete is DO_NOTHING:
                continue
            related_model = relation.related_model
            if self.can_fast_delete(related_model, from_field=field):
                fast_fields.setdefault(related_model, []).append(field)
                continue
            lazy = getattr(on_delete, "lazy_sub_objs", False)
            for batch in self._batches(new_objs, [field]):
                related_qs = self._related_rows(related_model, [field], batch)
                if lazy:
                    # SET/SET_NULL/SET_DEFAULT: one UPDATE ... WHERE fk IN
                    # (...), without reading the rows first.
                    sub_objs = related_qs
                else:
                    if not self._has_listeners(related_model):
                        related_qs = related_qs.only(
                            *_referenced_attnames(related_model)
                        )
                    sub_objs = yield from related_qs._fetch_operation()
                    if not sub_objs:
                        continue
                try:
                    result = on_delete(self, field, sub_objs, self.using)
                    if result is not None and hasattr(result, "send"):
                        yield from result
                except ProtectedError as error:
                    key = f"'{field.model.__name__}.{field.name}'"
                    protected.setdefault(key, []).extend(error.protected_objects)
        for related_model, fields in fast_fields.items():
            for batch in self._batches(new_objs, fields):
                self.fast_deletes.append(
                    self._related_rows(related_model, fields, batch)
                )
        if protected:
            raise ProtectedError(
                "Cannot delete some instances of model "
                f"{model.__name__!r} because they are referenced through protected "
                f"foreign keys: {', '.join(protected)}.",
                {obj for objects in protected.values() for obj in objects},
            )
        for field in model._meta.private_fields:
            if hasattr(field, "bulk_related_objects"):
                sub_objs = yield from field.bulk_related_objects_operation(
                    new_objs, self.using
                )
                yield from self.collect(
                    sub_objs, source=model, nullable=True, fail_on_restricted=False
                )
        if fail_on_restricted:
            yield from self._check_restricted(model)
        return None

    def _batches(self, objs: list[Any], fields: list[Any]) -> list[list[Any]]:
        """Split ``objs`` so one query's parameters stay within the backend's limit."""
        from manouche.db import connections

        ops = connections[self.using].ops
        size = max(ops.bulk_batch_size([f.name for f in fields], objs), 1)
        return [objs[start : start + size] for start in range(0, len(objs), size)]

    def _related_rows(
        self, related_model: Any, fields: list[Any], objs: list[Any]
    ) -> Any:
        """The ``related_model`` rows pointing at ``objs`` through any of ``fields``."""
        from manouche.db.models.query_utils import Q

        condition = Q()
        for field in fields:
            values: Any = [getattr(obj, field.target_field.attname) for obj in objs]
            condition |= Q((f"{field.name}__in", values))
        return related_model._base_manager.using(self.using).filter(condition)

    @staticmethod
    def _has_listeners(model: Any) -> bool:
        return bool(
            signals.pre_delete.has_listeners(model)
            or signals.post_delete.has_listeners(model)
        )

    def _check_restricted(self, model: Any) -> Operation:
        """Raise RestrictedError unless every restricted row is deleted anyway.

        A row reached through RESTRICT may also be reached through a CASCADE,
        collected as an instance or inside a fast-delete query.
        """
        for related_model, instances in self.data.items():
            self.clear_restricted_objects_from_set(
                related_model, set(instances.values())
            )
        for qs in self.fast_deletes:
            pending = self.restricted_objects.get(qs.model)
            if not pending:
                continue
            candidates = {obj for objs in pending.values() for obj in objs}
            if not candidates:
                continue
            doomed = yield from qs.filter(
                pk__in=[obj.pk for obj in candidates]
            )._fetch_operation()
            self.clear_restricted_objects_from_set(qs.model, set(doomed))
        restricted: list[Any] = []
        labels = []
        for referencing, fields in self.restricted_objects.items():
            for field, objs in fields.items():
                if objs:
                    restricted.extend(objs)
                    labels.append(f"'{referencing.__name__}.{field.name}'")
        if restricted:
            raise RestrictedError(
                f"Cannot delete some instances of model '{model.__name__}' because "
                "they are referenced through restricted foreign keys: "
                + ", ".join(sorted(set(labels)))
                + ".",
                set(restricted),
            )

    def delete(self) -> Operation:
        """Delete everything collected; return (total, {label: count})."""
        fast_deletes = self._fast_delete_statements()
        if not (self.data or self.field_updates or fast_deletes):
            # Nothing can match: no transaction, no query.
            return 0, {}
        result = yield Atomic(
            self.using, self._delete_all(fast_deletes), savepoint=False
        )
        return result

    def _fast_delete_statements(self) -> list[tuple[Any, Any]]:
        """(QuerySet, DELETE statement) of the fast deletes that may match rows."""
        from manouche.db import connections
        from manouche.db.models.sql.compiler import SQLCompiler

        connection = connections[self.using]
        statements = []
        for qs in self.fast_deletes:
            if qs.query.is_empty:
                continue
            statement = SQLCompiler(qs.query, connection).as_delete()
            if not _matches_nothing(statement):
                statements.append((qs, statement))
        return statements

    def _delete_all(self, fast_deletes: list[tuple[Any, Any]]) -> Operation:  # noqa: C901 - signals, updates, deletes
        from manouche.db import connections

        connection = connections[self.using]
        counter: Counter[str] = Counter()
        # Referencing models first; each model's rows in primary key order.
        ordered = [
            (model, _by_pk(self.data[model].values()))
            for model in _child_first(self.order, self.dependencies)
        ]
        for model, instances in ordered:
            if not model._meta.auto_created and signals.pre_delete.receivers:
                for obj in instances:
                    yield SendSignal(
                        signals.pre_delete,
                        model,
                        instance=obj,
                        using=self.using,
                        origin=self.origin,
                    )
        for qs, statement in fast_deletes:
            result = yield Execute(self.using, statement)
            if result.rowcount:
                counter[qs.model._meta.label] += result.rowcount
        for (field, value), targets in self.field_updates.items():
            # ``targets``: instances, and QuerySets of rows never read.
            instances = [obj for obj in targets if not hasattr(obj, "_fetch_operation")]
            for qs in targets:
                if hasattr(qs, "_fetch_operation"):
                    yield from qs._update_operation({field.name: value})
            if not instances:
                continue
            table = field.model._meta.concrete_model._meta.sa_table
            pk = field.model._meta.concrete_model._meta.pk
            keys = [obj.pk for obj in instances]
            prepared = field.get_db_prep_save(value, connection)
            statement = (
                sa.update(table)
                .where(table.c[pk.attname].in_(keys))
                .values({field.attname: prepared})
            )
            yield Execute(self.using, statement)
            for obj in instances:
                setattr(obj, field.attname, value)
        for model, instances in ordered:
            instances.reverse()
            table = model._meta.sa_table
            pk = model._meta.pk
            keys = [obj.pk for obj in instances]
            deleted = 0
            for start in range(0, len(keys), GET_ITERATOR_CHUNK_SIZE):
                batch = keys[start : start + GET_ITERATOR_CHUNK_SIZE]
                statement = sa.delete(table).where(table.c[pk.attname].in_(batch))
                result = yield Execute(self.using, statement)
                deleted += result.rowcount
            if deleted:
                counter[model._meta.label] += deleted
            # A model's post_delete runs before the rows it referenced go.
            if not model._meta.auto_created and signals.post_delete.receivers:
                for obj in instances:
                    yield SendSignal(
                        signals.post_delete,
                        model,
                        instance=obj,
                        using=self.using,
                        origin=self.origin,
                    )
        for model, bucket in self.data.items():
            for obj in bucket.values():
                setattr(obj, model._meta.pk.attname, None)
        return sum(counter.values()), dict(counter)


def _by_pk(instances: Iterable[Any]) -> list[Any]:
    """``instances`` sorted by primary key (as collected when keys don't compare)."""
    listed = list(instances)
    try:
        return sorted(listed, key=lambda obj: obj.pk)
    except TypeError:
        return listed


def _matches_nothing(statement: Any) -> bool:
    """Whether a DELETE's WHERE clause is a constant false (an empty ``__in``)."""
    condition = statement.whereclause
    if condition is None:
        return False
    parts = getattr(condition, "clauses", None)
    if parts is not None and getattr(condition, "operator", None) is and_:
        return any(map(_false, parts))
    return _false(condition)


def _false(condition: Any) -> bool:
    if is_always_false(condition):
        return True
    # ``column IN ()``: an expanding parameter bound to no value.
    right = getattr(condition, "right", None)
    return (
        getattr(condition, "operator", None) is in_op
        and isinstance(right, BindParameter)
        and right.expanding
        and isinstance(right.value, list | tuple)
        and not right.value
    )


def _referenced_attnames(model: Any) -> list[str]:
    """The columns of ``model`` that cascading further needs: pk and FK targets."""
    names = [model._meta.pk.attname]
    for relation in _candidate_relations(model._meta):
        for target in relation.field.foreign_related_fields:
            if target.attname not in names:
                names.append(target.attname)
    return names


def _parents_in_memory(children: list[Any], parent_model: Any) -> list[Any] | None:
    """Build the parent rows of multi-table children from the children's values.

    A child instance holds every field of its parents; when none is
    deferred, the parent instances need no query. None when some are.
    """
    attnames = [f.attname for f in parent_model._meta.concrete_fields]
    parents = []
    for child in children:
        data = child.__dict__
        if any(name not in data for name in attnames):
            return None
        parent = parent_model.from_db(
            child._state.db, attnames, [data[name] for name in attnames]
        )
        parents.append(parent)
    return parents


def _child_first(order: list[Any], dependencies: dict[Any, set[Any]]) -> list[Any]:
    """Order models so that each comes after the models it waits for.

    ``dependencies[model]`` holds the models whose rows must go before
    ``model``'s. Each pass takes, in collection order, every model whose
    collected dependencies are already placed (rows removed by a fast
    delete go first anyway); a cycle keeps the remaining order.
    """
    ordered: list[Any] = []
    placed: set[Any] = set()
    pending = list(order)
    collected = set(order)
    while pending:
        progressed = False
        for model in pending:
            waiting_for = dependencies.get(model, set()) & collected
            if not (waiting_for - placed - {model}):
                ordered.append(model)
                placed.add(model)
                progressed = True
        if not progressed:
            ordered.extend(pending)
            break
        pending = [model for model in pending if model not in placed]
    return ordered


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
