"""``ModelBase``: the metaclass that turns a class statement into a model.

Builds ``_meta``, the per-model exceptions, inherited and parent-link fields
and the default manager; instances and their I/O live in ``base``.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from manouche.apps import apps as global_apps
from manouche.core.exceptions import (
    FieldError,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
)
from manouche.db.models import signals
from manouche.db.models.manager import Manager
from manouche.db.models.options import Options

__all__ = ["ModelBase", "subclass_exception"]


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
                if not is_proxy:
                    # A proxy has no parent link, but still copies private fields.
                    _add_parent_link(new_class, base, parent_links, field_names)
            else:
                base_parents = base._meta.parents.copy()
                # Private fields are copied once, below, for every kind of base.
                for field in base._meta.local_fields + base._meta.local_many_to_many:
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
        cls._init_mixins = _has_mixin_init(cls)
        if opts.order_with_respect_to:
            _prepare_order_with_respect_to(cls)
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


def _prepare_order_with_respect_to(cls: Any) -> None:
    """Add the in-order accessors, and the related model's once it is ready."""
    from manouche.db.models._order_wrt import (
        install_order_accessors,
        install_related_order_accessors,
    )
    from manouche.db.models.fields.related import lazy_related_operation

    install_order_accessors(cls)
    remote_field = cls._meta.order_with_respect_to.remote_field
    if remote_field is not None:
        lazy_related_operation(install_related_order_accessors, cls, remote_field.model)


def _has_mixin_init(cls: Any) -> bool:
    """Tell whether a class after ``Model`` in the MRO defines ``__init__``.

    ``Model.__init__`` then calls ``super().__init__()`` so such a mixin is
    initialised; other models skip the call.
    """
    mro = cls.__mro__
    for index, klass in enumerate(mro):
        if klass.__name__ == "Model" and klass.__module__ == "manouche.db.models.base":
            return any(
                "__init__" in later.__dict__
                for later in mro[index + 1 :]
                if later is not object
            )
    return False


def _add_parent_link(
    new_class: Any, base: Any, parent_links: dict[Any, Any], field_names: set[str]
) -> None:
    """Link ``new_class`` to its concrete multi-table parent ``base``."""
    base = base._meta.concrete_model
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
                f"Auto-generated field '{attr_name}' in class "
                f"{new_class.__name__!r} for parent_link to base class "
                f"{base.__name__!r} clashes with declared field of the same name."
            )
        if not hasattr(new_class, attr_name):
            new_class.add_to_class(attr_name, field)
    new_class._meta.parents[base] = field
