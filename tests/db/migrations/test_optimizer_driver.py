"""The optimizer's driver, with operations whose reduce() answers are scripted.

These pin the folding algorithm itself (which pairs are tried, which folds
across operations in between are allowed); test_optimizer.py checks the
real operations' rules through the driver.
"""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db.migrations.optimizer import MigrationOptimizer


class Scripted:
    """An operation whose reduce() answer for each partner comes from a table."""

    def __init__(self, label: str, rules: dict[tuple[str, str], Any]) -> None:
        self.label = label
        self.rules = rules

    def reduce(self, other: Scripted, app_label: str) -> Any:
        assert app_label == "app"
        return self.rules.get((self.label, other.label), True)

    def __repr__(self) -> str:
        return self.label


def scripted(labels: str, rules: dict[tuple[str, str], Any]) -> dict[str, Scripted]:
    return {label: Scripted(label, rules) for label in labels.split()}


def optimize(operations: list[Any]) -> list[Any]:
    return MigrationOptimizer().optimize(operations, "app")


def test_pair_folds_into_its_result():
    rules: dict[tuple[str, str], Any] = {}
    ops = scripted("a b ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    assert optimize([ops["a"], ops["b"]]) == [ops["ab"]]


def test_pair_folds_into_nothing():
    rules: dict[tuple[str, str], Any] = {}
    ops = scripted("a b", rules)
    rules[("a", "b")] = []
    assert optimize([ops["a"], ops["b"]]) == []


def test_nothing_to_fold_returns_an_equal_new_list():
    ops = scripted("a b", {("a", "b"): False})
    operations = [ops["a"], ops["b"]]
    result = optimize(operations)
    assert result == operations
    assert result is not operations


def test_fold_moves_right_across_independent_operations():
    rules: dict[tuple[str, str], Any] = {}
    ops = scripted("a x y b ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    assert optimize([ops["a"], ops["x"], ops["y"], ops["b"]]) == [
        ops["x"],
        ops["y"],
        ops["ab"],
    ]


def test_fold_moves_left_when_the_earlier_operation_is_blocked():
    rules: dict[tuple[str, str], Any] = {("a", "x"): False}
    ops = scripted("a x b ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    # a cannot move right past x, but b can move left past x.
    assert optimize([ops["a"], ops["x"], ops["b"]]) == [ops["ab"], ops["x"]]


def test_fold_is_blocked_when_neither_side_can_move():
    rules: dict[tuple[str, str], Any] = {("a", "x"): False, ("x", "b"): False}
    ops = scripted("a x b ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    operations = [ops["a"], ops["x"], ops["b"]]
    assert optimize(operations) == operations


def test_left_move_needs_every_operation_in_between_to_allow_it():
    rules: dict[tuple[str, str], Any] = {
        ("a", "x"): False,
        ("y", "b"): False,
    }
    ops = scripted("a x y b ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    operations = [ops["a"], ops["x"], ops["y"], ops["b"]]
    assert optimize(operations) == operations


def test_blocked_operation_lets_later_pairs_fold():
    rules: dict[tuple[str, str], Any] = {("a", "x"): False, ("x", "b"): False}
    ops = scripted("a x b c bc ab", rules)
    rules[("a", "b")] = [ops["ab"]]
    rules[("b", "c")] = [ops["bc"]]
    assert optimize([ops["a"], ops["x"], ops["b"], ops["c"]]) == [
        ops["a"],
        ops["x"],
        ops["bc"],
    ]


def test_folds_repeat_until_nothing_changes():
    # a+b -> ab, then ab+c -> abc: a chain of renames folds to one.
    rules: dict[tuple[str, str], Any] = {}
    ops = scripted("a b c ab abc", rules)
    rules[("a", "b")] = [ops["ab"]]
    rules[("ab", "c")] = [ops["abc"]]
    optimizer = MigrationOptimizer()
    assert optimizer.optimize([ops["a"], ops["b"], ops["c"]], "app") == [ops["abc"]]
    assert optimizer._iterations == 3


def test_first_foldable_partner_wins():
    rules: dict[tuple[str, str], Any] = {}
    ops = scripted("a b c ab ac", rules)
    rules[("a", "b")] = [ops["ab"]]
    rules[("a", "c")] = [ops["ac"]]
    assert optimize([ops["a"], ops["b"], ops["c"]]) == [ops["ab"], ops["c"]]


def test_empty_list_stays_empty():
    assert optimize([]) == []


@pytest.mark.parametrize("app_label", [None, ""])
def test_app_label_is_required(app_label):
    with pytest.raises(TypeError, match="app_label must be a non-empty string"):
        MigrationOptimizer().optimize([], app_label)
