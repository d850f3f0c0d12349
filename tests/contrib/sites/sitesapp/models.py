"""Articles on one site (foreign key) or several (many-to-many).

Every relation to Site is DO_NOTHING: manouche records reverse relations when
a model class is created, so once imported these stay on Site even when this
app is uninstalled, and a cascade would query tables other tests never made.
"""

from __future__ import annotations

from manouche.contrib.sites.managers import CurrentSiteManager
from manouche.contrib.sites.models import Site
from manouche.db import models


class Article(models.Model):
    """Shown on one site."""

    title = models.CharField(max_length=50)
    site = models.ForeignKey(Site, models.DO_NOTHING)

    objects = models.Manager()
    on_site = CurrentSiteManager()

    class Meta:
        app_label = "sitesapp"


class SyndicatedArticle(models.Model):
    """Shown on several sites."""

    title = models.CharField(max_length=50)
    sites = models.ManyToManyField(Site, through="Syndication")

    objects = models.Manager()
    on_site = CurrentSiteManager()

    class Meta:
        app_label = "sitesapp"


class Syndication(models.Model):
    """The M2M rows, with DO_NOTHING links (see the module docstring)."""

    article = models.ForeignKey(SyndicatedArticle, models.CASCADE)
    site = models.ForeignKey(Site, models.DO_NOTHING)

    class Meta:
        app_label = "sitesapp"
