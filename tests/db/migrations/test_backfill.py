"""backfill(): keyset batches, a transaction per batch, progress, resuming."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import redirect_stdout
from typing import Any

import pytest

from manouche.db import connection, models, transaction
from manouche.db.migrations.backfill import BackfillProgress, backfill
from manouche.db.models import F, Q
from manouche.test.utils import CaptureQueriesContext, isolate_apps


@pytest.fixture
def order_model() -> Iterator[Any]:
    with isolate_apps("tests.apps.custom_label"):

        class Order(models.Model):
            total = models.IntegerField()
            total_cents = models.IntegerField(null=True)
            note = models.CharField(max_length=20, default="")

            class Meta:
                app_label = "custom_label"

        yield Order


@pytest.fixture
def orders(database: Any, order_model: Any) -> Any:
    database.create_models(order_model)
    order_model.objects.bulk_create(
        [order_model(total=number) for number in range(1, 26)]
    )
    return order_model


def test_dict_update_fills_every_row_in_batches(orders):
    seen: list[BackfillProgress] = []
    result = backfill(
        orders,
        update={"total_cents": F("total") * 100},
        batch_size=10,
        progress=seen.append,
    )
    assert [p.done for p in seen] == [10, 20, 25]
    assert [p.batches for p in seen] == [1, 2, 3]
    assert result == seen[-1]
    assert result.total == 25
    assert result.updated == 25
    assert result.finished
    assert result.last_pk == orders.objects.order_by("-pk").first().pk
    assert not orders.objects.filter(total_cents__isnull=True).exists()
    assert all(o.total_cents == o.total * 100 for o in orders.objects.all())


def test_callable_update_writes_only_the_rows_it_changes(orders):
    def update(order: Any) -> dict[str, Any] | None:
        return {"note": f"even {order.total}"} if order.total % 2 == 0 else None

    result = backfill(orders, update=update, batch_size=7, progress=False)
    assert result.done == 25
    assert result.updated == 12
    assert orders.objects.filter(note="").count() == 13
    assert orders.objects.get(total=4).note == "even 4"


def test_filter_makes_a_rerun_idempotent(orders):
    orders.objects.filter(total__lte=5).update(total_cents=-1)
    pending = Q(total_cents__isnull=True)
    first = backfill(
        orders,
        update={"total_cents": F("total")},
        filter=pending,
        batch_size=8,
        progress=False,
    )
    assert (first.total, first.updated) == (20, 20)
    assert orders.objects.filter(total_cents=-1).count() == 5
    again = backfill(orders, update={"total_cents": 0}, filter=pending, progress=False)
    assert (again.total, again.done, again.updated, again.batches) == (0, 0, 0, 0)
    assert again.finished


def test_start_after_resumes_where_a_run_stopped(orders):
    class Stop(Exception):
        pass

    stopped: list[BackfillProgress] = []

    def stop_after_two(progress: BackfillProgress) -> None:
        stopped.append(progress)
        if progress.batches == 2:
            raise Stop

    with pytest.raises(Stop):
        backfill(orders, update={"note": "x"}, batch_size=5, progress=stop_after_two)
    assert orders.objects.filter(note="x").count() == 10
    resumed = backfill(
        orders,
        update={"note": "x"},
        batch_size=5,
        start_after=stopped[-1].last_pk,
        progress=False,
    )
    assert (resumed.total, resumed.done) == (15, 15)
    assert orders.objects.filter(note="x").count() == 25


def test_a_failing_batch_rolls_back_only_itself(orders):
    def update(order: Any) -> dict[str, Any]:
        if order.total == 15:
            raise RuntimeError("bad row")
        return {"note": "done"}

    with pytest.raises(RuntimeError, match="bad row"):
        backfill(orders, update=update, batch_size=10, progress=False)
    # The first batch (1..10) committed; the second (11..20) rolled back.
    assert orders.objects.filter(note="done").count() == 10


def test_inside_an_atomic_block_batches_share_its_transaction(orders):
    with transaction.atomic():
        backfill(orders, update={"note": "x"}, batch_size=10, progress=False)
        assert connection.in_atomic_block
        transaction.set_rollback(True)
    assert orders.objects.filter(note="x").count() == 0


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_batches_walk_by_key_without_offset(orders):
    with CaptureQueriesContext(connection) as queries:
        backfill(orders, update={"note": "x"}, batch_size=10, progress=False)
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    # Every page starts after the previous key; OFFSET stays 0 (or absent).
    assert not re.search(r"OFFSET [1-9]", sql)
    assert sql.count("LIMIT 10") == 3
    assert "> 10 ORDER BY" in sql


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_progress_true_prints_a_line_per_batch(orders):
    out = io.StringIO()
    with redirect_stdout(out):
        backfill(orders, update={"note": "x"}, batch_size=20)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("  backfill: 20/25 rows (80%), 20 updated, ")
    assert lines[1].startswith("  backfill: 25/25 rows (100%), 25 updated, ")
    assert lines[1].endswith(" rows/s")


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_queryset_and_using_are_honoured(orders):
    result = backfill(
        orders.objects.filter(total__gt=20),
        update={"note": "big"},
        using="default",
        progress=False,
    )
    assert result.total == 5
    assert orders.objects.filter(note="big").count() == 5


def test_progress_text_for_an_empty_table():
    progress = BackfillProgress(0, 0, 0, 0, 0.0, None)
    assert str(progress) == "0/0 rows (100%), 0 updated, 0 rows/s"
    assert progress.rate == 0.0
    assert progress.finished


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"update": {}}, ValueError, "update must name at least one field"),
        ({"update": 3}, TypeError, "update must be a dict of field values or a"),
        ({"update": {"a": 1}, "batch_size": 0}, ValueError, "at least 1, not 0"),
        ({"update": {"a": 1}, "batch_size": "9"}, TypeError, "must be an int"),
    ],
)
def test_bad_arguments_are_explained(order_model, kwargs, error, message):
    with pytest.raises(error, match=message):
        backfill(order_model, **kwargs)


def test_rows_must_be_a_model_or_queryset():
    with pytest.raises(TypeError, match="a model class or a QuerySet, not str"):
        backfill("shop.Order", update={"a": 1})
