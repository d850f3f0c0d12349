"""The Site model and its manager, which caches sites by id and by host.

``SITE_CACHE`` maps a ``SITE_ID`` or a host to its Site, so the current site
costs no query once seen. Saving or deleting a Site drops its entries
(``clear_site_cache``, connected to ``pre_save``/``pre_delete``). The lookups
are written once as ORM operations so sync and async callers share them.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured, ValidationError
from manouche.db import models
from manouche.db.models._io import Operation, arun, run
from manouche.db.models.signals import pre_delete, pre_save
from manouche.http.request import split_domain_port

if TYPE_CHECKING:
    from manouche.http import HttpRequest

__all__ = ["SITE_CACHE", "Site", "SiteManager", "clear_site_cache"]

#: ``{SITE_ID or host: Site}``, shared by every database (as Django's).
SITE_CACHE: dict[Any, Site] = {}

_NO_SITE_ID = (
    'You\'re using the "sites framework" without having set the SITE_ID '
    "setting. Create a site in your database and set the SITE_ID setting or "
    "pass a request to Site.objects.get_current() to fix this error."
)


def _simple_domain_name_validator(value: str) -> None:
    """Reject a domain containing whitespace (empty is left to ``blank``)."""
    if value and any(character in value for character in string.whitespace):
        raise ValidationError(
            "The domain name cannot contain any spaces or tabs.", code="invalid"
        )


class SiteManager(models.Manager):
    """Manager of Site rows with the cached ``get_current()``."""

    use_in_migrations = True

    def _cached_get_operation(self, key: Any, **lookup: Any) -> Operation:
        site = SITE_CACHE.get(key)
        if site is None:
            site = yield from self.get_queryset()._get_operation(**lookup)
            SITE_CACHE[key] = site
        return site

    def _cached_current(self, request: HttpRequest | None) -> Site | None:
        """Return the current site if cached under its id or exact host."""
        site_id = getattr(settings, "SITE_ID", "")
        if site_id:
            return SITE_CACHE.get(site_id)
        if request is not None:
            return SITE_CACHE.get(request.get_host())
        return None

    def _get_current_operation(self, request: HttpRequest | None) -> Operation:
        site_id = getattr(settings, "SITE_ID", "")
        if site_id:
            return (yield from self._cached_get_operation(site_id, pk=site_id))
        if request is None:
            raise ImproperlyConfigured(_NO_SITE_ID)
        host = request.get_host()
        try:
            # An exact match first: a site may be registered with its port.
            return (yield from self._cached_get_operation(host, domain__iexact=host))
        except self.model.DoesNotExist:
            domain, _port = split_domain_port(host)
            return (
                yield from self._cached_get_operation(domain, domain__iexact=domain)
            )

    def get_current(self, request: HttpRequest | None = None) -> Site:
        """Return the Site of ``SITE_ID``, else the one matching ``request``'s host.

        Raises ``Site.DoesNotExist`` when no row matches, and
        ``ImproperlyConfigured`` without ``SITE_ID`` nor a request. A cached
        site needs no query, so this also works in async code once cached.
        """
        site = self._cached_current(request)
        if site is not None:
            return site
        return run(  # type: ignore[no-any-return]
            self._get_current_operation(request),
            "Site.objects.get_current() would run a database query, which cannot "
            "block the event loop. Use `await Site.objects.aget_current(...)`.",
        )

    async def aget_current(self, request: HttpRequest | None = None) -> Site:
        """Return the current Site (async ``get_current()``, same cache)."""
        return await arun(self._get_current_operation(request))  # type: ignore[no-any-return]

    def clear_cache(self) -> None:
        """Forget every cached site."""
        SITE_CACHE.clear()

    def get_by_natural_key(self, domain: str) -> Site:
        """Return the Site whose domain is ``domain``."""
        return self.get(domain=domain)  # type: ignore[no-any-return]


class Site(models.Model):
    """A domain the project serves, with a display name."""

    if TYPE_CHECKING:
        id: int
        domain: str
        name: str
    else:
        domain = models.CharField(
            "domain name",
            max_length=100,
            validators=[_simple_domain_name_validator],
            unique=True,
        )
        name = models.CharField("display name", max_length=50)

    objects = SiteManager()

    class Meta:
        app_label = "sites"
        db_table = "django_site"
        verbose_name = "site"
        verbose_name_plural = "sites"
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    def natural_key(self) -> tuple[str]:
        """Return ``(domain,)``."""
        return (self.domain,)


def clear_site_cache(sender: Any, **kwargs: Any) -> None:
    """Drop the cached entries of the Site being saved or deleted.

    Entries are found by primary key, without a query: the key of its
    ``SITE_ID`` and every host key cached for it from database ``using``
    (the domain may be the old one, about to change).
    """
    instance = kwargs["instance"]
    using = kwargs.get("using")
    SITE_CACHE.pop(instance.pk, None)
    stale = [
        key
        for key, site in SITE_CACHE.items()
        if site.pk == instance.pk and (using is None or site._state.db == using)
    ]
    for key in stale:
        del SITE_CACHE[key]


pre_save.connect(clear_site_cache, sender=Site)
pre_delete.connect(clear_site_cache, sender=Site)
