"""``Model`` and ``ModelState``: instances, their identity, pickling and state.

The class set-up lives in ``_metaclass``; save, refresh, delete and clean
are mixins (``_saving``, ``_refresh``, ``_deleting``, ``_validation``), each
written once as operations (see ``_io``) driven sync and async.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, ClassVar

from manouche.apps import apps as global_apps
from manouche.core.exceptions import (
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from manouche.db.models import signals
from manouche.db.models._deleting import ModelDeletion
from manouche.db.models._metaclass import ModelBase
from manouche.db.models._metaclass import subclass_exception as subclass_exception
from manouche.db.models._refresh import ModelRefresh
from manouche.db.models._saving import ModelSaving
from manouche.db.models._validation import ModelValidation
from manouche.db.models.fields import NOT_PROVIDED, Field
from manouche.db.models.options import Options
from manouche.utils.encoding import force_str

__all__ = ["DEFERRED", "Model", "ModelBase", "ModelState"]


class _Deferred:
    def __repr__(self) -> str:
        return "<Deferred field>"


DEFERRED = _Deferred()


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


class Model(
    ModelSaving, ModelRefresh, ModelDeletion, ModelValidation, metaclass=ModelBase
):
    """Base class of every model."""

    _meta: ClassVar[Options]
    _state: ModelState = _LazyState()  # type: ignore[assignment]
    DoesNotExist: ClassVar[type[ObjectDoesNotExist]]
    MultipleObjectsReturned: ClassVar[type[MultipleObjectsReturned]]
    objects: ClassVar[Any]
    # Set per model class: a mixin after Model in the MRO has an __init__.
    _init_mixins: ClassVar[bool] = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: C901
        cls = self.__class__
        opts = self._meta
        if opts.abstract:
            raise TypeError("Abstract models cannot be instantiated.")
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
        if cls._init_mixins:
            super().__init__()
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

    def _get_FIELD_display(self, field: Field) -> Any:
        value = getattr(self, field.attname)
        choices = dict(_make_hashable_choices(field.flatchoices))
        try:
            label = choices.get(value, value)
        except TypeError:
            label = value
        return force_str(label, strings_only=True)

    def serializable_value(self, field_name: str) -> Any:
        """Return the value of ``field_name`` (the raw id for relations)."""
        try:
            field = self._meta.get_field(field_name)
        except FieldDoesNotExist:
            return getattr(self, field_name)
        return getattr(self, field.attname)

    @classmethod
    def check(cls, **kwargs: Any) -> list[Any]:
        """Run the system checks of this model, its fields and its managers."""
        from manouche.db.models._checks import check_model

        return check_model(cls, **kwargs)


def _settable_private(opts: Options, name: str) -> bool:
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return False
    if field in opts.private_fields or getattr(field, "many_to_many", False):
        return True
    return _is_reverse_one_to_one(field, name)


def _is_reverse_one_to_one(field: Any, name: str) -> bool:
    """Tell whether ``name`` is the accessor of a one-to-one pointing here."""
    return (
        field.one_to_one
        and not field.concrete
        and getattr(field, "get_accessor_name", None) is not None
        and field.get_accessor_name() == name
    )


def reverse_one_to_one_names(model: Any, names: Iterable[str]) -> list[str]:
    """Return those of ``names`` that are reverse one-to-one accessors.

    ``Place(restaurant=r)`` may set the reverse side in memory, but
    ``create()`` cannot store it: the row lives in the other table.
    """
    opts = model._meta
    forward = opts._forward_fields_map
    found = []
    for name in names:
        if name in forward:
            continue
        for relation in opts.related_objects:
            if _is_reverse_one_to_one(relation, name):
                found.append(name)
                break
    return found


def _make_hashable_choices(choices: Any) -> list[tuple[Any, Any]]:
    result = []
    for value, label in choices:
        try:
            hash(value)
        except TypeError:
            value = repr(value)
        result.append((value, label))
    return result


def _model_unpickle(label: str) -> Any:
    model = global_apps.get_model(label)
    return model.__new__(model)


def _register_fast_path() -> None:
    from manouche.db.models import _iterables

    _iterables.BASE_FROM_DB = Model.from_db.__func__  # type: ignore[attr-defined]


_register_fast_path()
