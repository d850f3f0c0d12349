"""Shortcuts spanning several layers: redirect() and resolve_url().

render() and get_object_or_404() arrive with the template and model layers.
"""

from __future__ import annotations

from typing import Any

from manouche.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from manouche.urls import NoReverseMatch, reverse
from manouche.utils.functional import Promise

__all__ = ["redirect", "resolve_url"]


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
