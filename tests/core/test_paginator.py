"""Paginator and Page: page arithmetic, orphans, errors and elided ranges."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.paginator import (
    EmptyPage,
    InvalidPage,
    Page,
    PageNotAnInteger,
    Paginator,
    UnorderedObjectListWarning,
)


def test_counts_pages_and_range() -> None:
    paginator = Paginator(list(range(1, 11)), 3)
    assert paginator.count == 10
    assert paginator.num_pages == 4
    assert paginator.page_range == range(1, 5)
    assert [list(page) for page in paginator] == [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [10],
    ]


def test_per_page_and_orphans_accept_strings() -> None:
    paginator = Paginator(list(range(10)), "4", orphans="2")  # type: ignore[arg-type]
    assert (paginator.per_page, paginator.orphans) == (4, 2)
    assert paginator.num_pages == 2


def test_orphans_fold_a_short_last_page_into_the_previous() -> None:
    paginator = Paginator(list(range(11)), 5, orphans=1)
    assert paginator.num_pages == 2
    assert list(paginator.page(2)) == [5, 6, 7, 8, 9, 10]
    # Two leftovers exceed one orphan: they keep their own page.
    assert Paginator(list(range(12)), 5, orphans=1).num_pages == 3


def test_orphans_never_empty_the_first_page() -> None:
    paginator = Paginator([1, 2], 5, orphans=4)
    assert paginator.num_pages == 1
    assert list(paginator.page(1)) == [1, 2]


def test_empty_list_has_a_first_page_unless_disallowed() -> None:
    paginator = Paginator([], 5)
    assert paginator.num_pages == 1
    page = paginator.page(1)
    assert list(page) == []
    assert (page.start_index(), page.end_index()) == (0, 0)
    strict = Paginator([], 5, allow_empty_first_page=False)
    assert strict.num_pages == 0
    with pytest.raises(EmptyPage, match="That page contains no results"):
        strict.page(1)


@pytest.mark.parametrize(
    ("number", "error", "message"),
    [
        ("x", PageNotAnInteger, "That page number is not an integer"),
        (None, PageNotAnInteger, "That page number is not an integer"),
        (1.5, PageNotAnInteger, "That page number is not an integer"),
        ("1.0", PageNotAnInteger, "That page number is not an integer"),
        (0, EmptyPage, "That page number is less than 1"),
        (-3, EmptyPage, "That page number is less than 1"),
        (5, EmptyPage, "That page contains no results"),
        ("9" * 400, EmptyPage, "That page contains no results"),
    ],
)
def test_page_is_strict(number: Any, error: type[Exception], message: str) -> None:
    paginator = Paginator(list(range(10)), 3)
    with pytest.raises(error) as excinfo:
        paginator.page(number)
    assert str(excinfo.value) == message
    assert isinstance(excinfo.value, InvalidPage)


def test_validate_number_accepts_integral_values() -> None:
    paginator = Paginator(list(range(10)), 3)
    assert paginator.validate_number("2") == 2
    assert paginator.validate_number(3.0) == 3


def test_get_page_is_lenient() -> None:
    paginator = Paginator(list(range(10)), 3)
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(None).number == 1
    assert paginator.get_page(99).number == 4
    assert paginator.get_page(-1).number == 4
    assert paginator.get_page("2").number == 2


def test_custom_error_messages() -> None:
    paginator = Paginator([1], 1, error_messages={"no_results": "Nothing here"})
    with pytest.raises(EmptyPage, match="Nothing here"):
        paginator.page(2)
    with pytest.raises(PageNotAnInteger, match="not an integer"):
        paginator.page("a")


def test_page_navigation_and_indexes() -> None:
    paginator = Paginator(list(range(1, 11)), 3)
    first, second, last = paginator.page(1), paginator.page(2), paginator.page(4)
    assert repr(first) == "<Page 1 of 4>"
    assert not first.has_previous()
    assert first.has_next()
    assert first.has_other_pages()
    assert first.next_page_number() == 2
    with pytest.raises(EmptyPage):
        first.previous_page_number()
    assert second.previous_page_number() == 1
    assert (second.start_index(), second.end_index()) == (4, 6)
    assert (last.start_index(), last.end_index()) == (10, 10)
    assert not last.has_next()
    with pytest.raises(EmptyPage):
        last.next_page_number()
    assert not Paginator([1], 5).page(1).has_other_pages()


def test_page_is_a_sequence() -> None:
    page = Paginator("abcdefg", 3).page(2)
    assert isinstance(page, Page)
    assert len(page) == 3
    assert page[0] == "d"
    assert page[-1] == "f"
    assert page[1:] == ["e", "f"]
    assert "e" in page
    assert page.index("f") == 2
    with pytest.raises(TypeError) as excinfo:
        page["x"]
    assert str(excinfo.value) == "Page indices must be integers or slices, not str."


class Counted:
    """An object list with its own count() method, like a QuerySet."""

    def __init__(self, items: list[int]) -> None:
        self.items = items
        self.count_calls = 0

    def count(self) -> int:
        self.count_calls += 1
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        return self.items[index]

    def __len__(self) -> int:  # pragma: no cover - count() is preferred
        raise AssertionError("len() must not be used when count() exists")


def test_count_prefers_a_count_method_and_caches_it() -> None:
    objects = Counted(list(range(7)))
    paginator = Paginator(objects, 2)
    assert paginator.count == 7
    assert paginator.num_pages == 4
    assert objects.count_calls == 1


def test_count_ignores_list_count_builtin() -> None:
    # list.count needs an argument: the paginator falls back to len().
    assert Paginator([1, 2, 3], 2).count == 3


class Unordered(list[int]):
    """A list that says it is unordered, like an unordered QuerySet."""

    ordered = False
    model = "FakeModel"


def test_unordered_object_list_warns() -> None:
    with pytest.warns(UnorderedObjectListWarning) as record:
        Paginator(Unordered([1, 2]), 1)
    assert str(record[0].message) == (
        "Pagination may yield inconsistent results with an unordered "
        "object_list: FakeModel Unordered."
    )
    assert record[0].filename == __file__


class UnorderedNoModel(list[int]):
    ordered = False


def test_unordered_object_list_without_model_uses_repr() -> None:
    with pytest.warns(UnorderedObjectListWarning, match=r"object_list: \[1\]\."):
        Paginator(UnorderedNoModel([1]), 1)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, [1, 2, 3, 4, "…", 49, 50]),
        (6, [1, 2, 3, 4, 5, 6, 7, 8, 9, "…", 49, 50]),
        (7, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "…", 49, 50]),
        (8, [1, 2, "…", 5, 6, 7, 8, 9, 10, 11, "…", 49, 50]),
        (25, [1, 2, "…", 22, 23, 24, 25, 26, 27, 28, "…", 49, 50]),
        (43, [1, 2, "…", 40, 41, 42, 43, 44, 45, 46, "…", 49, 50]),
        (44, [1, 2, "…", 41, 42, 43, 44, 45, 46, 47, 48, 49, 50]),
        (45, [1, 2, "…", 42, 43, 44, 45, 46, 47, 48, 49, 50]),
        (50, [1, 2, "…", 47, 48, 49, 50]),
    ],
)
def test_elided_page_range(number: int, expected: list[Any]) -> None:
    paginator = Paginator(range(500), 10)
    assert [
        str(p) if not isinstance(p, int) else p
        for p in paginator.get_elided_page_range(number)
    ] == expected


def test_elided_page_range_short_and_custom_sides() -> None:
    assert list(Paginator(range(100), 10).get_elided_page_range(5)) == list(
        range(1, 11)
    )
    paginator = Paginator(range(100), 10)
    elided = list(paginator.get_elided_page_range(5, on_each_side=1, on_ends=1))
    assert [str(p) for p in elided] == ["1", "…", "4", "5", "6", "…", "10"]
    with pytest.raises(EmptyPage):
        list(paginator.get_elided_page_range(11))
