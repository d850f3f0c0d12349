"""Data migration: the child row comes first and points at a later parent."""

from typing import Any

from manouche.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    genre = apps.get_model("serialapp", "Genre")
    alias = schema_editor.connection.alias
    child = genre.objects.using(alias).create(name="from-migration")
    parent = genre.objects.using(alias).create(name="parent-from-migration")
    child.parent = parent
    child.save(using=alias)


class Migration(migrations.Migration):
    dependencies = [("serialapp", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
