"""The "view on site" redirect: from a content type and an object id to its URL.

``shortcut`` sends the browser to ``obj.get_absolute_url()``, made absolute
with the object's own site (a ForeignKey or ManyToManyField to ``sites.Site``),
else the current site when ``manouche.contrib.sites`` is installed, else the
request's host. It works without the sites framework and imports it lazily.
"""

from __future__ import annotations

from typing import Any

from manouche.apps import apps
from manouche.contrib.contenttypes.models import ContentType
from manouche.core.exceptions import ObjectDoesNotExist, ValidationError
from manouche.http import Http404, HttpRequest, HttpResponseRedirect

__all__ = ["shortcut"]

_ABSOLUTE_PREFIXES = ("http://", "https://", "//")


def shortcut(
    request: HttpRequest, content_type_id: Any, object_id: Any
) -> HttpResponseRedirect:
    """Redirect to the page of object ``object_id`` of type ``content_type_id``.

    Raises Http404 for an unknown content type or object, or a model without
    ``get_absolute_url()``. An AttributeError raised *inside* that method is a
    bug in it and propagates.
    """
    obj = _get_object(content_type_id, object_id)
    try:
        get_absolute_url = obj.get_absolute_url
    except AttributeError:
        raise Http404(
            f"{obj._meta.object_name} objects don't have a get_absolute_url() method"
        ) from None
    url = str(get_absolute_url())
    if url.startswith(_ABSOLUTE_PREFIXES):
        return HttpResponseRedirect(url)
    domain = _object_domain(request, obj)
    if domain is None:
        return HttpResponseRedirect(url)
    return HttpResponseRedirect(f"{request.scheme}://{domain}{url}")


def _get_object(content_type_id: Any, object_id: Any) -> Any:
    try:
        content_type = ContentType.objects.get(pk=content_type_id)
        if content_type.model_class() is None:
            raise Http404(
                f"Content type {content_type_id} object has no associated model"
            )
        return content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(
            f"Content type {content_type_id} object {object_id} doesn't exist"
        ) from None


def _object_domain(request: HttpRequest, obj: Any) -> str | None:
    """Return the domain to put in front of ``obj``'s relative URL, if any."""
    if not apps.is_installed("manouche.contrib.sites"):
        return request.get_host()
    from manouche.contrib.sites.shortcuts import get_current_site

    try:
        domain: str | None = get_current_site(request).domain
    except ObjectDoesNotExist:
        domain = None
    Site = apps.get_model("sites.Site")
    site_fields = [f for f in obj._meta.many_to_many if f.remote_field.model is Site]
    if site_fields:
        sites = getattr(obj, site_fields[0].name).all()
        if domain is not None and sites.filter(domain=domain).exists():
            return domain
        # Several related sites: the first one is as good as any.
        first = sites.first()
        return first.domain if first is not None else domain
    for field in obj._meta.fields:
        if field.remote_field is None or field.remote_field.model is not Site:
            continue
        try:
            site = getattr(obj, field.name)
        except Site.DoesNotExist:
            continue
        if site is not None:
            return str(site.domain)
    return domain
