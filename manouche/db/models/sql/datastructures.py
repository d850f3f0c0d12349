"""Descriptions of the tables a compiled query reads (``Query.alias_map``).

The compiler builds SQLAlchemy joins directly; these small records describe
them afterwards for code that inspects a query: which table each alias reads,
and whether the join is inner or left outer (a nullable relation, a reverse
relation, or an ``exclude()``/``isnull`` path that must keep unmatched rows).
"""

from __future__ import annotations

from dataclasses import dataclass

from manouche.db.models.sql.constants import INNER, LOUTER

__all__ = ["BaseTable", "Join"]


@dataclass(frozen=True)
class BaseTable:
    """The table in the FROM clause that the query starts from."""

    table_name: str
    table_alias: str
    join_type: None = None


@dataclass(frozen=True)
class Join:
    """A table joined to the query, reached through the relation ``path``."""

    table_name: str
    table_alias: str
    path: str
    join_type: str = INNER

    @property
    def nullable(self) -> bool:
        """Tell whether the join keeps rows without a match (LEFT OUTER)."""
        return self.join_type == LOUTER
