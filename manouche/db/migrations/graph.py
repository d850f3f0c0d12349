"""The dependency graph of migrations, and plans walked through it.

Every migration is a node keyed by ``(app_label, name)``; an edge runs from
a dependency (parent) to the migration that needs it (child). A dependency
on a migration nobody has loaded becomes a ``DummyNode`` so that loading can
go on (squashed migrations may still stand in for it); ``validate_consistency``
reports any left over. Walks are iterative so long histories never hit
Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from manouche.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError

__all__ = ["DummyNode", "MigrationGraph", "Node"]

Key = tuple[str, str]


class Node:
    """One migration in the graph, with links to its parents and children."""

    def __init__(self, key: Key) -> None:
        self.key = key
        self.children: set[Node] = set()
        self.parents: set[Node] = set()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Node):
            return self.key == other.key
        return self.key == other

    def __lt__(self, other: object) -> bool:
        other_key = other.key if isinstance(other, Node) else other
        return self.key < other_key  # type: ignore[operator]

    def __hash__(self) -> int:
        return hash(self.key)

    def __getitem__(self, index: int) -> str:
        return self.key[index]

    def __str__(self) -> str:
        return str(self.key)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: ({self.key[0]!r}, {self.key[1]!r})>"

    def add_child(self, child: Node) -> None:
        """Link ``child`` as depending on this node."""
        self.children.add(child)

    def add_parent(self, parent: Node) -> None:
        """Link ``parent`` as a dependency of this node."""
        self.parents.add(parent)


class DummyNode(Node):
    """A dependency that no loaded migration provides (yet).

    Kept so that a squashed migration replacing it can take its place;
    if it is still there once loading ends, ``raise_error`` explains who
    asked for it.
    """

    def __init__(self, key: Key, origin: Any, error_message: str) -> None:
        super().__init__(key)
        self.origin = origin
        self.error_message = error_message

    def raise_error(self) -> None:
        """Raise the NodeNotFoundError this placeholder stands for."""
        raise NodeNotFoundError(self.error_message, self.key, origin=self.origin)


class MigrationGraph:
    """Migrations (``nodes``: key -> Migration) and their links (``node_map``)."""

    def __init__(self) -> None:
        self.node_map: dict[Key, Node] = {}
        self.nodes: dict[Key, Any] = {}

    # Building.

    def add_node(self, key: Key, migration: Any) -> None:
        """Add the migration ``migration`` under ``key``."""
        if key in self.node_map:
            raise ValueError(f"Migration {key!r} is already in the graph.")
        self.node_map[key] = Node(key)
        self.nodes[key] = migration

    def add_dummy_node(self, key: Key, origin: Any, error_message: str) -> None:
        """Add a placeholder for a dependency that is not loaded."""
        self.node_map[key] = DummyNode(key, origin, error_message)
        self.nodes[key] = None

    def add_dependency(
        self,
        migration: Any,
        child: Key,
        parent: Key,
        skip_validation: bool = False,
    ) -> None:
        """Record that ``child`` depends on ``parent`` (``migration`` asked).

        A missing end becomes a DummyNode; unless ``skip_validation``, the
        graph is checked at once so a bad reference fails here.
        """
        if child not in self.nodes:
            self.add_dummy_node(
                child,
                migration,
                f"Migration {migration} dependencies reference nonexistent "
                f"child node {child!r}",
            )
        if parent not in self.nodes:
            self.add_dummy_node(
                parent,
                migration,
                f"Migration {migration} dependencies reference nonexistent "
                f"parent node {parent!r}",
            )
        child_node = self.node_map[child]
        parent_node = self.node_map[parent]
        child_node.add_parent(parent_node)
        parent_node.add_child(child_node)
        if not skip_validation:
            self.validate_consistency()

    def remove_replaced_nodes(self, replacement: Key, replaced: Iterable[Key]) -> None:
        """Use ``replacement`` instead of the migrations it squashes.

        Links from outside the replaced set are moved onto the replacement;
        the replaced nodes leave the graph.
        """
        replaced = list(replaced)
        try:
            replacement_node = self.node_map[replacement]
        except KeyError as exc:
            raise NodeNotFoundError(
                f"Unable to find replacement node {replacement!r}. It was either "
                "never added to the migration graph, or has been removed.",
                replacement,
            ) from exc
        replaced_keys = set(replaced)
        for key in replaced:
            node = self.node_map.pop(key, None)
            if node is None:
                continue
            self.nodes.pop(key, None)
            for child in node.children:
                child.parents.discard(node)
                if child.key not in replaced_keys:
                    replacement_node.add_child(child)
                    child.add_parent(replacement_node)
            for parent in node.parents:
                parent.children.discard(node)
                if parent.key not in replaced_keys:
                    replacement_node.add_parent(parent)
                    parent.add_child(replacement_node)

    def remove_replacement_node(
        self, replacement: Key, replaced: Iterable[Key]
    ) -> None:
        """Drop a squashed migration and keep the ones it replaces.

        Children of the replacement are made to depend on the last replaced
        migrations instead (those no other replaced migration depends on);
        the replaced migrations already carry the right ancestry.
        """
        node = self.node_map.pop(replacement, None)
        if node is None:
            raise NodeNotFoundError(
                f"Unable to remove replacement node {replacement!r}. It was either "
                "never added to the migration graph, or has been removed already.",
                replacement,
            )
        self.nodes.pop(replacement, None)
        present = [self.node_map[key] for key in replaced if key in self.node_map]
        parents_of_present: set[Node] = set()
        for replaced_node in present:
            parents_of_present |= replaced_node.parents
        latest = [n for n in present if n not in parents_of_present]
        for child in node.children:
            child.parents.discard(node)
            for replaced_node in latest:
                replaced_node.add_child(child)
                child.add_parent(replaced_node)
        for parent in node.parents:
            parent.children.discard(node)

    def validate_consistency(self) -> None:
        """Raise NodeNotFoundError for the first dependency nobody provides."""
        for node in self.node_map.values():
            if isinstance(node, DummyNode):
                node.raise_error()

    # Walking.

    def _node(self, target: Key) -> Node:
        if target not in self.node_map:
            raise NodeNotFoundError(f"Node {target!r} not a valid node", target)
        return self.node_map[target]

    def forwards_plan(self, target: Key) -> list[Key]:
        """Keys to apply, dependencies first, to reach ``target`` (included)."""
        return self._postorder(self._node(target), forwards=True)

    def backwards_plan(self, target: Key) -> list[Key]:
        """Keys to unapply, dependents first, to remove ``target`` (included)."""
        return self._postorder(self._node(target), forwards=False)

    @staticmethod
    def _postorder(start: Node, forwards: bool) -> list[Key]:
        """Every node reachable from ``start``, each after what it leads to."""
        order: list[Key] = []
        done: set[Node] = set()
        stack: list[tuple[Node, bool]] = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                order.append(node.key)
                continue
            stack.append((node, True))
            following = node.parents if forwards else node.children
            # Reversed so the smallest key is walked first.
            for other in sorted(following, reverse=True):
                if other not in done:
                    stack.append((other, False))
        return order

    def root_nodes(self, app: str | None = None) -> list[Key]:
        """Keys with no dependency inside their own app (of ``app`` if given)."""
        roots = [
            key
            for key, node in self.node_map.items()
            if (app is None or key[0] == app)
            and not any(parent.key[0] == key[0] for parent in node.parents)
        ]
        return sorted(roots)

    def leaf_nodes(self, app: str | None = None) -> list[Key]:
        """Keys that no migration of their own app depends on (the latest)."""
        leaves = [
            key
            for key, node in self.node_map.items()
            if (app is None or key[0] == app)
            and not any(child.key[0] == key[0] for child in node.children)
        ]
        return sorted(leaves)

    def ensure_not_cyclic(self) -> None:
        """Raise CircularDependencyError naming the migrations of a cycle."""
        state: dict[Key, int] = {}  # 1 = on the current path, 2 = finished
        for root in sorted(self.node_map):
            if root in state:
                continue
            path: list[Key] = []
            stack: list[tuple[Key, Iterator[Node]]] = []
            state[root] = 1
            path.append(root)
            stack.append((root, iter(sorted(self.node_map[root].children))))
            while stack:
                key, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    path.pop()
                    state[key] = 2
                    continue
                seen = state.get(child.key)
                if seen == 1:
                    cycle = path[path.index(child.key) :]
                    raise CircularDependencyError(
                        ", ".join(f"{app}.{name}" for app, name in cycle)
                    )
                if seen is None:
                    state[child.key] = 1
                    path.append(child.key)
                    stack.append(
                        (child.key, iter(sorted(self.node_map[child.key].children)))
                    )

    # States.

    def _generate_plan(self, nodes: list[Key], at_end: bool) -> list[Key]:
        plan: list[Key] = []
        seen: set[Key] = set()
        targets = set(nodes)
        for node in nodes:
            for key in self.forwards_plan(node):
                if key in seen:
                    continue
                if at_end or key not in targets:
                    plan.append(key)
                    seen.add(key)
        return plan

    def make_state(
        self,
        nodes: Key | list[Key] | None = None,
        at_end: bool = True,
        real_apps: Iterable[str] | None = None,
    ) -> Any:
        """The ProjectState after applying up to ``nodes`` (before if not at_end)."""
        from manouche.db.migrations.state import ProjectState

        if nodes is None:
            targets = self.leaf_nodes()
        elif (
            isinstance(nodes, tuple)
            and len(nodes) == 2
            and all(isinstance(part, str) for part in nodes)
        ):
            targets = [nodes]
        else:
            targets = list(nodes)  # type: ignore[arg-type]
        project_state = ProjectState(
            real_apps=set(real_apps) if real_apps is not None else None
        )
        for key in self._generate_plan(targets, at_end):
            project_state = self.nodes[key].mutate_state(project_state, preserve=False)
        return project_state

    # Introspection.

    def __contains__(self, key: object) -> bool:
        return key in self.nodes

    def _edge_count(self) -> int:
        return sum(len(node.parents) for node in self.node_map.values())

    def __str__(self) -> str:
        return f"Graph: {len(self.nodes)} nodes, {self._edge_count()} edges"

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: nodes={len(self.nodes)}, "
            f"edges={self._edge_count()}>"
        )
