"""Custom fields that override get_db_prep_save(value, connection) as Django's do."""

from __future__ import annotations

from typing import Any

from manouche.db import models
from manouche.test.utils import isolate_apps


class Upper(models.CharField):
    """Stores text upper-cased; ``connection`` is required, as in Django."""

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        assert connection.vendor in {"sqlite", "postgresql", "mysql"}
        return None if value is None else str(value).upper()


def test_every_write_path_passes_the_connection(database) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Shout(models.Model):
            word = Upper(max_length=20, null=True)

            class Meta:
                app_label = "custom_label"

        database.create_models(Shout)
        first = Shout.objects.create(word="hello")
        first.word = "again"
        first.save()
        Shout.objects.bulk_create([Shout(word="bulk")])
        Shout.objects.filter(pk=first.pk).update(word="updated")
        rows = list(Shout.objects.order_by("pk"))
        rows[1].word = "changed"
        Shout.objects.bulk_update(rows[1:], ["word"])
        words = list(Shout.objects.order_by("pk").values_list("word", flat=True))
        assert words == ["UPDATED", "CHANGED"]
