"""Fold a list of migration operations into a shorter equivalent list.

The optimizer owns only the driver: it pairs operations and asks the earlier
one, through ``operation.reduce(other, app_label)``, what the pair becomes.
The knowledge of which pairs fold (create+add, add+remove, renames...) lives
on the operations themselves. ``reduce`` answers with:

- a list: the pair is replaced by these operations (possibly none);
- ``True``: the two do not touch each other, so either may move across the
  other;
- ``False``: the two interact and must keep their relative order.

A fold that skips over operations in between is only made when those allow
it: either the earlier operation may move right across all of them, or the
later one may move left across all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["MigrationOptimizer"]


class MigrationOptimizer:
    """Reduce operations until a pass changes nothing.

    Each pass makes at most one fold and starts again from the beginning, so
    the result does not depend on which fold was found first in a way that
    could reorder unrelated operations.
    """

    def __init__(self) -> None:
        self._iterations = 0

    def optimize(self, operations: Sequence[Any], app_label: str) -> list[Any]:
        """Return the shortest list the operations' ``reduce`` rules allow.

        ``app_label`` is the app the operations belong to; it is needed to
        resolve lazy references such as ``"app.Model"`` strings.
        """
        if not app_label:
            raise TypeError("app_label must be a non-empty string.")
        self._iterations = 0
        current = list(operations)
        while True:
            folded = self.optimize_inner(current, app_label)
            self._iterations += 1
            if folded == current:
                return folded
            current = folded

    def optimize_inner(self, operations: list[Any], app_label: str) -> list[Any]:
        """Make one fold, if any pair can be folded; return the new list."""
        for index, operation in enumerate(operations):
            folded = self._fold_first(operations, index, operation, app_label)
            if folded is not None:
                return folded
        return list(operations)

    def _fold_first(
        self,
        operations: list[Any],
        index: int,
        operation: Any,
        app_label: str,
    ) -> list[Any] | None:
        """Fold ``operation`` with the first later one it reduces with."""
        # True while ``operation`` may still move right past everything seen.
        can_move_right = True
        for offset in range(index + 1, len(operations)):
            other = operations[offset]
            result = operation.reduce(other, app_label)
            if isinstance(result, list):
                between = operations[index + 1 : offset]
                merged = self._merge(
                    between, result, other, app_label, can_move_right=can_move_right
                )
                if merged is None:
                    # Neither direction is safe: keep ``operation`` and look
                    # no further for it; later operations get their turn.
                    return None
                return operations[:index] + merged + operations[offset + 1 :]
            if not result:
                can_move_right = False
        return None

    @staticmethod
    def _merge(
        between: list[Any],
        result: list[Any],
        other: Any,
        app_label: str,
        *,
        can_move_right: bool,
    ) -> list[Any] | None:
        """Place the fold's result beside the operations it skipped."""
        if can_move_right:
            return [*between, *result]
        if all(step.reduce(other, app_label) is True for step in between):
            return [*result, *between]
        return None
