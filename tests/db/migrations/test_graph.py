"""MigrationGraph: building, plans, roots and leaves, cycles, replacements."""

from __future__ import annotations

import itertools

import pytest

from manouche.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError
from manouche.db.migrations.graph import DummyNode, MigrationGraph, Node


def chain(
    graph: MigrationGraph, app: str, count: int, validate: bool = True
) -> list[tuple[str, str]]:
    keys = [(app, f"{i:04d}") for i in range(1, count + 1)]
    for key in keys:
        graph.add_node(key, None)
    for parent, child in itertools.pairwise(keys):
        graph.add_dependency(f"{child}", child, parent, skip_validation=not validate)
    return keys


def test_plans_follow_dependencies_across_apps():
    graph = MigrationGraph()
    a1, a2, a3 = chain(graph, "a", 3)
    b1, b2 = chain(graph, "b", 2)
    graph.add_dependency("b.0002", b2, a2)
    assert graph.forwards_plan(b2) == [a1, a2, b1, b2]
    assert graph.backwards_plan(a1) == [a3, b2, a2, a1]
    assert graph.root_nodes() == [a1, b1]
    assert graph.leaf_nodes() == [a3, b2]
    assert graph.leaf_nodes("b") == [b2]
    assert str(graph) == "Graph: 5 nodes, 4 edges"


def test_long_chains_do_not_recurse():
    graph = MigrationGraph()
    keys = chain(graph, "a", 3000, validate=False)
    graph.validate_consistency()
    assert graph.forwards_plan(keys[-1]) == keys
    assert graph.backwards_plan(keys[0]) == keys[::-1]
    graph.ensure_not_cyclic()


def test_unknown_target_is_reported():
    graph = MigrationGraph()
    with pytest.raises(NodeNotFoundError, match=r"\('a', '0001'\) not a valid node"):
        graph.forwards_plan(("a", "0001"))


def test_missing_dependency_names_the_migration_and_the_dependency():
    graph = MigrationGraph()
    graph.add_node(("a", "0002"), None)
    with pytest.raises(NodeNotFoundError) as info:
        graph.add_dependency("a.0002", ("a", "0002"), ("a", "0001"))
    assert str(info.value) == (
        "Migration a.0002 dependencies reference nonexistent parent node ('a', '0001')"
    )
    assert info.value.node == ("a", "0001")
    assert info.value.origin == "a.0002"


def test_skip_validation_defers_the_error_to_validate_consistency():
    graph = MigrationGraph()
    graph.add_node(("a", "0002"), None)
    graph.add_dependency("a.0002", ("a", "0002"), ("b", "0001"), skip_validation=True)
    assert isinstance(graph.node_map["b", "0001"], DummyNode)
    with pytest.raises(NodeNotFoundError, match="nonexistent parent node"):
        graph.validate_consistency()


def test_cycles_are_reported_with_their_members():
    graph = MigrationGraph()
    a1, a2 = chain(graph, "a", 2)
    b1 = ("b", "0001")
    graph.add_node(b1, None)
    graph.add_dependency("b", b1, a2)
    graph.add_dependency("a", a1, b1)
    with pytest.raises(CircularDependencyError) as info:
        graph.ensure_not_cyclic()
    assert set(str(info.value).split(", ")) == {"a.0001", "a.0002", "b.0001"}


def test_remove_replaced_nodes_moves_links_to_the_replacement():
    graph = MigrationGraph()
    a1, a2, a3 = chain(graph, "a", 3)
    b1 = ("b", "0001")
    graph.add_node(b1, None)
    graph.add_dependency("b", b1, a2)
    squash = ("a", "0001_squashed_0002")
    graph.add_node(squash, None)
    graph.remove_replaced_nodes(squash, [a1, a2])
    assert a1 not in graph
    assert a2 not in graph
    assert graph.forwards_plan(a3) == [squash, a3]
    assert graph.forwards_plan(b1) == [squash, b1]


def test_remove_replacement_node_keeps_the_originals():
    graph = MigrationGraph()
    a1, a2, a3 = chain(graph, "a", 3)
    squash = ("a", "0001_squashed_0002")
    graph.add_node(squash, None)
    graph.add_dependency("a3", a3, squash)
    graph.remove_replacement_node(squash, [a1, a2])
    assert squash not in graph
    assert graph.forwards_plan(a3) == [a1, a2, a3]
    with pytest.raises(NodeNotFoundError, match="Unable to remove"):
        graph.remove_replacement_node(squash, [a1, a2])


def test_nodes_compare_by_key():
    node = Node(("a", "0001"))
    assert node == ("a", "0001")
    assert node[1] == "0001"
    assert node < Node(("a", "0002"))
    assert repr(node) == "<Node: ('a', '0001')>"
    graph = MigrationGraph()
    graph.add_node(("a", "0001"), None)
    with pytest.raises(ValueError, match="already in the graph"):
        graph.add_node(("a", "0001"), None)
