"""Run consecutive ``MiddlewareMixin`` layers of an async chain in one coroutine.

Built the usual way, each middleware of an async chain costs two coroutines
per request: its ``__acall__`` and the exception-to-response wrapper around
it. When a run of outermost layers are plain ``MiddlewareMixin`` instances
(``__call__`` and ``__acall__`` not overridden, ``get_response`` untouched),
``flatten`` replaces them with one coroutine that calls their hooks in the
same order, with the same exception handling:

- ``process_request`` hooks run outermost first; the first truthy answer
  skips the rest and the inner handler, and its layer's ``process_response``
  still runs;
- an exception in a layer's hook becomes a response (as the layer's own
  wrapper would make it), its own ``process_response`` is skipped and the
  outer layers' ``process_response`` hooks see that response.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from manouche.core.handlers.exception import _response_for_raised
from manouche.utils.asyncio import run_sync
from manouche.utils.deprecation import _AWAIT, _IN_LOOP, MiddlewareMixin

__all__ = ["Layer", "flatten"]

#: One middleware as load_middleware built it: the instance, the handler it
#: was given, and whether it runs in async mode.
Layer = tuple[Any, Callable[..., Any], bool]
# process_request, whether it is called on the loop (else awaited), and the
# same for process_response. A missing hook is None.
_Hooks = tuple[Any, bool, Any, bool]


def _flattenable(instance: Any, given: Callable[..., Any], is_async: bool) -> bool:
    cls = type(instance)
    return (
        is_async
        and isinstance(instance, MiddlewareMixin)
        and cls.__call__ is MiddlewareMixin.__call__
        and cls.__acall__ is MiddlewareMixin.__acall__
        and getattr(instance, "get_response", None) is given
        and getattr(instance, "_is_async", False)
    )


def _hook(hook: Any, mode: int) -> tuple[Any, bool]:
    """Return ``hook`` as called on the loop, or as a coroutine function."""
    if hook is None or mode == _IN_LOOP:
        return hook, True
    if mode == _AWAIT:
        return hook, False
    return functools.partial(run_sync, hook), False


def _hooks(layer: Any) -> _Hooks:
    request_hook = _hook(layer._process_request, layer._request_mode)
    response_hook = _hook(layer._process_response, layer._response_mode)
    return (*request_hook, *response_hook)


def flatten(
    outer_first: Sequence[Layer], chain: Callable[..., Any]
) -> Callable[..., Any]:
    """Return a coroutine function equivalent to ``chain``, flatter if possible.

    ``outer_first`` lists the layers from the outermost; ``chain`` is the
    handler that calls the outermost one.
    """
    flat: list[Any] = []
    for instance, given, is_async in outer_first:
        if not _flattenable(instance, given, is_async):
            break
        flat.append(instance)
    if not flat:
        return chain
    hooks = tuple(_hooks(layer) for layer in flat)
    # The handler the innermost flattened layer calls. When it is the usual
    # exception-converting wrapper, call what it wraps and convert here: one
    # coroutine fewer. An exception from any other handler skips the innermost
    # layer's process_response, as it would propagate through its __acall__.
    inner = flat[-1].get_response
    unwrapped = getattr(inner, "_manouche_converts", None)
    after_raise = len(flat) if unwrapped is not None else len(flat) - 1
    return _flat_chain(hooks, unwrapped or inner, after_raise)


def _flat_chain(
    hooks: tuple[_Hooks, ...], inner: Callable[..., Any], after_raise: int
) -> Callable[..., Any]:
    count = len(hooks)
    # (layer index, hook, called on the loop) for the hooks that exist: the
    # request hooks outermost first, the response hooks innermost first.
    request_steps = tuple(
        (index, hook, in_loop)
        for index, (hook, in_loop, _, _) in enumerate(hooks)
        if hook is not None
    )
    response_steps = tuple(
        (index, hook, in_loop)
        for index, (_, _, hook, in_loop) in reversed(list(enumerate(hooks)))
        if hook is not None
    )

    async def middleware_chain(request: Any) -> Any:
        response = None
        # Layers [0, reached) have their process_response run on the way out.
        reached = count
        for index, hook, in_loop in request_steps:
            try:
                response = hook(request) if in_loop else await hook(request)
            except Exception as exc:
                response = await run_sync(_response_for_raised, request, exc)
                reached = index
                break
            if response:
                reached = index + 1
                break
        else:
            try:
                response = await inner(request)
            except Exception as exc:
                response = await run_sync(_response_for_raised, request, exc)
                reached = after_raise
        for index, hook, in_loop in response_steps:
            if index >= reached:
                continue
            try:
                if in_loop:
                    response = hook(request, response)
                else:
                    response = await hook(request, response)
            except Exception as exc:
                response = await run_sync(_response_for_raised, request, exc)
        return response

    return middleware_chain
