"""Shortcuts spanning several layers: redirect(), resolve_url() and the 404 helpers.

render() arrives with the template layer.
"""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from manouche.urls import NoReverseMatch, reverse
from manouche.utils.functional import Promise

__all__ = [
    "aget_list_or_404",
    "aget_object_or_404",
    "get_list_or_404",
    "get_object_or_404",
    "redirect",
    "render",
    "resolve_url",
]


def redirect(
    to: Any,
    *args: Any,
    permanent: bool = False,
    preserve_request: bool = False,
    **kwargs: Any,
) -> HttpResponseRedirect | HttpResponsePermanentRedirect:
    """Return a redirect to ``to``, resolved with :func:`resolve_url`.

    ``to`` may be a model (``get_absolute_url()``), a view name with its
    arguments, or a URL. ``permanent`` gives 301/308 rather than 302/307;
    ``preserve_request`` keeps the method and body (307/308).
    """
    redirect_class = (
        HttpResponsePermanentRedirect if permanent else HttpResponseRedirect
    )
    return redirect_class(
        resolve_url(to, *args, **kwargs), preserve_request=preserve_request
    )


def resolve_url(to: Any, *args: Any, **kwargs: Any) -> str:
    """Return a URL for ``to``: a model, a view name, or a URL as given."""
    if hasattr(to, "get_absolute_url"):
        url: str = to.get_absolute_url()
        return url

    if isinstance(to, Promise):
        # A lazy string must be a real str before URL parsing sees it.
        to = str(to)

    # Relative URLs are passed through untouched.
    if isinstance(to, str) and to.startswith(("./", "../")):
        return to

    try:
        return reverse(to, args=args, kwargs=kwargs)
    except NoReverseMatch:
        # A callable (a view) that does not reverse is an error.
        if callable(to):
            raise
        # Something that does not look like a URL is an unknown view name.
        if "/" not in to and "." not in to:
            raise

    return str(to)


def _get_queryset(klass: Any) -> Any:
    """Return a QuerySet from a model, a manager or a QuerySet."""
    if hasattr(klass, "_default_manager"):
        return klass._default_manager.all()
    return klass


def _queryset_or_error(klass: Any, name: str) -> Any:
    queryset = _get_queryset(klass)
    if not hasattr(queryset, "get"):
        klass_name = (
            klass.__name__ if isinstance(klass, type) else klass.__class__.__name__
        )
        raise ValueError(
            f"First argument to {name}() must be a Model, Manager, or QuerySet, "
            f"not '{klass_name}'."
        )
    return queryset


def get_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """Return the one matching object, or raise Http404 instead of DoesNotExist."""
    from manouche.http import Http404

    queryset = _queryset_or_error(klass, "get_object_or_404")
    try:
        return queryset.get(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")


async def aget_object_or_404(klass: Any, *args: Any, **kwargs: Any) -> Any:
    """Async :func:`get_object_or_404`."""
    from manouche.http import Http404

    queryset = _queryset_or_error(klass, "aget_object_or_404")
    try:
        return await queryset.aget(*args, **kwargs)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")


def get_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Return the filtered objects as a list, or raise Http404 when empty."""
    from manouche.http import Http404

    queryset = _queryset_or_error(klass, "get_list_or_404")
    if not hasattr(queryset, "filter"):
        raise ValueError("get_list_or_404() needs something with filter().")
    found = list(queryset.filter(*args, **kwargs))
    if not found:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return found


async def aget_list_or_404(klass: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Async :func:`get_list_or_404`."""
    from manouche.http import Http404

    queryset = _queryset_or_error(klass, "aget_list_or_404")
    found = [obj async for obj in queryset.filter(*args, **kwargs)]
    if not found:
        raise Http404(f"No {queryset.model._meta.object_name} matches the given query.")
    return found


def render(
    request: Any,
    template_name: Any,
    context: dict[str, Any] | None = None,
    content_type: str | None = None,
    status: int | None = None,
    using: str | None = None,
) -> Any:
    """Render ``template_name`` with ``context`` into an HttpResponse."""
    from manouche.http import HttpResponse
    from manouche.template import loader

    content = loader.render_to_string(template_name, context, request, using=using)
    return HttpResponse(content, content_type, status)
