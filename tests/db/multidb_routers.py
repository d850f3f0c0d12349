"""The database routers shown in docs/topics/database.md, tested as written.

``tests/db/test_multiple_databases.py`` runs them against real databases.
"""

from __future__ import annotations

import random
from typing import Any

REPLICAS = ["replica"]


class PrimaryReplicaRouter:
    """Reads go to a replica, writes to the primary (``default``)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return random.choice(REPLICAS)

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Every database holds the same rows: any pair may relate.
        pool = {"default", *REPLICAS}
        if obj1._state.db in pool and obj2._state.db in pool:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # replicas copy the primary's schema


SHARDS = ["shard_0", "shard_1"]


def shard_for(author_id: int) -> str:
    """The database holding an author and their books."""
    return SHARDS[author_id % len(SHARDS)]


class AuthorShardRouter:
    """Authors and their books live on the shard their author id picks.

    Writes follow the instance's key; reads name their shard with
    ``using(shard_for(author_id))``, or follow an instance read earlier.
    """

    sharded = {"author", "book"}

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        instance = hints.get("instance")
        if model._meta.model_name not in self.sharded or instance is None:
            return None
        if instance._state.db in SHARDS:
            return str(instance._state.db)
        author_id = instance.pk if model._meta.model_name == "author" else None
        if author_id is None:
            author_id = getattr(instance, "author_id", None)
        return shard_for(author_id) if author_id is not None else None

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db in SHARDS:
            return str(instance._state.db)
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return bool(obj1._state.db == obj2._state.db)

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if model_name in self.sharded:
            return db in SHARDS
        return None
