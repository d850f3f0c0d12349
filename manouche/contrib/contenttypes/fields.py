"""Generic relations: GenericForeignKey, GenericRelation and GenericRel.

A GenericForeignKey points at any model through a ContentType key plus an
object id. A GenericRelation follows those pointers back: a related manager
on the target instance, ``filter(<relation>__...)`` joins in both directions,
cascade deletion, and prefetch_related. Query building never needs a content
type query: an uncached content type id becomes a scalar subquery.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from manouche.contrib.contenttypes._related_manager import (
    ReverseGenericManyToOneDescriptor,
)
from manouche.core import checks
from manouche.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    ObjectDoesNotExist,
    SynchronousOnlyOperation,
)
from manouche.db.models import DO_NOTHING
from manouche.db.models._io import Operation, in_async_context
from manouche.db.models.fields.related import ForeignObject, ForeignObjectRel

__all__ = ["GenericForeignKey", "GenericRel", "GenericRelation"]

_MISSING = object()


def _content_types() -> Any:
    from manouche.contrib.contenttypes.models import ContentType

    return ContentType.objects


def content_type_id_clause(model: Any, for_concrete_model: bool, compiler: Any) -> Any:
    """Return the content type id of ``model`` for SQL: cached value or subquery."""
    connection = getattr(compiler, "connection", None)
    using = getattr(connection, "alias", None)
    manager = _content_types()
    cached = manager.cached_id_for_model(model, for_concrete_model, using=using)
    if cached is not None:
        return sa.bindparam(None, cached, type_=sa.Integer())
    opts = model._meta.concrete_model._meta if for_concrete_model else model._meta
    # Aliased: the enclosing query may join the content type table by name,
    # and SQLAlchemy would then correlate this subquery with it.
    table = manager.model._meta.sa_table.alias()
    return (
        sa.select(table.c.id)
        .where(table.c.app_label == opts.app_label, table.c.model == opts.model_name)
        .scalar_subquery()
    )


def _pk_as(compiler: Any, pk_column: Any, object_id_column: Any) -> Any:
    """Cast a primary key column to the object id column's type when they differ.

    The primary key side is cast (never the object id) so rows of other content
    types holding non-numeric ids cannot make the cast fail. MySQL compares
    text with numbers by itself (and a cast would change the collation).
    """
    pk_text = isinstance(pk_column.type, sa.String)
    id_text = isinstance(object_id_column.type, sa.String)
    if pk_text == id_text or getattr(compiler, "vendor", None) == "mysql":
        return pk_column
    return sa.cast(pk_column, object_id_column.type)


def _lazy_load_refused(model: Any, name: str) -> SynchronousOnlyOperation:
    return SynchronousOnlyOperation(
        f"Accessing '{model.__name__}.{name}' would run a database query, which "
        "cannot block the event loop. Load it ahead with "
        f"prefetch_related('{name}'), or fetch it asynchronously (e.g. await "
        "content_type.aget_object_for_this_type(pk=...))."
    )


class GenericForeignKey:
    """Point at any model's row through a content type and an object id."""

    auto_created = False
    concrete = False
    editable = False
    hidden = False
    is_relation = True
    many_to_many = False
    many_to_one = True
    one_to_many = False
    one_to_one = False
    primary_key = False
    generated = False
    related_model = None
    remote_field = None
    column = None
    null = True
    blank = True

    def __init__(
        self,
        ct_field: str = "content_type",
        fk_field: str = "object_id",
        for_concrete_model: bool = True,
    ) -> None:
        self.ct_field = ct_field
        self.fk_field = fk_field
        self.for_concrete_model = for_concrete_model
        self.name = ""
        self.attname = ""
        self.model: Any = None

    def contribute_to_class(self, cls: Any, name: str, **kwargs: Any) -> None:
        """Register as a private field and install as the descriptor."""
        self.name = self.attname = name
        self.model = cls
        cls._meta.add_field(self, private=True)
        setattr(cls, name, self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self}>"

    def __str__(self) -> str:
        if self.model is None:
            return self.name
        return f"{self.model._meta.label}.{self.name}"

    def get_cache_name(self) -> str:
        """Return the key caching the object on an instance."""
        return self.name

    @property
    def cache_name(self) -> str:
        """Return the key caching the object on an instance."""
        return self.name

    def is_cached(self, instance: Any) -> bool:
        """Tell whether the related object is cached on ``instance``."""
        return self.name in instance._state.fields_cache

    # -- checks ----------------------------------------------------------------
    def check(self, **kwargs: Any) -> list[Any]:
        """Return system check errors (fields.E001, contenttypes.E001-E004)."""
        errors: list[Any] = []
        if self.name.endswith("_"):
            errors.append(
                checks.Error(
                    "Field names must not end with an underscore.",
                    obj=self,
                    id="fields.E001",
                )
            )
        try:
            self.model._meta.get_field(self.fk_field)
        except FieldDoesNotExist:
            errors.append(
                checks.Error(
                    "The GenericForeignKey object ID references the nonexistent "
                    f"field '{self.fk_field}'.",
                    obj=self,
                    id="contenttypes.E001",
                )
            )
        errors.extend(self._check_content_type_field())
        return errors

    def _check_content_type_field(self) -> list[Any]:
        label = f"{self.model._meta.object_name}.{self.ct_field}"
        try:
            field = self.model._meta.get_field(self.ct_field)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    "The GenericForeignKey content type references the nonexistent "
                    f"field '{label}'.",
                    obj=self,
                    id="contenttypes.E002",
                )
            ]
        hint = (
            "GenericForeignKeys must use a ForeignKey to 'contenttypes.ContentType' "
            "as the 'content_type' field."
        )
        if not isinstance(field, ForeignObject):
            return [
                checks.Error(
                    f"'{label}' is not a ForeignKey.",
                    hint=hint,
                    obj=self,
                    id="contenttypes.E003",
                )
            ]
        if field.remote_field.model is not _content_types().model:
            return [
                checks.Error(
                    f"'{label}' is not a ForeignKey to 'contenttypes.ContentType'.",
                    hint=hint,
                    obj=self,
                    id="contenttypes.E004",
                )
            ]
        return []

    # -- content types -----------------------------------------------------------
    def get_content_type(
        self, obj: Any = None, id: Any = None, using: str | None = None
    ) -> Any:
        """Return the ContentType of ``obj`` or the one with ``id``."""
        manager = _content_types()
        if obj is not None:
            return manager.db_manager(obj._state.db).get_for_model(
                obj, for_concrete_model=self.for_concrete_model
            )
        if id is not None:
            return manager.db_manager(using).get_for_id(id)
        raise ValueError("Impossible arguments to GFK.get_content_type!")

    async def aprepare_value(self, value: Any) -> None:
        """Cache the ContentType of ``value`` so that assigning it never queries.

        ``acreate(content_object=...)`` and its kin call this before they
        build the instance on the event loop.
        """
        if value is not None and hasattr(value, "_meta"):
            await (
                _content_types()
                .db_manager(value._state.db)
                .aget_for_model(value, for_concrete_model=self.for_concrete_model)
            )

    def _ct_attname(self) -> str:
        return str(self.model._meta.get_field(self.ct_field).attname)

    def _matches(self, instance: Any, rel_obj: Any, ct_id: Any) -> bool:
        pk_value = getattr(instance, self.fk_field)
        pk_match = rel_obj._meta.pk.to_python(pk_value) == rel_obj.pk
        if not pk_match:
            return False
        manager = _content_types()
        cached = manager.cached_id_for_model(
            rel_obj, self.for_concrete_model, using=rel_obj._state.db
        )
        if cached is None:
            if in_async_context():
                # Assigned in this process: ct_id was set from this object.
                return ct_id is not None
            cached = self.get_content_type(obj=rel_obj).id
        return bool(cached == ct_id)

    # -- descriptor ------------------------------------------------------------
    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        cache = instance._state.fields_cache
        ct_id = getattr(instance, self._ct_attname())
        rel_obj = cache.get(self.name, _MISSING)
        if rel_obj is None:
            return None
        if rel_obj is not _MISSING and self._matches(instance, rel_obj, ct_id):
            return rel_obj
        rel_obj = None
        pk_value = getattr(instance, self.fk_field)
        if ct_id is not None and pk_value is not None:
            if in_async_context():
                raise _lazy_load_refused(type(instance), self.name)
            ct = self.get_content_type(id=ct_id, using=instance._state.db)
            try:
                rel_obj = ct.get_object_for_this_type(
                    using=instance._state.db, pk=pk_value
                )
            except (ObjectDoesNotExist, AttributeError):
                rel_obj = None
        cache[self.name] = rel_obj
        return rel_obj

    def __set__(self, instance: Any, value: Any) -> None:
        ct = None
        fk = None
        if value is not None:
            ct = self.get_content_type(obj=value)
            fk = value.pk
        setattr(instance, self.ct_field, ct)
        setattr(instance, self.fk_field, fk)
        instance._state.fields_cache[self.name] = value

    # -- queries -----------------------------------------------------------------
    def sa_join(self, compiler: Any, current: Any) -> Any:
        """Refuse queries through the key: there is no single target table."""
        raise FieldError(
            f"Field '{self.name}' does not generate an automatic reverse relation "
            "and therefore cannot be used for reverse querying. If it is a "
            "GenericForeignKey, consider adding a GenericRelation."
        )

    def get_prefetch_operation(
        self, instances: list[Any], queryset: Any, to_attr: str | None
    ) -> Operation:
        """Fetch the targets of many instances: one query per content type."""
        found, fetched = yield from self._fetch_targets_operation(instances, queryset)
        for obj in instances:
            target = self._target(obj)
            rel_obj = None if target is None else found.get((target[0], target[2]))
            if to_attr:
                setattr(obj, to_attr, rel_obj)
            else:
                obj._state.fields_cache[self.name] = rel_obj
        return fetched

    def get_prefetch_querysets(
        self, instances: list[Any], querysets: Any = None
    ) -> tuple[Any, ...]:
        """Django's prefetch protocol: the targets and how to match them."""
        from manouche.contrib.contenttypes.prefetch import GenericQuerysets
        from manouche.db.models._io import run

        per_model = GenericQuerysets(querysets) if querysets else None
        _found, fetched = run(self._fetch_targets_operation(instances, per_model))

        def target_key(rel_obj: Any) -> tuple[Any, Any]:
            return (rel_obj.pk, rel_obj._meta.concrete_model)

        def instance_key(obj: Any) -> tuple[Any, Any] | None:
            target = self._target(obj)
            if target is None:
                return None
            return (target[2], target[1]._meta.concrete_model)

        return (fetched, target_key, instance_key, True, self.name, False)

    def get_prefetch_queryset(
        self, instances: list[Any], queryset: Any = None
    ) -> tuple[Any, ...]:
        """Deprecated single-queryset form of get_prefetch_querysets()."""
        from manouche.db.models.fields._descriptor_support import (
            _deprecated_prefetch_queryset,
        )

        return _deprecated_prefetch_queryset(self, instances, queryset)

    def _target(self, obj: Any) -> tuple[Any, Any, Any] | None:
        """Return ``(content type id, model, pk)`` of ``obj``'s target (cached)."""
        ct_id = getattr(obj, self._ct_attname())
        fk = getattr(obj, self.fk_field)
        if ct_id is None or fk is None:
            return None
        manager = _content_types()
        ct = manager._cached(obj._state.db or manager.db, ct_id)
        model = ct.model_class() if ct is not None else None
        if model is None:
            return None
        return (ct_id, model, model._meta.pk.to_python(fk))

    def _fetch_targets_operation(
        self, instances: list[Any], queryset: Any
    ) -> Operation:
        """Return ``({(ct id, pk): target}, [targets])``, one query per type."""
        from manouche.contrib.contenttypes.prefetch import GenericQuerysets

        per_model = queryset if isinstance(queryset, GenericQuerysets) else None
        if queryset is not None and per_model is None:
            raise ValueError("Custom queryset can't be used for this lookup.")
        if per_model is not None:
            per_model.check_one_per_model(self.for_concrete_model)
        manager = _content_types()
        ct_attname = self._ct_attname()
        by_ct: dict[Any, set[Any]] = {}
        for obj in instances:
            ct_id = getattr(obj, ct_attname)
            if ct_id is not None:
                fk = getattr(obj, self.fk_field)
                if fk is not None:
                    by_ct.setdefault(ct_id, set()).add(fk)
        found: dict[tuple[Any, Any], Any] = {}
        fetched: list[Any] = []
        for ct_id, fks in by_ct.items():
            using = instances[0]._state.db
            ct = yield from manager._get_for_id_operation(ct_id, using)
            model = ct.model_class()
            if model is None:
                continue
            pk = model._meta.pk
            base = per_model.for_model(model) if per_model is not None else None
            if base is None:
                base = model._base_manager.using(using)
            objs = yield from base.filter(
                pk__in=[pk.to_python(fk) for fk in fks]
            )._fetch_operation()
            for rel_obj in objs:
                found[(ct_id, rel_obj.pk)] = rel_obj
            fetched.extend(objs)
        return found, fetched


class GenericRel(ForeignObjectRel):
    """The far end of a GenericRelation, listed on the tagged model's _meta."""

    def __init__(
        self,
        field: Any,
        to: Any,
        related_name: str | None = None,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
    ) -> None:
        super().__init__(
            field,
            to,
            related_name=related_query_name or "+",
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
            on_delete=DO_NOTHING,
        )

    def sa_join(self, compiler: Any, current: Any) -> tuple[Any, Callable[..., Any]]:
        """Join from the tagged model to the model holding the GenericRelation."""
        field = self.field
        target = field.model
        opts = field.remote_field.model._meta
        object_id = opts.get_field(field.object_id_field_name)
        ct_field = opts.get_field(field.content_type_field_name)
        pk_attname = target._meta.pk.attname
        ct_value = content_type_id_clause(target, field.for_concrete_model, compiler)

        def on(alias: Any) -> Any:
            local = current.c[object_id.attname]
            return sa.and_(
                _pk_as(compiler, alias.c[pk_attname], local) == local,
                current.c[ct_field.attname] == ct_value,
            )

        return target._meta.concrete_model, on


class GenericRelation(ForeignObject):
    """The reverse of GenericForeignKeys pointing at this model: a manager."""

    auto_created = False
    empty_strings_allowed = False
    many_to_many = False
    many_to_one = False
    one_to_many = True
    one_to_one = False
    rel_class = GenericRel
    mti_inherited = False

    def __init__(
        self,
        to: Any,
        object_id_field: str = "object_id",
        content_type_field: str = "content_type",
        for_concrete_model: bool = True,
        related_query_name: str | None = None,
        limit_choices_to: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs["rel"] = self.rel_class(
            self,
            to,
            related_query_name=related_query_name,
            limit_choices_to=limit_choices_to,
        )
        kwargs["blank"] = True
        kwargs["null"] = True
        kwargs["editable"] = False
        kwargs["serialize"] = False
        super(ForeignObject, self).__init__(**kwargs)
        self.object_id_field_name = object_id_field
        self.content_type_field_name = content_type_field
        self.for_concrete_model = for_concrete_model
        self.to_fields = [None]
        self.from_fields = [None]

    if TYPE_CHECKING:
        # On a model class the field is replaced by the manager descriptor.
        def __get__(self, instance: Any, owner: Any = None) -> Any: ...

        def __set__(self, instance: Any, value: Any) -> None: ...

    def get_attname_column(self) -> tuple[str, str | None]:
        return self.get_attname(), None

    def contribute_to_class(
        self, cls: Any, name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, private_only=True)
        setattr(cls, self.name, ReverseGenericManyToOneDescriptor(self.remote_field))
        if not cls._meta.abstract:
            from manouche.db.models._order_wrt import install_generic_order_accessors

            install_generic_order_accessors(self, cls)

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        cls._meta.add_relation(related)

    def set_attributes_from_rel(self) -> None:
        """Keep the field's own verbose name."""

    def check(self, **kwargs: Any) -> list[Any]:
        """Return the relation field checks plus ``contenttypes.E004``."""
        # The object id column holds ids of many models: it is not a key the
        # relation needs unique, so fields.E311 does not apply.
        errors = [e for e in super().check(**kwargs) if e.id != "fields.E311"]
        errors.extend(self._check_generic_foreign_key_existence())
        return errors

    def _check_generic_foreign_key_existence(self) -> list[Any]:
        target = self.remote_field.model
        if isinstance(target, str):
            return []  # fields.E300 already says the model is missing
        for field in target._meta.private_fields:
            if (
                isinstance(field, GenericForeignKey)
                and field.ct_field == self.content_type_field_name
                and field.fk_field == self.object_id_field_name
            ):
                return []
        return [
            checks.Error(
                "The GenericRelation defines a relation with the model "
                f"'{target._meta.label}', but that model does not have a "
                "GenericForeignKey.",
                obj=self,
                id="contenttypes.E004",
            )
        ]

    def value_to_string(self, obj: Any) -> str:
        """Return the primary keys of the related objects, as a list literal."""
        return str([related.pk for related in getattr(obj, self.name).all()])

    @property
    def target_field(self) -> Any:
        """Return the tagged model's object id field."""
        return self.remote_field.model._meta.get_field(self.object_id_field_name)

    def sa_type(self) -> Any:
        raise NotImplementedError("A GenericRelation has no column")

    def value_from_object(self, obj: Any) -> list[Any]:
        """Return the related objects (a list)."""
        return [] if obj.pk is None else list(getattr(obj, self.attname).all())

    def get_content_type(self) -> Any:
        """Return the content type of the model holding this relation."""
        return _content_types().get_for_model(
            self.model, for_concrete_model=self.for_concrete_model
        )

    def sa_join(self, compiler: Any, current: Any) -> tuple[Any, Callable[..., Any]]:
        """Join from this model to the tagged model, restricted by content type."""
        target = self.remote_field.model
        opts = target._meta
        object_id = opts.get_field(self.object_id_field_name)
        ct_field = opts.get_field(self.content_type_field_name)
        pk_attname = self.model._meta.pk.attname
        ct_value = content_type_id_clause(self.model, self.for_concrete_model, compiler)

        def on(alias: Any) -> Any:
            remote = alias.c[object_id.attname]
            return sa.and_(
                remote == _pk_as(compiler, current.c[pk_attname], remote),
                alias.c[ct_field.attname] == ct_value,
            )

        # The object id may live on a parent table of a multi-table child.
        return object_id.model._meta.concrete_model, on

    # -- deletion ----------------------------------------------------------------
    def bulk_related_objects(self, objs: list[Any], using: str = "default") -> Any:
        """Return a QuerySet of the tagged objects pointing at ``objs``."""
        from manouche.db.models._io import run

        return run(self.bulk_related_objects_operation(objs, using))

    def bulk_related_objects_operation(
        self, objs: list[Any], using: str = "default"
    ) -> Operation:
        """Return (an operation) the tagged objects pointing at ``objs``."""
        manager = _content_types()
        ct = yield from manager._get_for_model_operation(
            self.model, self.for_concrete_model, using
        )
        target = self.remote_field.model
        object_id = target._meta.get_field(self.object_id_field_name)
        ct_attname = target._meta.get_field(self.content_type_field_name).attname
        return target._base_manager.db_manager(using).filter(
            **{
                ct_attname: ct.pk,
                f"{self.object_id_field_name}__in": [
                    object_id.to_python(obj.pk) for obj in objs
                ],
            }
        )
