"""Turn dotted paths into view callables, for URLconfs that name views as strings."""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import import_module
from typing import Any

from manouche.core.exceptions import ViewDoesNotExist
from manouche.utils.module_loading import module_has_submodule

__all__ = ["get_callable", "get_mod_func"]


@functools.cache
def get_callable(lookup_view: Callable[..., Any] | str) -> Callable[..., Any]:
    """Return the view ``lookup_view`` names, importing it if it is a dotted path.

    Raise ImportError or ViewDoesNotExist, with a message saying which part of
    the path is wrong.
    """
    if callable(lookup_view):
        return lookup_view
    if not isinstance(lookup_view, str):
        raise ViewDoesNotExist(
            f"'{lookup_view}' is not a callable or a dot-notation path"
        )
    mod_name, func_name = get_mod_func(lookup_view)
    if not func_name:
        raise ImportError(
            f"Could not import '{lookup_view}'. The path must be fully qualified."
        )
    try:
        mod = import_module(mod_name)
    except ImportError:
        parent_name, submodule = get_mod_func(mod_name)
        if submodule and not module_has_submodule(
            import_module(parent_name), submodule
        ):
            raise ViewDoesNotExist(
                f"Could not import '{lookup_view}'. Parent module {mod_name} does not "
                "exist."
            ) from None
        raise
    try:
        view_func = getattr(mod, func_name)
    except AttributeError:
        raise ViewDoesNotExist(
            f"Could not import '{lookup_view}'. View does not exist in module "
            f"{mod_name}."
        ) from None
    if not callable(view_func):
        raise ViewDoesNotExist(
            f"Could not import '{mod_name}.{func_name}'. View is not callable."
        )
    return view_func  # type: ignore[no-any-return]


def get_mod_func(callback: str) -> tuple[str, str]:
    """Split ``"a.b.view"`` into ``("a.b", "view")``; no dot: ``(callback, "")``."""
    dot = callback.rfind(".")
    if dot == -1:
        return callback, ""
    return callback[:dot], callback[dot + 1 :]
