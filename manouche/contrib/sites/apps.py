"""App config for manouche.contrib.sites: checks and the default site."""

from __future__ import annotations

from manouche.apps import AppConfig

__all__ = ["SitesConfig"]


class SitesConfig(AppConfig):
    """The sites app (label ``sites``)."""

    default_auto_field = "manouche.db.models.AutoField"
    name = "manouche.contrib.sites"
    label = "sites"
    verbose_name = "Sites"

    def ready(self) -> None:
        """Register the SITE_ID check; create the default site after migrate."""
        from manouche.contrib.sites.checks import check_site_id
        from manouche.contrib.sites.management import create_default_site
        from manouche.core import checks
        from manouche.db.models.signals import post_migrate

        post_migrate.connect(create_default_site, sender=self)
        checks.register(check_site_id, checks.Tags.sites)
