"""The backfill example of docs/topics/migrations-safety.md, run as written."""

from __future__ import annotations

from typing import Any

from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.docs.test_examples import code_blocks


class HistoricalApps:
    """The ``apps`` a RunPython receives, serving the test's model as shop.Order."""

    def __init__(self, order: Any) -> None:
        self.order = order

    def get_model(self, app_label: str, model_name: str) -> Any:
        assert (app_label, model_name) == ("shop", "Order")
        return self.order


def test_backfill_example_fills_the_column_and_is_rerunnable(database, capsys):
    (block,) = code_blocks("topics/migrations-safety.md", "python")
    namespace: dict[str, Any] = {}
    exec(compile(block, "docs/topics/migrations-safety.md", "exec"), namespace)
    migration_class = namespace["Migration"]
    assert migration_class.atomic is False
    (operation,) = migration_class.operations
    assert operation.elidable is True

    with isolate_apps("tests.apps.custom_label"):

        class Order(models.Model):
            total = models.IntegerField()
            total_cents = models.IntegerField(null=True)

            class Meta:
                app_label = "custom_label"

        database.create_models(Order)
        Order.objects.bulk_create([Order(total=n) for n in range(1, 1202)])
        Order.objects.filter(total=7).update(total_cents=1)
        with database.connection.schema_editor(atomic=False) as editor:
            operation.code(HistoricalApps(Order), editor)
            lines = capsys.readouterr().out.splitlines()
            assert lines[-1].startswith("  backfill: 1200/1200 rows (100%)")
            assert len(lines) == 3
            assert not Order.objects.filter(total_cents__isnull=True).exists()
            assert Order.objects.get(total=1201).total_cents == 120100
            assert Order.objects.get(total=7).total_cents == 1
            # A second run finds nothing left to do.
            operation.code(HistoricalApps(Order), editor)
            assert capsys.readouterr().out == ""
