"""Create the content type table, with the legacy ``name`` column."""

from __future__ import annotations

from manouche.contrib.contenttypes.models import ContentTypeManager
from manouche.db import migrations, models

__all__ = ["Migration"]


class Migration(migrations.Migration):
    """ContentType as first shipped: name, app_label and model."""

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="ContentType",
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
                ("name", models.CharField(max_length=100)),
                ("app_label", models.CharField(max_length=100)),
                (
                    "model",
                    models.CharField(
                        max_length=100, verbose_name="python model class name"
                    ),
                ),
            ],
            options={
                "db_table": "manouche_content_type",
                "verbose_name": "content type",
                "verbose_name_plural": "content types",
                "unique_together": {("app_label", "model")},
            },
            managers=[("objects", ContentTypeManager())],
        ),
    ]
