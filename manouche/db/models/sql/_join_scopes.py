"""Which filter() calls share their multi-valued joins.

``filter(a__x=1).filter(a__y=2)`` across a multi-valued relation ``a`` may
match two different related rows: each call gets its own joins (a "scope").
Conditions of one call share them, a related manager's filters stick to the
previous call's, and annotations and ordering reuse the joins of one chosen
call (the first multi-valued one, unless an aggregate came before any
filter). The compiler keys joins with the scope names returned here.
"""

from __future__ import annotations

from typing import Any

from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models.query_utils import LOOKUP_SEP, Q

__all__ = [
    "CallScopes",
    "call_scopes",
    "node_multivalued",
    "nested_scope",
    "where_scopes",
]


class CallScopes(Q):
    """The filter() calls of one QuerySet, ANDed, each with its joins kept.

    ``qs1 | qs2`` ORs each side's WHERE entries as one node of this kind, so
    ``filter(tags=1).filter(tags=2)`` on one side still asks for two
    different tags. ``scopes`` names each child's join scope (None: shared);
    both sides use the same names, so their joins are reused across the OR.
    """

    def __init__(self, entries: list[Any], scopes: list[str | None]) -> None:
        super().__init__(*entries)
        self.scopes = tuple(scopes)

    def copy(self) -> CallScopes:
        """Return a shallow copy keeping the scopes."""
        clone = CallScopes(list(self.children), list(self.scopes))
        clone.negated = self.negated
        return clone


def call_scopes(query: Any) -> Q:
    """Return ``query``'s WHERE entries as one condition keeping their scopes."""
    nodes = list(query.where)
    if len(nodes) < 2 and query.shared_where is None:
        return Q(*nodes)
    return CallScopes(nodes, where_scopes(query, nodes))


def nested_scope(outer: str | None, inner: str | None) -> str | None:
    """Return the scope of a CallScopes child compiled within scope ``outer``."""
    if outer is None or inner is None:
        return outer if inner is None else inner
    return f"{outer}{inner}"


def where_scopes(query: Any, nodes: list[Any]) -> list[str | None]:
    """One join scope per WHERE entry (None: the scope shared with the rest)."""
    sticky = query.sticky_where
    shared = query.shared_where
    if shared is None:
        opts = query.model._meta
        shared = next(
            (i for i, node in enumerate(nodes) if node_multivalued(opts, node)),
            0,
        )
    while shared > 0 and shared in sticky:
        shared -= 1
    scopes: list[str | None] = []
    for index in range(len(nodes)):
        if index in sticky and scopes:
            scopes.append(scopes[-1])
        elif index == shared:
            scopes.append(None)
        else:
            scopes.append(f"<filter {index}>")
    return scopes


def node_multivalued(base: Any, node: Any) -> bool:
    """Whether a filter() condition on ``base`` crosses a many-valued relation."""
    if not isinstance(node, Q):
        return False
    for child in node.flatten():
        if not isinstance(child, tuple):
            continue
        opts = base
        for name in child[0].split(LOOKUP_SEP):
            try:
                field = opts.pk if name == "pk" else opts.get_field(name)
            except FieldDoesNotExist:
                break
            if not field.is_relation or field.related_model is None:
                break
            if field.many_to_many or field.one_to_many:
                return True
            opts = field.related_model._meta
    return False
