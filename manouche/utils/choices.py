"""Choices shared by model fields, form fields and widgets.

A ``choices`` argument may be a list of ``(value, label)`` pairs, a mapping,
a ``Choices`` enumeration, an iterator or a callable, with one level of option
groups. ``normalize_choices`` turns all of these into one shape; values it
cannot understand are handed back untouched so that the model system checks
(fields.E004/E005) can report them instead of this module failing early.
This module sits in the utilities layer: it must not import ``manouche.db``.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from manouche.utils.functional import Promise

__all__ = [
    "BaseChoiceIterator",
    "BlankChoiceIterator",
    "CallableChoiceIterator",
    "flatten_choices",
    "normalize_choices",
]

# Option groups nest one level: a group's options are at depth 1, and
# anything found below that is a label, not more choices.
_MAX_DEPTH = 2
_MISSING = object()


class BaseChoiceIterator:
    """Base for choice iterators that are evaluated lazily, on each iteration.

    Subclasses implement ``__iter__``; equality and indexing go through it so
    an iterator compares equal to the list of pairs it yields.
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            "BaseChoiceIterator subclasses must implement __iter__()."
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Iterable) or isinstance(other, (str, bytes)):
            return NotImplemented
        pairs = itertools.zip_longest(self, other, fillvalue=_MISSING)
        return all(mine == theirs for mine, theirs in pairs)

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice) or index < 0:
            # Slices and negative indexes need the length: materialise once.
            return list(self)[index]
        try:
            return next(itertools.islice(self, index, None))
        except StopIteration:
            raise IndexError("choices index out of range") from None


class CallableChoiceIterator(BaseChoiceIterator):
    """Call ``func`` on every iteration, so choices can change at runtime."""

    def __init__(self, func: Callable[[], Any]) -> None:
        self.func = func

    def __iter__(self) -> Iterator[Any]:
        yield from normalize_choices(self.func())


class BlankChoiceIterator(BaseChoiceIterator):
    """Yield ``blank_choice`` first unless ``choices`` already offer a blank.

    Kept lazy so that callable choices are still called only when iterated.
    """

    def __init__(self, choices: Any, blank_choice: Iterable[Any]) -> None:
        self.choices = choices
        self.blank_choice = blank_choice

    def __iter__(self) -> Iterator[Any]:
        choices = list(self.choices or ())
        if not any(value in ("", None) for value, _label in flatten_choices(choices)):
            yield from self.blank_choice
        yield from choices


def flatten_choices(choices: Any) -> Iterator[tuple[Any, Any]]:
    """Yield the ``(value, label)`` pairs of ``choices``, option groups opened."""
    for value, label in choices or ():
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label


def _is_string_like(value: Any) -> bool:
    return isinstance(value, (str, bytes, Promise))


def _as_items(value: Any, depth: int) -> list[Any] | None:
    """The items of a choices container at ``depth``, or None if it is not one."""
    if isinstance(value, Mapping):
        return list(value.items())
    if callable(value):
        # Groups may compute their options; the top level stays lazy (below).
        return _as_items(value(), depth)
    if isinstance(value, Iterable):
        items = list(value)
        # ["ab"] would unpack into ("a", "b"): a mistake the checks report.
        if any(_is_string_like(item) for item in items):
            return None
        return items
    return None


def normalize_choices(value: Any, *, depth: int = 0) -> Any:
    """Return ``value`` as a list of ``(value, label)`` pairs where possible.

    Mappings become their items, enumerations their ``choices``, a top-level
    callable a ``CallableChoiceIterator`` (called at iteration time), and
    nested groups are normalised too. Anything else comes back unmodified.
    """
    if isinstance(value, BaseChoiceIterator) or _is_string_like(value):
        return value
    if isinstance(value, enum.EnumType) and hasattr(value, "choices"):
        return value.choices
    if depth >= _MAX_DEPTH:
        return value
    if depth == 0 and callable(value) and not isinstance(value, Iterable):
        return CallableChoiceIterator(value)
    if isinstance(value, Iterator):
        value = list(value)  # consumed once: keep what it yielded
    items = _as_items(value, depth)
    if items is None:
        return value
    result = []
    for item in items:
        try:
            key, label = item
        except (TypeError, ValueError):
            return value
        result.append((key, normalize_choices(label, depth=depth + 1)))
    return result
