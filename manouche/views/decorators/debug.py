"""Mark variables and POST parameters to hide from error reports.

The markers are read by the exception reporter filter in manouche.views.debug:

* a sync function wrapped by ``sensitive_variables`` runs inside a frame named
  ``sensitive_variables_wrapper`` whose local of the same name carries a
  ``sensitive_variables`` attribute (a tuple of names or ``"__ALL__"``);
* an async function cannot be found that way (its frame is not under the
  wrapper), so it is registered in ``coroutine_functions_to_sensitive_variables``
  under ``hash(f"{code.co_filename}:{code.co_firstlineno}")``;
* ``sensitive_post_parameters`` sets ``request.sensitive_post_parameters``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from manouche.http import HttpRequest
from manouche.utils.asyncio import iscoroutinefunction

__all__ = [
    "coroutine_functions_to_sensitive_variables",
    "sensitive_post_parameters",
    "sensitive_variables",
]

_View = TypeVar("_View", bound="Callable[..., Any]")

coroutine_functions_to_sensitive_variables: dict[int, tuple[str, ...] | str] = {}


def _register_coroutine_function(func: Any, variables: tuple[str, ...]) -> None:
    wrapped_func = func
    while getattr(wrapped_func, "__wrapped__", None) is not None:
        wrapped_func = wrapped_func.__wrapped__
    try:
        file_path = inspect.getfile(wrapped_func)
    except TypeError:  # Builtins and native functions have no file.
        raise ValueError(
            f"{func.__name__} cannot safely be wrapped by @sensitive_variables, "
            "make it either non-async or defined in a Python file (not a "
            "builtin or from a native extension)."
        )
    # The first line number identifies the function even without its source.
    key = hash(f"{file_path}:{wrapped_func.__code__.co_firstlineno}")
    coroutine_functions_to_sensitive_variables[key] = variables or "__ALL__"


def sensitive_variables(*variables: str) -> Callable[[_View], _View]:
    """Hide the named local variables (all of them if none) from error reports.

    Usage: ``@sensitive_variables("user", "password")``; it must be called.
    """
    if len(variables) == 1 and callable(variables[0]):
        raise TypeError(
            "sensitive_variables() must be called to use it as a decorator, "
            "e.g., use @sensitive_variables(), not @sensitive_variables."
        )

    def decorator(func: _View) -> _View:
        if iscoroutinefunction(func):
            _register_coroutine_function(func, variables)
            return func

        @wraps(func)
        def sensitive_variables_wrapper(*func_args: Any, **func_kwargs: Any) -> Any:
            # Set inside the body so the wrapper is a local of this frame, where
            # the exception reporter finds it.
            sensitive_variables_wrapper.sensitive_variables = (  # type: ignore[attr-defined]
                variables or "__ALL__"
            )
            return func(*func_args, **func_kwargs)

        return cast("_View", sensitive_variables_wrapper)

    return decorator


def _check_request(request: Any) -> None:
    if not isinstance(request, HttpRequest):
        raise TypeError(
            "sensitive_post_parameters didn't receive an HttpRequest object. If you "
            "are decorating a classmethod, make sure to use @method_decorator."
        )


def sensitive_post_parameters(*parameters: str) -> Callable[[_View], _View]:
    """Hide the named POST parameters (all of them if none) from error reports.

    Usage: ``@sensitive_post_parameters("password")``; it must be called.
    """
    if len(parameters) == 1 and callable(parameters[0]):
        raise TypeError(
            "sensitive_post_parameters() must be called to use it as a "
            "decorator, e.g., use @sensitive_post_parameters(), not "
            "@sensitive_post_parameters."
        )
    marker: tuple[str, ...] | str = parameters or "__ALL__"

    def decorator(view: _View) -> _View:
        if iscoroutinefunction(view):

            @wraps(view)
            async def sensitive_post_parameters_wrapper(
                request: Any, *args: Any, **kwargs: Any
            ) -> Any:
                _check_request(request)
                request.sensitive_post_parameters = marker
                return await view(request, *args, **kwargs)

        else:

            @wraps(view)
            def sensitive_post_parameters_wrapper(
                request: Any, *args: Any, **kwargs: Any
            ) -> Any:
                _check_request(request)
                request.sensitive_post_parameters = marker
                return view(request, *args, **kwargs)

        return cast("_View", sensitive_post_parameters_wrapper)

    return decorator
