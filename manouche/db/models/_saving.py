"""Saving an instance: insert or update its rows and its parents' rows.

Mixed into ``Model``; a save is one operation (see ``_io``) driven sync by
``save()`` and async by ``asave()``, between the pre_save/post_save signals.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from manouche.db.models import signals
from manouche.db.models._io import Execute, Operation, SendSignal, arun
from manouche.db.models.fields import NOT_PROVIDED
from manouche.db.models.fields.generated import (
    generated_fields,
    refresh_generated_fields,
)
from manouche.utils.asyncio import run_sync
from manouche.utils.deprecation import RemovedInDjango60Warning

__all__ = ["ModelSaving"]


# Methods that, replaced on an instance (a mock, say), must be honoured.
_SAVE_HOOKS = frozenset(("save", "save_base"))


class ModelSaving:
    """The save half of ``Model``."""

    _meta: ClassVar[Any]
    _state: Any

    if TYPE_CHECKING:

        def _get_pk_val(self, meta: Any = None) -> Any: ...

        def _is_pk_set(self, meta: Any = None) -> bool: ...

        def get_deferred_fields(self) -> set[str]:
            """Return the attnames of fields not loaded (defined on ``Model``)."""
            ...

    def save(
        self,
        *args: Any,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Insert or update this instance's row (and its parents' rows)."""
        force_insert, force_update, using, update_fields = _save_arguments(
            "save", args, force_insert, force_update, using, update_fields
        )
        prepared = self._prepare_save(force_insert, force_update, using, update_fields)
        if prepared is None:
            return
        using, update_fields = prepared
        self.save_base(
            using=using,
            force_insert=force_insert,
            force_update=force_update,
            update_fields=update_fields,
        )

    save.alters_data = True  # type: ignore[attr-defined]

    async def asave(
        self,
        *args: Any,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Save asynchronously; an overridden save() runs in a worker thread."""
        force_insert, force_update, using, update_fields = _save_arguments(
            "asave", args, force_insert, force_update, using, update_fields
        )
        overridden = self.__dict__.keys() & _SAVE_HOOKS
        if (
            overridden
            or type(self).save is not ModelSaving.save
            or type(self).save_base is not ModelSaving.save_base
        ):
            await run_sync(
                lambda: self.save(
                    force_insert=force_insert,
                    force_update=force_update,
                    using=using,
                    update_fields=update_fields,
                )
            )
            return
        await arun(
            self._save_operation(force_insert, force_update, using, update_fields)
        )

    asave.alters_data = True  # type: ignore[attr-defined]

    def _prepare_save(
        self,
        force_insert: bool | tuple[Any, ...],
        force_update: bool,
        using: str | None,
        update_fields: Iterable[str] | None,
    ) -> tuple[str, frozenset[str] | None] | None:
        """Check save()'s arguments; return (using, update_fields) or None (no-op).

        A deferred-loaded instance saved to its own database writes only the
        fields that were loaded.
        """
        from manouche.db import router

        self._prepare_related_fields_for_save(operation_name="save")
        using = using or router.db_for_write(self.__class__, instance=self)
        if force_insert and (force_update or update_fields):
            raise ValueError("Cannot force both insert and updating in model saving.")
        fields: frozenset[str] | None = None
        if update_fields is not None:
            fields = frozenset(update_fields)
            if not fields:
                return None
            invalid = fields - self._meta._non_pk_concrete_field_names
            if invalid:
                raise ValueError(
                    "The following fields do not exist in this model, are m2m "
                    "fields, primary keys, or are non-concrete fields: "
                    + ", ".join(sorted(invalid))
                )
        elif not force_insert and using == self._state.db:
            deferred = self.get_deferred_fields()
            if deferred:
                loaded = {
                    f.attname
                    for f in self._meta.concrete_fields
                    if not f.primary_key and not hasattr(f, "through")
                } - deferred
                if loaded:
                    fields = frozenset(loaded)
        return using, fields

    def _save_operation(
        self,
        force_insert: bool | tuple[Any, ...],
        force_update: bool,
        using: str | None,
        update_fields: Iterable[str] | None,
    ) -> Operation:
        prepared = self._prepare_save(force_insert, force_update, using, update_fields)
        if prepared is None:
            return None
        yield from self._save_base_operation(
            using=prepared[0],
            force_insert=force_insert,
            force_update=force_update,
            update_fields=prepared[1],
        )
        return None

    def save_base(
        self,
        raw: bool = False,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> None:
        """Write the rows between pre_save and post_save (fixtures pass raw=True)."""
        from manouche.db import router
        from manouche.db.models._io import run

        if using is None:
            using = router.db_for_write(self.__class__, instance=self)
        if update_fields is not None:
            update_fields = frozenset(update_fields)
        run(
            self._save_base_operation(
                raw, force_insert, force_update, using, update_fields
            )
        )

    save_base.alters_data = True  # type: ignore[attr-defined]

    def _save_base_operation(
        self,
        raw: bool = False,
        force_insert: bool | tuple[Any, ...] = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Iterable[str] | None = None,
    ) -> Operation:
        """Send the save signals around writing the rows (an operation)."""
        from manouche.db.models._io import Atomic

        using = using or "default"
        cls = origin = self.__class__
        if cls._meta.proxy:
            cls = cls._meta.concrete_model
        meta = cls._meta
        if not meta.auto_created and signals.pre_save.receivers:
            yield SendSignal(
                signals.pre_save,
                origin,
                instance=self,
                raw=raw,
                using=using,
                update_fields=update_fields,
            )
        if meta.parents:
            updated = yield Atomic(
                using,
                self._save_all_tables(
                    cls, using, raw, force_insert, force_update, update_fields
                ),
                savepoint=False,
            )
        else:
            try:
                updated = yield from self._save_table(
                    raw, cls, force_insert, force_update, using, update_fields
                )
            except Exception as exc:
                # As an atomic block would: a failed write breaks the
                # enclosing transaction (the database may have aborted it).
                from manouche.db.transaction import note_failure_for_rollback

                note_failure_for_rollback(using, exc)
                raise
        self._state.db = using
        self._state.adding = False
        if not meta.auto_created and signals.post_save.receivers:
            yield SendSignal(
                signals.post_save,
                origin,
                instance=self,
                created=not updated,
                update_fields=update_fields,
                raw=raw,
                using=using,
            )
        return None

    def _save_all_tables(
        self,
        cls: Any,
        using: str,
        raw: bool,
        force_insert: Any,
        force_update: bool,
        update_fields: Any,
    ) -> Operation:
        parent_inserted = False
        if not raw:
            parent_inserted = yield from self._save_parents(
                cls, using, update_fields, force_insert
            )
        updated = yield from self._save_table(
            raw,
            cls,
            force_insert or parent_inserted,
            force_update,
            using,
            update_fields,
        )
        return updated

    def _save_parents(
        self,
        cls: Any,
        using: str,
        update_fields: Any,
        force_insert: Any,
        saved: dict[Any, bool] | None = None,
    ) -> Operation:
        """Save every ancestor table once; tell whether any row was inserted.

        ``saved`` maps each ancestor already written (a diamond reaches a
        common ancestor twice) to whether its row was updated.
        """
        meta = cls._meta
        inserted = False
        if saved is None:
            saved = {}
        for parent, field in meta.parents.items():
            if (
                field
                and getattr(self, parent._meta.pk.attname) is None
                and getattr(self, field.attname) is not None
            ):
                setattr(self, parent._meta.pk.attname, getattr(self, field.attname))
            if parent in saved:
                updated = saved[parent]
            else:
                parent_inserted = yield from self._save_parents(
                    parent, using, update_fields, force_insert, saved
                )
                updated = yield from self._save_table(
                    cls=parent,
                    using=using,
                    update_fields=update_fields,
                    force_insert=parent_inserted
                    or _forced_parent(force_insert, parent),
                )
                saved[parent] = updated
            if not updated:
                inserted = True
            if field:
                setattr(self, field.attname, self._get_pk_val(parent._meta))
                self._state.fields_cache.pop(field.name, None)
        return inserted

    def _save_table(  # noqa: C901 - insert-or-update decision, Django's rules
        self,
        raw: bool = False,
        cls: Any = None,
        force_insert: Any = False,
        force_update: bool = False,
        using: str | None = None,
        update_fields: Any = None,
    ) -> Operation:
        from manouche.db import connections

        meta = cls._meta
        table = meta.sa_table
        using = using or "default"
        connection = connections[using]
        non_pks = [
            f
            for f in meta.local_concrete_fields
            if not f.primary_key and not f.generated
        ]
        if update_fields:
            non_pks = [
                f
                for f in non_pks
                if f.name in update_fields or f.attname in update_fields
            ]
        pk_val = self._get_pk_val(meta)
        if pk_val is None:
            pk_val = meta.pk.get_pk_value_on_save(self)
            setattr(self, meta.pk.attname, pk_val)
        pk_set = self._is_pk_set(meta)
        if not pk_set and (force_update or update_fields):
            raise ValueError("Cannot force an update in save() with no primary key.")
        updated = False
        if (
            not raw
            and not force_insert
            and not force_update
            and not update_fields
            and self._state.adding
            and (
                (meta.pk.default is not NOT_PROVIDED)
                or (meta.pk.db_default is not NOT_PROVIDED)
            )
        ):
            force_insert = True
        if pk_set and not force_insert:
            values = {}
            for field in non_pks:
                value = field.pre_save(self, False)
                values[field.attname] = _db_value(field, value, connection)
            row_filter = table.c[meta.pk.attname] == meta.pk.get_db_prep_value(pk_val)
            exists = sa.select(sa.literal(1)).select_from(table).where(row_filter)
            if values:
                statement = (
                    sa.update(table)
                    .where(row_filter)
                    .values(_compile_values(cls, values))
                )
                if self._meta.select_on_save and not force_update:
                    # Ask first: some databases report no matched rows for an
                    # UPDATE that changes nothing, so ask again after it.
                    result = yield Execute(using, exists.limit(1))
                    if result.rows:
                        result = yield Execute(using, statement)
                        updated = result.rowcount > 0
                        if not updated:
                            result = yield Execute(using, exists.limit(1))
                            updated = bool(result.rows)
                else:
                    result = yield Execute(using, statement)
                    updated = result.rowcount > 0
            elif update_fields:
                # None of the requested fields live in this table.
                updated = True
            else:
                result = yield Execute(using, exists.limit(1))
                updated = bool(result.rows)
            if force_update and not updated:
                from manouche.db import DatabaseError

                raise DatabaseError("Forced update did not affect any rows.")
            if update_fields and not updated:
                from manouche.db import DatabaseError

                raise DatabaseError("Save with update_fields did not affect any rows.")
        if not updated:
            if not raw and meta.order_with_respect_to:
                from manouche.db.models._order_wrt import next_order_operation

                # A new row goes last among the rows of its related object.
                order = yield from next_order_operation(self, cls, using)
                self._order = order
            fields = [f for f in meta.local_concrete_fields if not f.generated]
            if not pk_set:
                fields = [f for f in fields if f is not meta.auto_field]
            values = {}
            returning = [f for f in meta.db_returning_fields if f.model is not None]
            if pk_set:
                returning = [f for f in returning if f is not meta.auto_field]
            for field in fields:
                value = field.pre_save(self, True)
                if _is_db_default(value):
                    continue
                values[field.attname] = _db_value(field, value, connection)
            yield from self._do_insert(cls, using, values, returning)
        if generated_fields(meta):
            yield from refresh_generated_fields(self, cls, using)
        return updated

    def _do_insert(
        self, cls: Any, using: str, values: dict[str, Any], returning: list[Any]
    ) -> Operation:
        from manouche.db import connections

        meta = cls._meta
        table = meta.sa_table
        statement = sa.insert(table).values(_compile_values(cls, values, insert=True))
        connection = connections[using]
        returning = [f for f in returning if f.attname in table.c]
        can_return = returning and connection.features.can_return_columns_from_insert
        if can_return:
            statement = statement.returning(*(table.c[f.attname] for f in returning))
        result = yield Execute(using, statement)
        if can_return:
            row = result.rows[0]
            for field, value in zip(returning, row, strict=True):
                setattr(self, field.attname, value)
        elif returning:
            for field in returning:
                if field is meta.auto_field:
                    setattr(self, field.attname, result.lastrowid)
            others = [f for f in returning if f is not meta.auto_field]
            if others:
                pk_value = getattr(self, meta.pk.attname)
                query = sa.select(*(table.c[f.attname] for f in others)).where(
                    table.c[meta.pk.attname] == pk_value
                )
                fetched = yield Execute(using, query)
                for field, value in zip(others, fetched.rows[0], strict=True):
                    setattr(self, field.attname, value)

    def _prepare_related_fields_for_save(
        self, operation_name: str, fields: Iterable[Any] | None = None
    ) -> None:
        for field in fields or self._meta.concrete_fields:
            if not field.is_relation or (
                not field.many_to_one and not field.one_to_one
            ):
                continue
            cache = self._state.fields_cache
            if field.name not in cache:
                continue
            obj = cache[field.name]
            if obj is None:
                continue
            if obj.pk is None:
                if not field.remote_field.multiple:
                    # The unsaved target must not remember this refused row.
                    obj._state.fields_cache.pop(
                        field.remote_field.get_cache_name(), None
                    )
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to "
                    f"unsaved related object '{field.name}'."
                )
            target_value = getattr(obj, field.target_field.attname)
            if getattr(self, field.attname) in field.empty_values:
                setattr(self, field.name, obj)
            elif getattr(self, field.attname) != target_value:
                cache.pop(field.name, None)
        self._refuse_unsaved_generic_targets(operation_name, fields)

    def _refuse_unsaved_generic_targets(
        self, operation_name: str, fields: Iterable[Any] | None
    ) -> None:
        """Refuse an unsaved object assigned to a GenericForeignKey.

        Its object id would be stored empty (or fail NOT NULL): the link
        would be lost silently.
        """
        chosen = set(fields) if fields else None
        cache = self._state.fields_cache
        for field in self._meta.private_fields:
            if chosen is not None and field not in chosen:
                continue
            if not hasattr(field, "fk_field") or field.name not in cache:
                continue
            obj = cache[field.name]
            if obj is not None and obj.pk is None:
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to "
                    f"unsaved related object '{field.name}'."
                )


_SAVE_PARAMETERS = (
    ("force_insert", False),
    ("force_update", False),
    ("using", None),
    ("update_fields", None),
)


def _save_arguments(
    method: str,
    args: tuple[Any, ...],
    force_insert: Any,
    force_update: Any,
    using: Any,
    update_fields: Any,
) -> tuple[Any, Any, Any, Any]:
    """Merge deprecated positional arguments of save()/asave() into keywords."""
    values = [force_insert, force_update, using, update_fields]
    if not args:
        return force_insert, force_update, using, update_fields
    warnings.warn(
        f"Passing positional arguments to {method}() is deprecated",
        RemovedInDjango60Warning,
        stacklevel=3,
    )
    if len(args) > len(_SAVE_PARAMETERS):
        raise TypeError(
            f"Model.{method}() takes from 1 to {len(_SAVE_PARAMETERS) + 1} "
            f"positional arguments but {len(args) + 1} were given"
        )
    for index, arg in enumerate(args):
        name, default = _SAVE_PARAMETERS[index]
        if values[index] is not default and values[index] != default:
            raise TypeError(
                f"Model.{method}() got multiple values for argument '{name}'"
            )
        values[index] = arg
    return values[0], values[1], values[2], values[3]


def _forced_parent(force_insert: Any, parent: Any) -> bool:
    if isinstance(force_insert, tuple):
        return any(issubclass(parent, model) for model in force_insert)
    return False


def _is_db_default(value: Any) -> bool:
    from manouche.db.models.expressions import DatabaseDefault

    return isinstance(value, DatabaseDefault)


def _db_value(field: Any, value: Any, connection: Any) -> Any:
    if hasattr(value, "as_sa"):
        return value
    # Positional, as Django calls it: custom fields override it that way.
    return field.get_db_prep_save(value, connection)


def _compile_values(
    model: Any, values: dict[str, Any], insert: bool = False
) -> dict[str, Any]:
    from manouche.db.models.sql._save_values import compile_save_values

    return compile_save_values(model, values, insert=insert)
