"""Fill a column of a big table in small batches, from a data migration.

A single ``UPDATE`` over millions of rows holds locks for its whole run and
builds one huge transaction. ``backfill`` walks the rows by primary key
(``WHERE pk > last ORDER BY pk LIMIT n``; never ``OFFSET``, whose cost grows
with every page), updates one batch per transaction and reports progress.
Combined with a ``filter`` that matches only rows still to do, a run that
stops half way can simply be started again.

This module does no schema work; it only reads and updates rows through the
ORM, so it is safe to call from ``RunPython`` with a historical model.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from manouche.db import connections, transaction

__all__ = ["BackfillProgress", "ProgressCallback", "UpdateCallback", "backfill"]

#: ``update`` as a callable: given one row's instance, return the values to
#: write (field name -> value) or ``None`` to leave the row unchanged.
UpdateCallback = Callable[[Any], Mapping[str, Any] | None]
ProgressCallback = Callable[["BackfillProgress"], object]


@dataclass(frozen=True)
class BackfillProgress:
    """Where a backfill stands after a batch (also its final result)."""

    #: Rows walked so far (matched by ``filter`` when the walk reached them).
    done: int
    #: Rows matching ``filter`` when the backfill started.
    total: int
    #: Rows actually written so far.
    updated: int
    batches: int
    seconds: float
    #: Primary key of the last row walked; pass it as ``start_after`` to resume.
    last_pk: Any

    @property
    def rate(self) -> float:
        """Rows walked per second."""
        return self.done / self.seconds if self.seconds > 0 else 0.0

    @property
    def finished(self) -> bool:
        """Tell whether every row counted at the start has been walked."""
        return self.done >= self.total

    def __str__(self) -> str:
        percent = 100.0 * self.done / self.total if self.total else 100.0
        return (
            f"{self.done}/{self.total} rows ({percent:.0f}%), "
            f"{self.updated} updated, {self.rate:.0f} rows/s"
        )


def _printer(stream: TextIO) -> ProgressCallback:
    def report(progress: BackfillProgress) -> None:
        stream.write(f"  backfill: {progress}\n")
        stream.flush()

    return report


def _queryset(model_or_queryset: Any) -> Any:
    if isinstance(model_or_queryset, type):
        model: Any = model_or_queryset
        return model._base_manager.all()
    if hasattr(model_or_queryset, "filter") and hasattr(model_or_queryset, "model"):
        return model_or_queryset.all()
    raise TypeError(
        "backfill() takes a model class or a QuerySet, "
        f"not {type(model_or_queryset).__name__}."
    )


def _check_arguments(update: Any, batch_size: int) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int):
        raise TypeError("batch_size must be an int.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}.")
    if isinstance(update, Mapping):
        if not update:
            raise ValueError("update must name at least one field.")
    elif not callable(update):
        raise TypeError("update must be a dict of field values or a callable.")


def _update_batch(batch: Any, update: Mapping[str, Any] | UpdateCallback) -> int:
    """Write one batch; return how many rows were written."""
    if isinstance(update, Mapping):
        return int(batch.update(**update))
    changed: list[Any] = []
    fields: set[str] = set()
    for instance in batch:
        values = update(instance)
        if not values:
            continue
        for name, value in values.items():
            setattr(instance, name, value)
        fields.update(values)
        changed.append(instance)
    if not changed:
        return 0
    batch.model._base_manager.using(batch.db).bulk_update(changed, sorted(fields))
    return len(changed)


def backfill(
    model_or_queryset: Any,
    *,
    update: Mapping[str, Any] | UpdateCallback,
    batch_size: int = 1000,
    progress: bool | ProgressCallback = True,
    filter: Any = None,
    start_after: Any = None,
    using: str | None = None,
) -> BackfillProgress:
    """Update rows in primary-key order, one batch per transaction.

    Args:
        model_or_queryset: the rows to walk (a model uses its base manager).
        update: field values for ``QuerySet.update`` (expressions such as
            ``F("price") * 100`` welcome), or a callable given each instance
            and returning the values to write (``bulk_update`` then saves the
            batch).
        batch_size: rows per batch and per transaction.
        progress: ``True`` prints a line per batch to stdout, ``False`` is
            silent, a callable receives a ``BackfillProgress`` per batch.
        filter: a ``Q`` the rows must match; make it match only rows still
            to do (``Q(total_cents__isnull=True)``) so a rerun is idempotent.
        start_after: resume after this primary key (``last_pk`` of a run).
        using: database alias; defaults to the queryset's.

    Inside an atomic block (an atomic migration) the batches share the
    surrounding transaction; set ``atomic = False`` on the migration to get a
    transaction per batch.
    """
    _check_arguments(update, batch_size)
    queryset = _queryset(model_or_queryset)
    if using is not None:
        queryset = queryset.using(using)
    if filter is not None:
        queryset = queryset.filter(filter)
    alias = queryset.db
    report: ProgressCallback | None
    if progress is True:
        report = _printer(sys.stdout)
    elif progress is False or progress is None:
        report = None
    else:
        report = progress
    walk = _BackfillWalk(queryset, alias, batch_size, start_after)
    started = time.monotonic()
    state = BackfillProgress(0, walk.count(), 0, 0, 0.0, start_after)
    while True:
        pks = walk.next_keys()
        if not pks:
            return state
        with walk.transaction():
            written = _update_batch(queryset.filter(pk__in=pks), update)
        state = BackfillProgress(
            done=state.done + len(pks),
            total=state.total,
            updated=state.updated + written,
            batches=state.batches + 1,
            seconds=time.monotonic() - started,
            last_pk=pks[-1],
        )
        if report is not None:
            report(state)
        if len(pks) < batch_size:
            # A short page is the last one; skip the empty query after it.
            return state


class _BackfillWalk:
    """The keyset walk over one queryset: counts, pages and transactions."""

    def __init__(
        self, queryset: Any, alias: str, batch_size: int, start_after: Any
    ) -> None:
        self.queryset = queryset.order_by("pk")
        self.alias = alias
        self.batch_size = batch_size
        self.last_pk = start_after

    def _remaining(self) -> Any:
        if self.last_pk is None:
            return self.queryset
        return self.queryset.filter(pk__gt=self.last_pk)

    def count(self) -> int:
        """Count the rows still ahead of the walk."""
        return int(self._remaining().count())

    def next_keys(self) -> list[Any]:
        """Return the next batch's primary keys and move past them."""
        pks = list(self._remaining().values_list("pk", flat=True)[: self.batch_size])
        if pks:
            self.last_pk = pks[-1]
        return pks

    def transaction(self) -> Any:
        """A transaction for one batch, or the surrounding atomic block's."""
        if connections[self.alias].in_atomic_block:
            return contextlib.nullcontext()
        return transaction.atomic(using=self.alias)
