"""Helpers to build decorators: from middleware, for methods, for middleware modes."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, update_wrapper, wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from manouche.utils.asyncio import iscoroutinefunction

__all__ = [
    "async_only_middleware",
    "classonlymethod",
    "decorator_from_middleware",
    "decorator_from_middleware_with_args",
    "make_middleware_decorator",
    "method_decorator",
    "sync_and_async_middleware",
    "sync_only_middleware",
]

F = TypeVar("F")
_View = TypeVar("_View", bound=Callable[..., Any])
_T = TypeVar("_T")
_Func = Any


if TYPE_CHECKING:
    # Type checkers understand classmethod itself, not its subclasses.
    classonlymethod = classmethod
else:

    class classonlymethod(classmethod):
        """A classmethod that refuses to be called on an instance."""

        def __get__(self, instance: object, cls: type | None = None) -> Any:
            if instance is not None:
                raise AttributeError(
                    "This method is available only on the class, not on instances."
                )
            return super().__get__(instance, cls)


def _update_method_wrapper(wrapper: _Func, decorator: _Func) -> None:
    # Copy what the decorator adds to a function (e.g. csrf_exempt) by applying
    # it to a stand-in: the bound method only exists at call time.
    def dummy(*args: Any, **kwargs: Any) -> None:
        pass

    update_wrapper(wrapper, decorator(dummy))


def _multi_decorate(decorators: Any, method: _Func) -> _Func:
    """Decorate ``method`` with one decorator or a list of them (first outermost)."""
    if hasattr(decorators, "__iter__"):
        decorators = list(decorators)[::-1]
    else:
        decorators = [decorators]

    def _bound(self: Any) -> _Func:
        # Decorators see a plain function taking the request, not the instance.
        bound_method = wraps(method)(partial(method.__get__(self, type(self))))
        for dec in decorators:
            bound_method = dec(bound_method)
        return bound_method

    if iscoroutinefunction(method):

        async def _wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            return await _bound(self)(*args, **kwargs)

    else:

        def _wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            return _bound(self)(*args, **kwargs)

    for dec in decorators:
        _update_method_wrapper(_wrapper, dec)
    update_wrapper(_wrapper, method)
    return _wrapper


def method_decorator(decorator: Any, name: str = "") -> Callable[[_T], _T]:
    """Convert a function decorator into a method decorator.

    Applied to a class, ``name`` names the method to decorate.
    """

    def _dec(obj: _T) -> _T:
        if not isinstance(obj, type):
            return cast("_T", _multi_decorate(decorator, obj))
        if not (name and hasattr(obj, name)):
            raise ValueError(
                "The keyword argument `name` must be the name of a method "
                f"of the decorated class: {obj}. Got '{name}' instead."
            )
        method = getattr(obj, name)
        if not callable(method):
            raise TypeError(
                f"Cannot decorate '{name}' as it isn't a callable attribute of "
                f"{obj} ({method})."
            )
        setattr(obj, name, _multi_decorate(decorator, method))
        return obj

    if not hasattr(decorator, "__iter__"):
        update_wrapper(_dec, decorator)
    named = decorator if hasattr(decorator, "__name__") else decorator.__class__
    _dec.__name__ = f"method_decorator({named.__name__})"
    return _dec


def decorator_from_middleware_with_args(
    middleware_class: type,
) -> Callable[..., Callable[[_View], _View]]:
    """Turn a middleware class into a decorator factory taking its arguments.

    Use like ``cache_page = decorator_from_middleware_with_args(CacheMiddleware)``
    then ``@cache_page(3600)``.
    """
    return make_middleware_decorator(middleware_class)


def decorator_from_middleware(middleware_class: type) -> Callable[[_View], _View]:
    """Turn a middleware class taking no arguments into a view decorator."""
    return make_middleware_decorator(middleware_class)()


def make_middleware_decorator(
    middleware_class: type,
) -> Callable[..., Callable[[_View], _View]]:
    """Return a factory of view decorators running ``middleware_class``'s hooks."""

    def _make_decorator(*m_args: Any, **m_kwargs: Any) -> Callable[[_View], _View]:
        def _decorator(view_func: _View) -> _View:
            middleware = middleware_class(view_func, *m_args, **m_kwargs)
            hooks = _MiddlewareHooks(middleware, view_func)
            if iscoroutinefunction(view_func):

                async def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
                    result = hooks.pre_process(request, args, kwargs)
                    if result is not None:
                        return result
                    try:
                        response = await view_func(request, *args, **kwargs)
                    except Exception as exc:
                        return hooks.process_exception(request, exc)
                    return hooks.post_process(request, response)

            else:

                def _view_wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                    result = hooks.pre_process(request, args, kwargs)
                    if result is not None:
                        return result
                    try:
                        response = view_func(request, *args, **kwargs)
                    except Exception as exc:
                        return hooks.process_exception(request, exc)
                    return hooks.post_process(request, response)

            return cast("_View", wraps(view_func)(_view_wrapper))

        return _decorator

    return _make_decorator


class _MiddlewareHooks:
    """The middleware hooks a view decorator runs around one view."""

    __slots__ = ("middleware", "view_func")

    def __init__(self, middleware: Any, view_func: _Func) -> None:
        self.middleware = middleware
        self.view_func = view_func

    def pre_process(self, request: Any, args: Any, kwargs: Any) -> Any:
        middleware = self.middleware
        if hasattr(middleware, "process_request"):
            result = middleware.process_request(request)
            if result is not None:
                return result
        if hasattr(middleware, "process_view"):
            result = middleware.process_view(request, self.view_func, args, kwargs)
            if result is not None:
                return result
        return None

    def process_exception(self, request: Any, exception: Exception) -> Any:
        if hasattr(self.middleware, "process_exception"):
            result = self.middleware.process_exception(request, exception)
            if result is not None:
                return result
        raise exception

    def post_process(self, request: Any, response: Any) -> Any:
        middleware = self.middleware
        if hasattr(response, "render") and callable(response.render):
            if hasattr(middleware, "process_template_response"):
                response = middleware.process_template_response(request, response)
            # process_response must see the rendered content: run it after render.
            if hasattr(middleware, "process_response"):

                def callback(response: Any) -> Any:
                    return middleware.process_response(request, response)

                response.add_post_render_callback(callback)
        elif hasattr(middleware, "process_response"):
            return middleware.process_response(request, response)
        return response


def sync_and_async_middleware(func: F) -> F:
    """Mark a middleware factory as able to run in both sync and async chains."""
    func.sync_capable = True  # type: ignore[attr-defined]
    func.async_capable = True  # type: ignore[attr-defined]
    return func


def sync_only_middleware(func: F) -> F:
    """Mark a middleware factory as able to run only in a sync chain."""
    func.sync_capable = True  # type: ignore[attr-defined]
    func.async_capable = False  # type: ignore[attr-defined]
    return func


def async_only_middleware(func: F) -> F:
    """Mark a middleware factory as able to run only in an async chain."""
    func.sync_capable = False  # type: ignore[attr-defined]
    func.async_capable = True  # type: ignore[attr-defined]
    return func
