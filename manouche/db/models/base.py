"""``Model`` and its metaclass: class set-up, instances, save, delete, clean.

Save and delete are written once as operations (see ``_io``) driven sync by
``save()``/``delete()`` and async by ``asave()``/``adelete()``.
"""

from __future__ import annotations

import copy
import inspect
import warnings
from collections.abc import Iterable
from typing import Any, ClassVar

import sqlalchemy as sa

from manouche.apps import apps as global_apps
from manouche.core.exceptions import (
    FieldDoesNotExist,
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from manouche.db.models import signals
from manouche.db.models._io import Execute, Operation, SendSignal, arun, run
from manouche.db.models._validation import ModelValidation
from manouche.db.models.fields import NOT_PROVIDED, Field
from manouche.db.models.fields.generated import (
    generated_fields,
    refresh_generated_fields,
)
from manouche.db.models.manager import Manager
from manouche.db.models.options import Options
from manouche.utils.asyncio import run_sync
from manouche.utils.deprecation import RemovedInDjango60Warning

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState"]


class _Deferred:
    def __repr__(self) -> str:
        return "<Deferred field>"


DEFERRED = _Deferred()


def subclass_exception(
    name: str, bases: tuple[type, ...], module: str, attached_to: type
) -> type:
    """Create an exception class attached to a model (DoesNotExist...)."""
    return type(
        name,
        bases,
        {"__module__": module, "__qualname__": f"{attached_to.__qualname__}.{name}"},
    )


def _model_key(scope: Any, target: Any) -> tuple[str, str]:
    """Return ``(app_label, model_name)`` of a model class or reference."""
    if isinstance(target, str):
        if target == "self":
            return scope._meta.app_label, scope._meta.model_name
        app_label, _, name = target.rpartition(".")
        return app_label or scope._meta.app_label, name.lower()
    return target._meta.app_label, target._meta.model_name


def _has_contribute_to_class(value: Any) -> bool:
    return not inspect.isclass(value) and hasattr(value, "contribute_to_class")


class ModelBase(type):
    """Metaclass of every model: builds ``_meta``, fields and managers."""

    _meta: Any
    Meta: Any
    DoesNotExist: Any
    MultipleObjectsReturned: Any

    def __new__(  # noqa: C901 - Django's class set-up, step by step
        cls, name: str, bases: tuple[type, ...], attrs: dict[str, Any], **kwargs: Any
    ) -> Any:
        super_new = super().__new__
        parents = [b for b in bases if isinstance(b, ModelBase)]
        if not parents:
            return super_new(cls, name, bases, attrs, **kwargs)

        module = attrs.pop("__module__")
        new_attrs: dict[str, Any] = {"__module__": module}
        if "__classcell__" in attrs:
            new_attrs["__classcell__"] = attrs.pop("__classcell__")
        attr_meta = attrs.pop("Meta", None)
        contributable: dict[str, Any] = {}
        for obj_name, obj in attrs.items():
            if _has_contribute_to_class(obj):
                contributable[obj_name] = obj
            else:
                new_attrs[obj_name] = obj
        new_class: Any = super_new(cls, name, bases, new_attrs, **kwargs)

        abstract = getattr(attr_meta, "abstract", False)
        meta = attr_meta or getattr(new_class, "Meta", None)
        base_meta = getattr(new_class, "_meta", None)

        app_label = None
        app_config = global_apps.get_containing_app_config(module)
        if getattr(meta, "app_label", None) is None:
            if app_config is None:
                if not abstract:
                    raise RuntimeError(
                        f"Model class {module}.{name} doesn't declare an explicit "
                        "app_label and isn't in an application in INSTALLED_APPS."
                    )
            else:
                app_label = app_config.label

        new_class.add_to_class("_meta", Options(meta, app_label))
        if not abstract:
            new_class.add_to_class(
                "DoesNotExist",
                subclass_exception(
                    "DoesNotExist",
                    tuple(
                        x.DoesNotExist
                        for x in parents
                        if hasattr(x, "_meta") and not x._meta.abstract
                    )
                    or (ObjectDoesNotExist,),
                    module,
                    attached_to=new_class,
                ),
            )
            new_class.add_to_class(
                "MultipleObjectsReturned",
                subclass_exception(
                    "MultipleObjectsReturned",
                    tuple(
                        x.MultipleObjectsReturned
                        for x in parents
                        if hasattr(x, "_meta") and not x._meta.abstract
                    )
                    or (MultipleObjectsReturned,),
                    module,
                    attached_to=new_class,
                ),
            )
            if base_meta and not base_meta.abstract:
                if not hasattr(meta, "ordering"):
                    new_class._meta.ordering = base_meta.ordering
                if not hasattr(meta, "get_latest_by"):
                    new_class._meta.get_latest_by = base_meta.get_latest_by

        is_proxy = new_class._meta.proxy
        for obj_name, obj in contributable.items():
            new_class.add_to_class(obj_name, obj)

        new_fields = {
            *new_class._meta.local_fields,
            *new_class._meta.local_many_to_many,
            *new_class._meta.private_fields,
        }
        field_names = {f.name for f in new_fields}

        if is_proxy:
            base: Any = None
            for parent in [kls for kls in parents if hasattr(kls, "_meta")]:
                if parent._meta.abstract:
                    if parent._meta.fields:
                        raise TypeError(
                            f"Abstract base class containing model fields not "
                            f"permitted for proxy model '{name}'."
                        )
                    continue
                if base is None:
                    base = parent
                elif parent._meta.concrete_model is not base._meta.concrete_model:
                    raise TypeError(
                        f"Proxy model '{name}' has more than one non-abstract model "
                        "base class."
                    )
            if base is None:
                raise TypeError(
                    f"Proxy model '{name}' has no non-abstract model base class."
                )
            new_class._meta.setup_proxy(base)
            new_class._meta.concrete_model = base._meta.concrete_model
        else:
            new_class._meta.concrete_model = new_class

        parent_links: dict[Any, Any] = {}
        for base in reversed([new_class, *parents]):
            if not hasattr(base, "_meta"):
                continue
            if base is not new_class and not base._meta.abstract:
                continue
            for field in base._meta.local_fields:
                if getattr(field, "one_to_one", False) and getattr(
                    field.remote_field, "parent_link", False
                ):
                    # Keyed by (app_label, model_name): the target may still
                    # be a string, as in historical models.
                    parent_links[_model_key(new_class, field.remote_field.model)] = (
                        field
                    )

        inherited_attributes: set[str] = set()
        for base in new_class.mro():
            if base not in parents or not hasattr(base, "_meta"):
                inherited_attributes.update(base.__dict__)
                continue
            parent_fields = (
                base._meta.local_fields
                + base._meta.local_many_to_many
                + base._meta.private_fields
            )
            if not base._meta.abstract:
                for field in parent_fields:
                    if field.name in field_names:
                        raise FieldError(
                            f"Local field {field.name!r} in class {name!r} clashes "
                            f"with field of the same name from base class "
                            f"{base.__name__!r}."
                        )
                    inherited_attributes.add(field.name)
                base = base._meta.concrete_model
                if is_proxy:
                    continue
                base_key = (base._meta.app_label, base._meta.model_name)
                if base_key in parent_links:
                    field = parent_links[base_key]
                else:
                    from manouche.db.models.fields.related import OneToOneField

                    attr_name = f"{base._meta.model_name}_ptr"
                    field = OneToOneField(
                        base,
                        on_delete="CASCADE",
                        name=attr_name,
                        auto_created=True,
                        parent_link=True,
                    )
                    if attr_name in field_names:
                        raise FieldError(
                            f"Auto-generated field '{attr_name}' in class {name!r} "
                            f"for parent_link to base class {base.__name__!r} "
                            "clashes with declared field of the same name."
                        )
                    if not hasattr(new_class, attr_name):
                        new_class.add_to_class(attr_name, field)
                new_class._meta.parents[base] = field
            else:
                base_parents = base._meta.parents.copy()
                for field in parent_fields:
                    if (
                        field.name not in field_names
                        and field.name not in new_class.__dict__
                        and field.name not in inherited_attributes
                    ):
                        new_field = copy.deepcopy(field)
                        new_field.model = None
                        new_class.add_to_class(field.name, new_field)
                        if field.one_to_one:
                            for parent, parent_link in base_parents.items():
                                if field == parent_link:
                                    base_parents[parent] = new_field
                new_class._meta.parents.update(base_parents)
            for field in base._meta.private_fields:
                if field.name in field_names:
                    continue
                new_field = copy.deepcopy(field)
                new_class.add_to_class(field.name, new_field)

        new_class._meta.indexes = [
            copy.deepcopy(index) for index in new_class._meta.indexes
        ]
        if abstract:
            attr_meta.abstract = False
            new_class.Meta = attr_meta
            return new_class

        new_class._prepare()
        new_class._meta.apps.register_model(new_class._meta.app_label, new_class)
        return new_class

    def add_to_class(cls, name: str, value: Any) -> None:
        """Attach ``value``: call its contribute_to_class or set it."""
        if _has_contribute_to_class(value):
            value.contribute_to_class(cls, name)
        else:
            setattr(cls, name, value)

    def _prepare(cls) -> None:
        opts = cls._meta
        opts._prepare(cls)
        if cls.__doc__ is None:
            names = ", ".join(f.name for f in opts.fields)
            cls.__doc__ = f"{cls.__name__}({names})"
        if not opts.managers:
            if any(f.name == "objects" for f in opts.fields):
                raise ValueError(
                    f"Model {cls.__name__} must specify a custom Manager, because "
                    "it has a field named 'objects'."
                )
            manager = Manager()
            manager.auto_created = True
            cls.add_to_class("objects", manager)
        for index in opts.indexes:
            if not index.name:
                index.set_name_with_model(cls)
        if signals.class_prepared.receivers:
            signals.class_prepared.send(sender=cls)

    @property
    def _base_manager(cls) -> Any:
        return cls._meta.base_manager

    @property
    def _default_manager(cls) -> Any:
        return cls._meta.default_manager


class ModelState:
    """Per-instance ORM state: the database it came from and whether new.

    The two caches are created on first use: most fetched rows never need
    them, and allocating them per row is measurable on large fetches.
    """

    __slots__ = ("_fields_cache", "_related_managers_cache", "adding", "db")
    _fields_cache: dict[str, Any]
    _related_managers_cache: dict[str, Any]

    def __init__(self, db: str | None = None, adding: bool = True) -> None:
        self.db = db
        self.adding = adding

    @property
    def fields_cache(self) -> dict[str, Any]:
        """Return the cache of related objects, by field name."""
        try:
            return self._fields_cache
        except AttributeError:
            cache: dict[str, Any] = {}
            self._fields_cache = cache
            return cache

    @fields_cache.setter
    def fields_cache(self, value: dict[str, Any]) -> None:
        self._fields_cache = value

    @property
    def related_managers_cache(self) -> dict[str, Any]:
        """Return the cache of related managers, by accessor name."""
        try:
            return self._related_managers_cache
        except AttributeError:
            cache: dict[str, Any] = {}
            self._related_managers_cache = cache
            return cache

    def __copy__(self) -> ModelState:
        clone = ModelState(self.db, self.adding)
        clone._fields_cache = dict(self.fields_cache)
        return clone

    def __getstate__(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "adding": self.adding,
            "fields_cache": dict(self.fields_cache),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.db = state["db"]
        self.adding = state["adding"]
        self._fields_cache = state["fields_cache"]


_new_state = ModelState


class _LazyState:
    """Build ``instance._state`` on first access for rows read by a fetch.

    A fetch stores only the database alias (``_state_db``); most rows never
    touch their state, and not allocating it per row is measurable.
    """

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        state = ModelState(data.pop("_state_db", None), False)
        data["_state"] = state
        return state


class Model(ModelValidation, metaclass=ModelBase):
    """Base class of every model."""

    _meta: ClassVar[Options]
    _state: ModelState = _LazyState()  # type: ignore[assignment]
    DoesNotExist: ClassVar[type[ObjectDoesNotExist]]
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]
    objects: ClassVar[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: C901
        cls = self.__class__
        opts = self._meta
        if signals.pre_init.receivers:
            signals.pre_init.send(sender=cls, args=args, kwargs=kwargs)
        self._state = _new_state(None, True)
        fields = opts.concrete_fields
        if len(args) > len(fields):
            raise IndexError("Number of args exceeds number of fields")
        data = self.__dict__
        for value, field in zip(args, fields, strict=False):
            if value is DEFERRED:
                continue
            data[field.attname] = value
            if kwargs.pop(field.name, NOT_PROVIDED) is not NOT_PROVIDED:
                raise TypeError(
                    f"{cls.__qualname__}() got both positional and keyword "
                    f"arguments for field '{field.name}'."
                )
        for field in fields[len(args) :]:
            if kwargs:
                if field.is_relation and field.name in kwargs:
                    related = kwargs.pop(field.name)
                    if related is not DEFERRED:
                        setattr(self, field.name, related)
                    continue
                value = kwargs.pop(field.attname, NOT_PROVIDED)
                if value is NOT_PROVIDED:
                    value = field.get_default()
            else:
                value = field.get_default()
            if value is not DEFERRED:
                if field.is_relation:
                    setattr(self, field.attname, value)
                else:
                    data[field.attname] = value
        if kwargs:
            property_names = opts._property_names
            unexpected = []
            for name, value in kwargs.items():
                if name in property_names or _settable_private(opts, name):
                    if value is not DEFERRED:
                        setattr(self, name, value)
                else:
                    unexpected.append(name)
            if unexpected:
                names = ", ".join(repr(name) for name in unexpected)
                raise TypeError(
                    f"{cls.__name__}() got unexpected keyword arguments: {names}"
                )
        if signals.post_init.receivers:
            signals.post_init.send(sender=cls, instance=self)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Iterable[str], values: Iterable[Any]
    ) -> Any:
        """Build an instance from a database row without running __init__ work."""
        if signals.pre_init.receivers or signals.post_init.receivers:
            return cls._from_db_with_signals(db, field_names, values)
        new = cls.__new__(cls)
        data = new.__dict__
        data.update(zip(field_names, values, strict=True))
        data["_state_db"] = db
        return new

    @classmethod
    def _from_db_with_signals(
        cls, db: str | None, field_names: Iterable[str], values: Iterable[Any]
    ) -> Any:
        row = dict(zip(field_names, values, strict=True))
        args = [row.get(f.attname, DEFERRED) for f in cls._meta.concrete_fields]
        new = cls(*args)
        new._state.adding = False
        new._state.db = db
        return new

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}: {self}>"

    def __str__(self) -> str:
        return f"{self.__class__.__name__} object ({self.pk})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if self._meta.concrete_model != other._meta.concrete_model:
            return False
        my_pk = self.pk
        if my_pk is None:
            return self is other
        return bool(my_pk == other.pk)

    def __hash__(self) -> int:
        if self.pk is None:
            raise TypeError("Model instances without primary key value are unhashable")
        return hash(self.pk)

    def __reduce__(self) -> Any:
        data = self.__getstate__()
        return (_model_unpickle, (self._meta.label,), data)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_state"] = copy.copy(self._state)
        state.pop("_state_db", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def _get_pk_val(self, meta: Options | None = None) -> Any:
        meta = meta or self._meta
        return getattr(self, meta.pk.attname)

    def _set_pk_val(self, value: Any) -> None:
        for parent_link in self._meta.parents.values():
            if parent_link and parent_link != self._meta.pk:
                setattr(self, parent_link.target_field.attname, value)
        setattr(self, self._meta.pk.attname, value)

    pk = property(_get_pk_val, _set_pk_val)

    def _is_pk_set(self, meta: Options | None = None) -> bool:
        """Whether this instance has a primary key value (for ``meta``'s model)."""
        return self._get_pk_val(meta) is not None

    def get_deferred_fields(self) -> set[str]:
        """Return the attnames of fields not loaded on this instance."""
        data = self.__dict__
        return {
            field.attname
            for field in self._meta.concrete_fields
            if field.attname not in data
        }

    def _get_FIELD_display(self, field: Field) -> str:
        value = getattr(self, field.attname)
        choices = dict(_make_hashable_choices(field.flatchoices))
        try:
            label = choices.get(value, value)
        except TypeError:
            label = value
        return str(label)

    # -- refresh --------------------------------------------------------------
    def refresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Reload field values from the database."""
        run(self._refresh_operation(using, fields, from_queryset))

    async def arefresh_from_db(
        self,
        using: str | None = None,
        fields: Iterable[str] | None = None,
        from_queryset: Any = None,
    ) -> None:
        """Reload field values from the database (async)."""
        await arun(self._refresh_operation(using, fields, from_queryset))

    def _refresh_queryset(
        self, using: str | None, field_list: list[str] | None, from_queryset: Any
    ) -> tuple[Any, list[str]]:
        opts = self._meta
        queryset = (
            from_queryset
            if from_queryset is not None
            else self.__class__._base_manager.db_manager(
                using or self._state.db
            ).get_queryset()
        )
        queryset = queryset.filter(pk=self.pk)
        attnames: list[str] = []
        if field_list is not None:
            attnames = [opts.get_field(name).attname for name in field_list]
            queryset = queryset.only(*attnames)
        else:
            deferred = self.get_deferred_fields()
            if deferred:
                loaded = [
                    f.attname for f in opts.concrete_fields if f.attname not in deferred
                ]
                queryset = queryset.only(*loaded)
        return queryset, attnames

    def _refresh_operation(
        self, using: str | None, fields: Iterable[str] | None, from_queryset: Any
    ) -> Operation:
        opts = self._meta
        field_list = list(fields) if fields is not None else None
        if field_list is not None:
            if not field_list:
                return None
            for name in field_list:
                if "__" in name:
                    raise ValueError(
                        f'Found "__" in fields argument. Relations and transforms '
                        f"are not allowed in fields: {name}"
                    )
        queryset, attnames = self._refresh_queryset(using, field_list, from_queryset)
        found = yield from queryset._fetch_operation()
        if not found:
            raise self.DoesNotExist(
                f"{self.__class__.__name__} matching query does not exist."
            )
        fresh = found[0]
        data = fresh.__dict__
        for field in opts.concrete_fields:
            if field.attname not in data:
                continue
            if field_list is not None and field.attname not in attnames:
                continue
            self.__dict__[field.attname] = data[field.attname]
            if field.is_relation:
                self._state.fields_cache.pop(field.name, None)
        for relation in opts.related_objects:
            self._state.fields_cache.pop(relation.get_cache_name(), None)
        if field_list is None:
            self._state.fields_cache.clear()
            self.__dict__.pop("_prefetched_objects_cache", None)
        self._state.db = fresh._state.db
        return None

    def serializable_value(self, field_name: str) -> Any:
        """Return the value of ``field_name`` (the raw id for relations)."""
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    # -- save -----------------------------------------------------------------
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
        if type(self).save is not Model.save or type(self).save_base is not (
            Model.save_base
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
            updated = yield from self._save_table(
                raw, cls, force_insert, force_update, using, update_fields
            )
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
        self, cls: Any, using: str, update_fields: Any, force_insert: Any
    ) -> Operation:
        meta = cls._meta
        inserted = False
        for parent, field in meta.parents.items():
            if (
                field
                and getattr(self, parent._meta.pk.attname) is None
                and getattr(self, field.attname) is not None
            ):
                setattr(self, parent._meta.pk.attname, getattr(self, field.attname))
            parent_inserted = yield from self._save_parents(
                parent, using, update_fields, force_insert
            )
            updated = yield from self._save_table(
                cls=parent,
                using=using,
                update_fields=update_fields,
                force_insert=parent_inserted or _forced_parent(force_insert, parent),
            )
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
            if values:
                statement = (
                    sa.update(table)
                    .where(
                        table.c[meta.pk.attname] == meta.pk.get_db_prep_value(pk_val)
                    )
                    .values(_compile_values(cls, values))
                )
                result = yield Execute(using, statement)
                updated = result.rowcount > 0
                if not updated and meta.select_on_save:
                    updated = False
            elif update_fields:
                # None of the requested fields live in this table.
                updated = True
            else:
                exists = (
                    sa.select(sa.literal(1))
                    .select_from(table)
                    .where(
                        table.c[meta.pk.attname] == meta.pk.get_db_prep_value(pk_val)
                    )
                    .limit(1)
                )
                result = yield Execute(using, exists)
                updated = bool(result.rows)
            if force_update and not updated:
                from manouche.db import DatabaseError

                raise DatabaseError("Forced update did not affect any rows.")
            if update_fields and not updated:
                from manouche.db import DatabaseError

                raise DatabaseError("Save with update_fields did not affect any rows.")
        if not updated:
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
        statement = sa.insert(table).values(_compile_values(cls, values))
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
                    cache.pop(field.name, None)
                raise ValueError(
                    f"{operation_name}() prohibited to prevent data loss due to "
                    f"unsaved related object '{field.name}'."
                )
            target_value = getattr(obj, field.target_field.attname)
            if getattr(self, field.attname) in field.empty_values:
                setattr(self, field.name, obj)
            elif getattr(self, field.attname) != target_value:
                cache.pop(field.name, None)

    # -- delete -----------------------------------------------------------------
    def delete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Delete this row and what cascades from it; return the counts."""
        result: tuple[int, dict[str, int]] = run(
            self._delete_operation(using, keep_parents)
        )
        return result

    delete.alters_data = True  # type: ignore[attr-defined]

    async def adelete(
        self, using: str | None = None, keep_parents: bool = False
    ) -> tuple[int, dict[str, int]]:
        """Delete asynchronously; an overridden delete() runs in a worker thread."""
        if type(self).delete is not Model.delete:
            result: tuple[int, dict[str, int]] = await run_sync(
                lambda: self.delete(using=using, keep_parents=keep_parents)
            )
            return result
        return await arun(self._delete_operation(using, keep_parents))  # type: ignore[no-any-return]

    adelete.alters_data = True  # type: ignore[attr-defined]

    def _delete_operation(self, using: str | None, keep_parents: bool) -> Operation:
        from manouche.db import router
        from manouche.db.models.deletion import Collector

        if self.pk is None:
            raise ValueError(
                f"{self._meta.object_name} object can't be deleted because its "
                f"{self._meta.pk.attname} attribute is set to None."
            )
        using = using or router.db_for_write(self.__class__, instance=self)
        collector = Collector(using=using, origin=self)
        yield from collector.collect([self], keep_parents=keep_parents)
        result = yield from collector.delete()
        return result


def _settable_private(opts: Options, name: str) -> bool:
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return False
    return field in opts.private_fields or bool(getattr(field, "many_to_many", False))


def _make_hashable_choices(choices: Any) -> list[tuple[Any, Any]]:
    result = []
    for value, label in choices:
        try:
            hash(value)
        except TypeError:
            value = repr(value)
        result.append((value, label))
    return result


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


def _compile_values(model: Any, values: dict[str, Any]) -> dict[str, Any]:
    if not any(hasattr(v, "as_sa") for v in values.values()):
        return values
    from manouche.db.models.sql.compiler import SQLCompiler
    from manouche.db.models.sql.query import Query

    compiler = SQLCompiler(Query(model), None, for_update_statement=True)
    return {
        key: value.as_sa(compiler) if hasattr(value, "as_sa") else value
        for key, value in values.items()
    }


def _model_unpickle(label: str) -> Any:
    model = global_apps.get_model(label)
    return model.__new__(model)


def _register_fast_path() -> None:
    from manouche.db.models import _iterables

    _iterables.BASE_FROM_DB = Model.from_db.__func__  # type: ignore[attr-defined]


_register_fast_path()
