"""A prefix index that lets a resolver skip patterns that cannot match a path.

Django tries every pattern of a URLconf in order, one regex each. Most patterns
start with literal text (``"articles/"`` in ``"articles/<int:year>/"``), and a
pattern whose literal prefix the path does not start with cannot match. This
index files each pattern under the path segments of its literal prefix, in a
small trie, and answers, for a path, the positions of the patterns worth
trying, in their original order. Trying only those gives the same first match
as trying them all.

The index knows nothing about patterns: the resolver hands it one
``(prefix, exact)`` key per pattern. ``prefix`` is text every matching path
starts with (``""`` when unknown); ``exact`` says the path must equal it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["PatternIndex"]


class _Node:
    """One trie node: the patterns filed here and the segments below."""

    __slots__ = ("candidates", "children", "own")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.own: list[int] = []
        self.candidates: tuple[int, ...] = ()

    def child(self, segment: str) -> _Node:
        node = self.children.get(segment)
        if node is None:
            node = self.children[segment] = _Node()
        return node


class PatternIndex:
    """Map a path to the ordered positions of the patterns that might match it.

    Segments are keyed with their trailing ``/`` (``"articles/"``); an exact
    key's last segment may lack one (``"robots.txt"``). A pattern whose prefix
    ends mid-segment stays on the node above, so it is tried for every path
    below that node.
    """

    __slots__ = ("root", "size")

    def __init__(self, keys: Sequence[tuple[str, bool]]) -> None:
        self.size = len(keys)
        root = self.root = _Node()
        for position, (prefix, exact) in enumerate(keys):
            node = root
            start = 0
            slash = prefix.find("/")
            while slash != -1:
                node = node.child(prefix[start : slash + 1])
                start = slash + 1
                slash = prefix.find("/", start)
            rest = prefix[start:]
            if exact and rest:
                node = node.child(rest)
            node.own.append(position)
        self._fill(root, ())

    def _fill(self, node: _Node, inherited: tuple[int, ...]) -> None:
        # Each node keeps its ancestors' patterns too, merged in order, so a
        # lookup is one walk and one tuple, with no merging per request.
        node.candidates = tuple(sorted((*inherited, *node.own)))
        for child in node.children.values():
            self._fill(child, node.candidates)

    def candidates(self, path: str) -> tuple[int, ...]:
        """Return the positions of the patterns that might match ``path``."""
        node = self.root
        children = node.children
        start = 0
        while children:
            slash = path.find("/", start)
            if slash == -1:
                if start < len(path):
                    last = children.get(path[start:])
                    if last is not None:
                        node = last
                break
            child = children.get(path[start : slash + 1])
            if child is None:
                break
            node = child
            children = child.children
            start = slash + 1
        return node.candidates
