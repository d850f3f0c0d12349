"""Drop the stored ``name``: it is derived from the model's verbose name."""

from __future__ import annotations

from typing import Any

from manouche.db import migrations, models

__all__ = ["Migration"]


def fill_legacy_name(apps: Any, schema_editor: Any) -> None:
    """Going backwards, give every row a name before ``name`` is NOT NULL again."""
    from manouche.apps import apps as global_apps

    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    for ct in ContentType.objects.using(alias).all():
        try:
            model = global_apps.get_model(ct.app_label, ct.model)
        except LookupError:
            name = ct.model
        else:
            name = str(model._meta.verbose_name)
        ContentType.objects.using(alias).filter(pk=ct.pk).update(name=name)


class Migration(migrations.Migration):
    """Make ``name`` nullable (so rollbacks can refill it), then remove it."""

    dependencies = [("contenttypes", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="contenttype",
            options={
                "verbose_name": "content type",
                "verbose_name_plural": "content types",
            },
        ),
        migrations.AlterField(
            model_name="contenttype",
            name="name",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.RunPython(
            migrations.RunPython.noop,
            fill_legacy_name,
            hints={"model_name": "contenttype"},
        ),
        migrations.RemoveField(model_name="contenttype", name="name"),
    ]
