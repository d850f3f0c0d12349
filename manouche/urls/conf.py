"""The URLconf vocabulary: ``path()``, ``re_path()`` and ``include()``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from typing import Any, TypeAlias, overload

from manouche.core.exceptions import ImproperlyConfigured
from manouche.urls.resolvers import (
    LocalePrefixPattern,
    RegexPattern,
    RoutePattern,
    URLPattern,
    URLResolver,
)
from manouche.utils.functional import Promise

__all__ = ["include", "path", "re_path"]

Included: TypeAlias = tuple[Any, str | None, str | None]


def include(arg: Any, namespace: str | None = None) -> Included:
    """Mount another URLconf: a dotted path, a module, a list of patterns, or
    a ``(patterns, app_name)`` tuple; ``namespace`` names this instance.
    """
    app_name = None
    if isinstance(arg, tuple):
        # A (patterns, app_name) hint from a dynamic URLconf.
        try:
            urlconf_module, app_name = arg
        except ValueError:
            if namespace:
                raise ImproperlyConfigured(
                    "Cannot override the namespace for a dynamic module that "
                    "provides a namespace."
                ) from None
            raise ImproperlyConfigured(
                f"Passing a {len(arg)}-tuple to include() is not supported. Pass a "
                "2-tuple containing the list of patterns and app_name, and provide "
                "the namespace argument to include() instead."
            ) from None
    else:
        urlconf_module = arg

    if isinstance(urlconf_module, str):
        urlconf_module = import_module(urlconf_module)
    patterns = getattr(urlconf_module, "urlpatterns", urlconf_module)
    app_name = getattr(urlconf_module, "app_name", app_name)
    if namespace and not app_name:
        raise ImproperlyConfigured(
            "Specifying a namespace in include() without providing an app_name "
            "is not supported. Set the app_name attribute in the included "
            "module, or pass a 2-tuple containing the list of patterns and "
            "app_name instead."
        )
    namespace = namespace or app_name
    if isinstance(patterns, list | tuple):
        for url_pattern in patterns:
            pattern = getattr(url_pattern, "pattern", None)
            if isinstance(pattern, LocalePrefixPattern):
                raise ImproperlyConfigured(
                    "Using i18n_patterns in an included URLconf is not allowed."
                )
    return (urlconf_module, app_name, namespace)


def _path(
    route: str | Promise,
    view: Any,
    kwargs: dict[str, Any] | None,
    name: str | None,
    pattern_class: type[RoutePattern] | type[RegexPattern],
) -> URLPattern | URLResolver:
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(
            f"kwargs argument must be a dict, but got {kwargs.__class__.__name__}."
        )
    if isinstance(view, list | tuple):
        # The result of include().
        urlconf_module, app_name, namespace = view
        return URLResolver(
            pattern_class(route, is_endpoint=False),
            urlconf_module,
            kwargs,
            app_name=app_name,
            namespace=namespace,
        )
    if callable(view):
        return URLPattern(
            pattern_class(route, name=name, is_endpoint=True), view, kwargs, name
        )
    if isinstance(view, _view_base()):
        class_name = view.__class__.__name__
        raise TypeError(
            f"view must be a callable, pass {class_name}.as_view(), not {class_name}()."
        )
    raise TypeError("view must be a callable or a list/tuple in the case of include().")


def _view_base() -> type:
    from manouche.views import View

    return View


@overload
def path(
    route: str | Promise,
    view: Callable[..., Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern: ...
@overload
def path(
    route: str | Promise,
    view: Included | Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLResolver: ...
def path(
    route: str | Promise,
    view: Any,
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """Map a route such as ``"articles/<int:year>/"`` to a view or an include()."""
    return _path(route, view, kwargs, name, RoutePattern)


@overload
def re_path(
    route: str | Promise,
    view: Callable[..., Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern: ...
@overload
def re_path(
    route: str | Promise,
    view: Included | Sequence[Any],
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLResolver: ...
def re_path(
    route: str | Promise,
    view: Any,
    kwargs: dict[str, Any] | None = None,
    name: str | None = None,
) -> URLPattern | URLResolver:
    """Map a regular expression to a view or an include()."""
    return _path(route, view, kwargs, name, RegexPattern)
