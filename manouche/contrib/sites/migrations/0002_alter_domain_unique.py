"""Make ``Site.domain`` unique: one row per domain."""

from __future__ import annotations

from manouche.contrib.sites.models import _simple_domain_name_validator
from manouche.db import migrations, models

__all__ = ["Migration"]


class Migration(migrations.Migration):
    """Add the unique constraint on ``domain``."""

    dependencies = [("sites", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="site",
            name="domain",
            field=models.CharField(
                max_length=100,
                unique=True,
                validators=[_simple_domain_name_validator],
                verbose_name="domain name",
            ),
        ),
    ]
