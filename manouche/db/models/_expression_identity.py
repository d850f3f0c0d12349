"""What besides its attributes tells two expressions apart (``identity``)."""

from __future__ import annotations

import functools
import inspect
from typing import Any

__all__ = ["call_shape"]


@functools.cache
def _variadic_parameters(klass: type) -> tuple[int, frozenset[str], bool, bool]:
    """Describe ``klass.__init__``: positional count, keyword names, *args, **kw."""
    # Every class has object.__init__ at worst.
    init = next(
        owner.__dict__["__init__"]
        for owner in klass.__mro__
        if "__init__" in owner.__dict__
    )
    try:
        signature = inspect.signature(init)
    except (TypeError, ValueError):
        return 0, frozenset(), False, False
    parameters = list(signature.parameters.values())[1:]
    kinds = inspect.Parameter
    positional = sum(
        parameter.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)
        for parameter in parameters
    )
    named = frozenset(
        parameter.name
        for parameter in parameters
        if parameter.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)
    )
    var_positional = any(p.kind is kinds.VAR_POSITIONAL for p in parameters)
    var_keyword = any(p.kind is kinds.VAR_KEYWORD for p in parameters)
    return positional, named, var_positional, var_keyword


def call_shape(klass: type, constructor_args: Any) -> tuple[Any, ...]:
    """How a call filled a constructor's ``*args`` and ``**kwargs``.

    ``E(field)`` and ``E(output_field=field)`` are the same expression when
    ``__init__`` names ``output_field``, but not when it takes ``*args,
    **kwargs``: nothing says the two calls mean the same.
    """
    if constructor_args is None:
        return ()
    positional, named, var_positional, var_keyword = _variadic_parameters(klass)
    if not (var_positional or var_keyword):
        return ()
    args, kwargs = constructor_args
    shape: list[Any] = []
    if var_positional:
        shape.append(max(0, len(args) - positional))
    if var_keyword:
        shape.append(tuple(sorted(name for name in kwargs if name not in named)))
    return tuple(shape)
