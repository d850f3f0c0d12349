"""Create the site table (``django_site``, as Django names it)."""

from __future__ import annotations

from manouche.contrib.sites.models import SiteManager, _simple_domain_name_validator
from manouche.db import migrations, models

__all__ = ["Migration"]


class Migration(migrations.Migration):
    """Site as first shipped: domain (not yet unique) and name."""

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Site",
            fields=[
                (
                    "id",
                    models.AutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "domain",
                    models.CharField(
                        max_length=100,
                        validators=[_simple_domain_name_validator],
                        verbose_name="domain name",
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="display name")),
            ],
            options={
                "ordering": ["domain"],
                "db_table": "django_site",
                "verbose_name": "site",
                "verbose_name_plural": "sites",
            },
            bases=(models.Model,),
            managers=[("objects", SiteManager())],
        ),
    ]
