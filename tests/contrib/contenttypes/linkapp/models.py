"""Pages the "view on site" shortcut redirects to.

Some are tied to sites (a ForeignKey or a ManyToManyField to ``sites.Site``),
so this app is installed together with ``manouche.contrib.sites``.
"""

from __future__ import annotations

from typing import Any

from manouche.contrib.sites.models import Site
from manouche.db import models


class Page(models.Model):
    """A page with a relative URL."""

    slug = models.SlugField()

    class Meta:
        app_label = "linkapp"

    def get_absolute_url(self) -> str:
        """Return the page's path."""
        return f"/pages/{self.slug}/"


class ExternalPage(models.Model):
    """A page whose URL is already absolute (or scheme-relative)."""

    url = models.CharField(max_length=100)

    class Meta:
        app_label = "linkapp"

    def get_absolute_url(self) -> str:
        """Return the stored URL as is."""
        return str(self.url)


class Draft(models.Model):
    """A model without get_absolute_url()."""

    title = models.CharField(max_length=50)

    class Meta:
        app_label = "linkapp"


class BrokenPage(models.Model):
    """A get_absolute_url() with a bug in it (an AttributeError inside)."""

    class Meta:
        app_label = "linkapp"

    def get_absolute_url(self) -> str:
        """Fail the way a typo would."""
        missing: Any = None
        return str(missing.slug)


class SitePage(models.Model):
    """A page published on at most one site."""

    slug = models.SlugField()
    site = models.ForeignKey(Site, models.CASCADE, null=True)

    class Meta:
        app_label = "linkapp"

    def get_absolute_url(self) -> str:
        """Return the page's path."""
        return f"/site-pages/{self.slug}/"


class SharedPage(models.Model):
    """A page published on several sites."""

    slug = models.SlugField()
    sites = models.ManyToManyField(Site)

    class Meta:
        app_label = "linkapp"

    def get_absolute_url(self) -> str:
        """Return the page's path."""
        return f"/shared/{self.slug}/"


ALL_MODELS = [Page, ExternalPage, Draft, BrokenPage, SitePage, SharedPage]
