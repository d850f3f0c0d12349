"""Managers: the class-level entry point to QuerySets (``Model.objects``)."""

from __future__ import annotations

import copy
import inspect
from typing import Any

__all__ = ["BaseManager", "EmptyManager", "Manager", "ManagerDescriptor"]


def _plain_signature(function: Any) -> inspect.Signature:
    """``function``'s signature with the annotations left out."""
    signature = inspect.signature(function)
    return signature.replace(
        parameters=[
            parameter.replace(annotation=inspect.Parameter.empty)
            for parameter in signature.parameters.values()
        ],
        return_annotation=inspect.Signature.empty,
    )


class BaseManager:
    """Proxy QuerySet methods onto a model class attribute."""

    creation_counter = 0
    _constructor_args: tuple[tuple[Any, ...], dict[str, Any]]
    auto_created = False
    use_in_migrations = False
    _queryset_class: Any = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls)
        obj._constructor_args = (args, kwargs)
        return obj

    def __init__(self) -> None:
        super().__init__()
        self._set_creation_counter()
        self.model: Any = None
        self.name: str = ""
        self._db: str | None = None
        self._hints: dict[str, Any] = {}

    def __str__(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def __class_getitem__(cls, *args: Any, **kwargs: Any) -> type:
        return cls

    def deconstruct(self) -> tuple[bool, str, None, tuple[Any, ...], dict[str, Any]]:
        """Return (as_manager, path, qs_path, args, kwargs) for migrations."""
        args, kwargs = self._constructor_args
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return False, path, None, args, kwargs

    def check(self, **kwargs: Any) -> list[Any]:
        """Return system check messages (none)."""
        return []

    @classmethod
    def _get_queryset_methods(cls, queryset_class: type) -> dict[str, Any]:
        def create_method(name: str, method: Any) -> Any:
            def manager_method(self: Any, *args: Any, **kwargs: Any) -> Any:
                return getattr(self.get_queryset(), name)(*args, **kwargs)

            manager_method.__name__ = method.__name__
            manager_method.__doc__ = method.__doc__
            # inspect.signature() shows the QuerySet method's parameters
            # (without the annotations, which name QuerySet-module types).
            manager_method.__signature__ = _plain_signature(method)  # type: ignore[attr-defined]
            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(
            queryset_class, predicate=inspect.isfunction
        ):
            if hasattr(cls, name):
                continue
            queryset_only = getattr(method, "queryset_only", None)
            if queryset_only or (queryset_only is None and name.startswith("_")):
                continue
            new_methods[name] = create_method(name, method)
        return new_methods

    @classmethod
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        """Return a Manager subclass exposing ``queryset_class``'s methods."""
        if class_name is None:
            class_name = f"{cls.__name__}From{queryset_class.__name__}"
        return type(
            class_name,
            (cls,),
            {
                "_queryset_class": queryset_class,
                **cls._get_queryset_methods(queryset_class),
            },
        )

    def contribute_to_class(self, cls: Any, name: str) -> None:
        """Attach the manager to a model under ``name``."""
        self.name = self.name or name
        self.model = cls
        setattr(cls, name, ManagerDescriptor(self))
        cls._meta.add_manager(self)

    def _set_creation_counter(self) -> None:
        self.creation_counter = BaseManager.creation_counter
        BaseManager.creation_counter += 1

    def _copy_to_model(self, model: Any) -> Any:
        manager = copy.copy(self)
        manager.model = model
        return manager

    def db_manager(
        self, using: str | None = None, hints: dict[str, Any] | None = None
    ) -> Any:
        """Return a copy of this manager bound to database ``using``."""
        obj = copy.copy(self)
        obj._db = using or self._db
        obj._hints = hints or self._hints
        return obj

    @property
    def db(self) -> str:
        """Return the database reads go to."""
        from manouche.db import router

        return self._db or router.db_for_read(self.model, **self._hints)

    def get_queryset(self) -> Any:
        """Return a new QuerySet; override to filter what the manager sees."""
        return self._queryset_class(model=self.model, using=self._db, hints=self._hints)

    def all(self) -> Any:
        """Return a QuerySet of every row (a copy of get_queryset())."""
        return self.get_queryset()

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, self.__class__)
            and self._constructor_args == other._constructor_args
        )

    def __hash__(self) -> int:
        return id(self)


class ManagerDescriptor:
    """Give access to a manager from the class, never from instances."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is not None:
            raise AttributeError(
                f"Manager isn't accessible via {cls.__name__} instances"
            )
        if cls._meta.abstract:
            raise AttributeError(
                f"Manager isn't available; {cls._meta.object_name} is abstract"
            )
        return cls._meta.managers_map[self.manager.name]


from manouche.db.models.query import QuerySet  # noqa: E402 - circular by design


class Manager(BaseManager.from_queryset(QuerySet)):  # type: ignore[misc]
    """The default manager class."""


class EmptyManager(Manager):
    """A manager whose queryset is always empty."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def get_queryset(self) -> Any:
        return super().get_queryset().none()
