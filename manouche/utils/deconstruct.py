"""Class decorator that lets migrations serialise instances by their arguments."""

from __future__ import annotations

from importlib import import_module
from typing import Any, TypeVar

__all__ = ["deconstructible"]

_T = TypeVar("_T", bound=type)


def deconstructible(
    *args: Any, path: str | None = None
) -> Any:  # returns the class or a decorator
    """Record constructor arguments so ``obj.deconstruct()`` can rebuild ``obj``.

    Use bare (``@deconstructible``) or with ``path=`` naming the import path
    that migrations should write instead of the defining module.
    """

    def decorator(klass: _T) -> _T:
        original_new: Any = klass.__new__

        def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
            if original_new is object.__new__:
                obj: Any = original_new(cls)
            else:
                obj = original_new(cls, *args, **kwargs)
            obj._constructor_args = (args, kwargs)
            return obj

        def deconstruct(obj: Any) -> tuple[str, tuple[Any, ...], dict[str, Any]]:
            """Return (import path, args, kwargs) that rebuild this object."""
            if path and isinstance(path, str):
                module_name, _, name = path.rpartition(".")
            else:
                module_name, name = obj.__module__, obj.__class__.__name__
            module = import_module(module_name)
            if not hasattr(module, name):
                raise ValueError(
                    f"Could not find object {name} in {module_name}.\n"
                    "Please note that you cannot serialize things like inner "
                    "classes. Please move the object into the main module "
                    "body to use migrations.\n"
                    "For more information, see the migrations documentation."
                )
            constructor_args: tuple[tuple[Any, ...], dict[str, Any]] = (
                obj._constructor_args
            )
            return (
                path if path and isinstance(path, str) else f"{module_name}.{name}",
                constructor_args[0],
                constructor_args[1],
            )

        klass.__new__ = staticmethod(__new__)  # type: ignore[assignment]
        klass.deconstruct = deconstruct  # type: ignore[attr-defined]
        return klass

    if not args:
        return decorator
    target: Any = args[0]
    return decorator(target)
