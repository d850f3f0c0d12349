"""Split a sequence or a QuerySet into numbered pages.

The paginator owns page arithmetic only: it slices ``object_list`` lazily
(one ``count()`` and one slice per page for a QuerySet) and never renders.
"""

from __future__ import annotations

import collections.abc
import inspect
import warnings
from math import ceil
from typing import TYPE_CHECKING, Any

from manouche.utils.functional import cached_property
from manouche.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "EmptyPage",
    "InvalidPage",
    "Page",
    "PageNotAnInteger",
    "Paginator",
    "UnorderedObjectListWarning",
]


class UnorderedObjectListWarning(RuntimeWarning):
    """Warn that paging an unordered QuerySet may repeat or skip rows."""


class InvalidPage(Exception):
    """The requested page does not exist."""


class PageNotAnInteger(InvalidPage):
    """The page number is not an integer."""


class EmptyPage(InvalidPage):
    """The page number is out of range: the page holds no results."""


def _takes_no_arguments(method: Any) -> bool:
    """Tell whether ``method`` can be called without arguments (a count())."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in parameters
    )


class Paginator:
    """Page through ``object_list``, ``per_page`` items at a time.

    ``orphans`` folds a last page of that many items or fewer into the one
    before it; ``allow_empty_first_page`` lets an empty list have page 1.
    """

    ELLIPSIS = _("…")
    default_error_messages: dict[str, Any] = {
        "invalid_page": _("That page number is not an integer"),
        "min_page": _("That page number is less than 1"),
        "no_results": _("That page contains no results"),
    }

    def __init__(
        self,
        object_list: Any,
        per_page: int | str,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        error_messages: dict[str, Any] | None = None,
    ) -> None:
        self.object_list = object_list
        self._check_object_list_is_ordered()
        self.per_page = int(per_page)
        self.orphans = int(orphans)
        self.allow_empty_first_page = allow_empty_first_page
        self.error_messages = (
            self.default_error_messages
            if error_messages is None
            else {**self.default_error_messages, **error_messages}
        )

    def __iter__(self) -> Iterator[Page]:
        """Yield every page in order."""
        for page_number in self.page_range:
            yield self.page(page_number)

    def validate_number(self, number: Any) -> int:
        """Return ``number`` as a valid page number, or raise InvalidPage."""
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if number > self.num_pages and not (
            number == 1 and self.allow_empty_first_page
        ):
            raise EmptyPage(self.error_messages["no_results"])
        return int(number)

    def get_page(self, number: Any) -> Page:
        """Return a page, falling back to the first or last one when invalid."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages
        return self.page(number)

    def page(self, number: Any) -> Page:
        """Return page ``number`` (1-based), raising InvalidPage when invalid."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        """Build one page; override to return a Page subclass."""
        return Page(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        """Return the total number of objects, across all pages."""
        counter = getattr(self.object_list, "count", None)
        if (
            callable(counter)
            and not inspect.isbuiltin(counter)
            and _takes_no_arguments(counter)
        ):
            return int(counter())
        return len(self.object_list)

    @cached_property
    def num_pages(self) -> int:
        """Return the number of pages (0 for an empty list without page 1)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, self.count - self.orphans)
        return ceil(hits / self.per_page)

    @property
    def page_range(self) -> range:
        """Return the 1-based range of page numbers."""
        return range(1, self.num_pages + 1)

    def _check_object_list_is_ordered(self) -> None:
        ordered = getattr(self.object_list, "ordered", None)
        if ordered is None or ordered:
            return
        object_list = self.object_list
        if hasattr(object_list, "model"):
            described = f"{object_list.model} {object_list.__class__.__name__}"
        else:
            described = repr(object_list)
        warnings.warn(
            "Pagination may yield inconsistent results with an unordered "
            f"object_list: {described}.",
            UnorderedObjectListWarning,
            stacklevel=3,
        )

    def get_elided_page_range(
        self, number: Any = 1, *, on_each_side: int = 3, on_ends: int = 2
    ) -> Iterator[int | str]:
        """Yield page numbers around ``number``, eliding long runs with ELLIPSIS."""
        number = self.validate_number(number)
        if self.num_pages <= (on_each_side + on_ends) * 2:
            yield from self.page_range
            return
        if number > 1 + on_each_side + on_ends + 1:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, number + 1)
        else:
            yield from range(1, number + 1)
        if number < self.num_pages - on_each_side - on_ends - 1:
            yield from range(number + 1, number + on_each_side + 1)
            yield self.ELLIPSIS
            yield from range(self.num_pages - on_ends + 1, self.num_pages + 1)
        else:
            yield from range(number + 1, self.num_pages + 1)


class Page(collections.abc.Sequence[Any]):
    """One page of a Paginator: a sequence of its objects plus navigation."""

    def __init__(self, object_list: Any, number: int, paginator: Paginator) -> None:
        self.object_list = object_list
        self.number = number
        self.paginator = paginator

    def __repr__(self) -> str:
        return f"<Page {self.number} of {self.paginator.num_pages}>"

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, (int, slice)):
            raise TypeError(
                f"Page indices must be integers or slices, not {type(index).__name__}."
            )
        # Evaluate a QuerySet once, so indexing does not query per item.
        if not isinstance(self.object_list, list):
            self.object_list = list(self.object_list)
        return self.object_list[index]

    def has_next(self) -> bool:
        """Tell whether a page follows this one."""
        return self.number < self.paginator.num_pages

    def has_previous(self) -> bool:
        """Tell whether a page precedes this one."""
        return self.number > 1

    def has_other_pages(self) -> bool:
        """Tell whether there is any other page."""
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        """Return the next page number, or raise EmptyPage."""
        return self.paginator.validate_number(self.number + 1)

    def previous_page_number(self) -> int:
        """Return the previous page number, or raise EmptyPage."""
        return self.paginator.validate_number(self.number - 1)

    def start_index(self) -> int:
        """Return the 1-based index of this page's first object (0 if none)."""
        if self.paginator.count == 0:
            return 0
        return self.paginator.per_page * (self.number - 1) + 1

    def end_index(self) -> int:
        """Return the 1-based index of this page's last object."""
        if self.number == self.paginator.num_pages:
            return self.paginator.count
        return self.number * self.paginator.per_page
