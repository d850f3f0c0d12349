"""Run consecutive ``MiddlewareMixin`` layers of an async chain in one coroutine.

Built the usual way, each middleware of an async chain costs two coroutines
per request: its ``__acall__`` and the exception-to-response wrapper around
it. When a run of outermost layers are plain ``MiddlewareMixin`` instances
(``__call__`` and ``__acall__`` not overridden, ``get_response`` untouched),
``plan_flat_chain`` and ``compile_chain`` replace them with one coroutine that
calls their hooks in the same order, with the same exception handling:

- ``process_request`` hooks run outermost first; the first truthy answer
  skips the rest and the inner handler, and its layer's ``process_response``
  still runs;
- an exception in a layer's hook becomes a response (as the layer's own
  wrapper would make it), its own ``process_response`` is skipped and the
  outer layers' ``process_response`` hooks see that response.

A layer may also describe its ``process_response`` as data
(``MiddlewareMixin._response_entries``): the header entries it adds when the
response lacks them. The chain then stores those itself for a *plain*
response (not streaming, not a 404, not ``xframe_options_exempt``) and calls
the hook for any other, which by contract gives the same result.

When the chain ends at the handler's own view call, with no view or
exception middleware in between (``DirectView``), the flat coroutine also
resolves the URL and calls the view itself: one coroutine per request in all.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from manouche.conf import settings
from manouche.core.handlers.exception import _response_for_raised
from manouche.http.response import HttpResponse
from manouche.urls.resolvers import _get_cached_resolver
from manouche.utils.asyncio import iscoroutinefunction, run_sync
from manouche.utils.deprecation import _AWAIT, _IN_LOOP, MiddlewareMixin

__all__ = [
    "DirectView",
    "FlatChain",
    "Layer",
    "chain_source",
    "compile_chain",
    "compile_function",
    "indent",
    "plan_flat_chain",
]

#: One middleware as load_middleware built it: the instance, the handler it
#: was given, and whether it runs in async mode.
Layer = tuple[Any, Callable[..., Any], bool]
# process_request, whether it is called on the loop (else awaited), the same
# for process_response, and the response hook as data (or None). A missing
# hook is None.
_Hooks = tuple[Any, bool, Any, bool, Any]


class DirectView(NamedTuple):
    """What the flat chain needs to stand in for ``_get_response_async``.

    The handler offers one only when that method and the ones it calls are
    its own, and no view or exception middleware is installed.
    """

    #: The handler's _get_response_async: requests the chain does not call
    #: the view for itself (a per-request URLconf, ATOMIC_REQUESTS) go there.
    get_response: Callable[..., Any]
    #: Requests of exactly this class may take the direct way (None: none).
    request_class: type | None
    #: Runs a sync view in a worker thread (tidying its connections).
    run_sync_view: Callable[..., Any]
    #: Checks and renders what a view returned when it is not a plain response.
    finish: Callable[..., Any]
    #: Per response class, whether it may have to be rendered.
    renders: dict[type, bool]


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
    entries = layer._response_entries() if response_hook[0] is not None else None
    return (*request_hook, *response_hook, entries)


class FlatChain(NamedTuple):
    """A run of flattened layers, outermost first: what the source is made from."""

    hooks: tuple[_Hooks, ...]
    #: The handler the innermost layer calls (unwrapped when it converts).
    inner: Callable[..., Any]
    #: Layers whose process_response still runs when ``inner`` raises.
    after_raise: int
    direct: DirectView | None


def plan_flat_chain(
    outer_first: Sequence[Layer],
    chain: Callable[..., Any],
    direct: DirectView | None = None,
) -> FlatChain | None:
    """Return the flattenable layers of a chain, or None if none flatten.

    ``outer_first`` lists the layers from the outermost; ``chain`` is the
    handler that calls the outermost one (with no layers, the handler that
    calls the view); ``direct``, when given, lets the chain call the view
    itself if the innermost layer would reach it.
    """
    flat: list[Any] = []
    for instance, given, is_async in outer_first:
        if not _flattenable(instance, given, is_async):
            break
        flat.append(instance)
    if not flat and outer_first:
        return None
    hooks = tuple(_hooks(layer) for layer in flat)
    # The handler the innermost flattened layer calls. When it is the usual
    # exception-converting wrapper, call what it wraps and convert here: one
    # coroutine fewer. An exception from any other handler skips the innermost
    # layer's process_response, as it would propagate through its __acall__.
    inner = flat[-1].get_response if flat else chain
    unwrapped = getattr(inner, "_manouche_converts", None)
    after_raise = len(flat) if unwrapped is not None else len(flat) - 1
    if direct is not None and unwrapped != direct.get_response:
        direct = None
    if not flat and direct is None:
        return None
    return FlatChain(hooks, unwrapped or inner, after_raise, direct)


def compile_chain(flat: FlatChain) -> Callable[..., Any]:
    """Return the coroutine function running ``flat`` for one request."""
    namespace: dict[str, Any] = {}
    lines = ["async def middleware_chain(request):"]
    lines += indent(chain_source(flat, namespace), 1)
    lines.append("    return response")
    return compile_function(lines, namespace, "middleware_chain", "<flat chain>")


def compile_function(
    lines: list[str], namespace: dict[str, Any], name: str, filename: str
) -> Callable[..., Any]:
    """Execute generated source and return the function it defines."""
    exec(compile("\n".join(lines) + "\n", filename, "exec"), namespace)
    return namespace[name]  # type: ignore[no-any-return]


def indent(lines: list[str], depth: int) -> list[str]:
    """Indent generated lines by ``depth`` levels."""
    prefix = "    " * depth
    return [prefix + line for line in lines]


_PLAIN_TEST = (
    "plain = isinstance(response, HttpResponse) and response.status_code != 404"
    ' and not getattr(response, "xframe_options_exempt", False)'
)
_CONVERT = [
    "except Exception as exc:",
    "    response = await run_sync(response_for_raised, request, exc)",
]


def chain_source(flat: FlatChain, namespace: dict[str, Any]) -> list[str]:
    """Source lines that set ``response`` for ``request`` through the chain.

    The names the lines use are added to ``namespace``. Unrolled: each hook
    is a name of its own, each entry a constant, each step an ``if``.
    """
    namespace.update(
        run_sync=run_sync,
        response_for_raised=_response_for_raised,
        HttpResponse=HttpResponse,
        inner=flat.inner,
    )
    count = len(flat.hooks)
    lines = [f"reached = {count}", "response = None"]
    first = True
    for index, (hook, in_loop, _, _, _) in enumerate(flat.hooks):
        if hook is None:
            continue
        namespace[f"request_hook_{index}"] = hook
        call = f"{'' if in_loop else 'await '}request_hook_{index}(request)"
        step = [
            "try:",
            f"    response = {call}",
            *_CONVERT,
            f"    reached = {index}",
            "else:",
            "    if response:",
            f"        reached = {index + 1}",
        ]
        lines += step if first else [f"if reached == {count}:", *indent(step, 1)]
        first = False
    view = ["try:", *indent(_view_source(flat, namespace), 1), *_CONVERT]
    view.append(f"    reached = {flat.after_raise}")
    lines += view if first else [f"if reached == {count}:", *indent(view, 1)]
    lines += _response_source(flat, namespace)
    return lines


def _view_source(flat: FlatChain, namespace: dict[str, Any]) -> list[str]:
    direct = flat.direct
    if direct is None:
        return ["response = await inner(request)"]
    namespace.update(
        direct_request_class=direct.request_class,
        run_sync_view=direct.run_sync_view,
        finish=direct.finish,
        renders=direct.renders,
        # get_resolver() without its call: the cache it reads.
        cached_resolver=_get_cached_resolver,
        settings=settings,
        async_views=_ASYNC_VIEWS,
        function=types.FunctionType,
        view_is_async=_view_is_async,
    )
    # _get_response_async without view middleware, inline.
    return [
        # Whether a database wraps views in a transaction (ATOMIC_REQUESTS),
        # read per request: Django's own tests flip it in place.
        "atomic = False",
        "for config in settings.DATABASES.values():",
        '    if config.get("ATOMIC_REQUESTS"):',
        "        atomic = True",
        "        break",
        "if (",
        "    atomic",
        "    or type(request) is not direct_request_class",
        '    or getattr(request, "urlconf", None) is not None',
        "):",
        "    response = await inner(request)",
        "else:",
        "    match = cached_resolver(settings.ROOT_URLCONF).resolve(request.path_info)",
        "    request.resolver_match = match",
        "    callback = match.func",
        "    args = match.args",
        "    kwargs = match.kwargs",
        "    is_async = (",
        "        async_views.get(callback) if type(callback) is function else None",
        "    )",
        "    if is_async is None:",
        "        is_async = view_is_async(callback)",
        "    if is_async:",
        "        if args or kwargs:",
        "            response = await callback(request, *args, **kwargs)",
        "        else:",
        "            response = await callback(request)",
        "    else:",
        "        response = await run_sync(",
        "            run_sync_view, callback, request, *args, **kwargs",
        "        )",
        "    if (",
        "        renders.get(type(response), True)",
        '        or getattr(response, "render", None) is not None',
        "    ):",
        "        response = await finish(request, response, callback)",
    ]


def _response_source(flat: FlatChain, namespace: dict[str, Any]) -> list[str]:
    """The process_response steps, innermost first, entries inline.

    When every step is described by entries, a plain response that reached
    all of them takes one straight run of stores; an entry that raises
    converts as its hook's failure would, and the steps outside it then run
    the general way.
    """
    steps = [
        (index, hook, in_loop, entries)
        for index, (_, _, hook, in_loop, entries) in enumerate(flat.hooks)
        if hook is not None
    ][::-1]
    general = _general_response_source(steps, namespace)
    described = [entries is not None for *_, entries in steps]
    if not steps or not all(described):
        return [_PLAIN_TEST, *general] if any(described) else general
    straight = ["store = response.headers._store"]
    for index, _, _, entries in steps:
        straight += [f"step = {index}", *_entries_source(index, entries, namespace)]
    return [
        _PLAIN_TEST,
        f"if plain and reached > {steps[0][0]}:",
        "    try:",
        *indent(straight, 2),
        "    except Exception as exc:",
        "        response = await run_sync(response_for_raised, request, exc)",
        "        reached = step",
        f"        {_PLAIN_TEST}",
        *indent(general, 2),
        "else:",
        *indent(general, 1),
    ]


def _general_response_source(
    steps: list[tuple[int, Any, bool, Any]], namespace: dict[str, Any]
) -> list[str]:
    """Each step under its own guard: a hook call, or entries for a plain response."""
    planned = [entries is not None for *_, entries in steps]
    lines: list[str] = []
    for position, (index, hook, in_loop, entries) in enumerate(steps):
        namespace[f"response_hook_{index}"] = hook
        call = f"{'' if in_loop else 'await '}response_hook_{index}(request, response)"
        # Whether a later step reads ``plain``, so it must be kept current.
        retest = [_PLAIN_TEST] if any(planned[position + 1 :]) else []
        if entries is None:
            body = [f"response = {call}", *retest]
        else:
            body = [
                "if plain:",
                "    store = response.headers._store",
                *indent(_entries_source(index, entries, namespace), 1),
                "else:",
                f"    response = {call}",
                *indent(retest, 1),
            ]
        lines += [
            f"if reached > {index}:",
            "    try:",
            *indent(body, 2),
            *indent(_CONVERT, 1),
            *indent(retest, 2),
        ]
    return lines


def _entries_source(
    index: int, entries: tuple[tuple[str, Any], ...], namespace: dict[str, Any]
) -> list[str]:
    lines = []
    for position, (key, entry) in enumerate(entries):
        name = f"entry_{index}_{position}"
        namespace[name] = entry
        value = name if type(entry) is tuple else f"{name}(response)"
        lines += [f"if {key!r} not in store:", f"    store[{key!r}] = {value}"]
    return lines


#: View functions already asked whether they are coroutine functions; bounded,
#: since a project could make views on the fly.
_ASYNC_VIEWS: dict[Callable[..., Any], bool] = {}
_ASYNC_VIEWS_MAX = 1024


def _view_is_async(view: Callable[..., Any]) -> bool:
    is_async = iscoroutinefunction(view)
    if type(view) is types.FunctionType and len(_ASYNC_VIEWS) < _ASYNC_VIEWS_MAX:
        _ASYNC_VIEWS[view] = is_async
    return is_async
