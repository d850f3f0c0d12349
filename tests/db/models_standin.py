"""Stand-in models shaped like the model layer's (``_meta.sa_table``).

Used by the database-layer tests until real models exist: a class with
``_meta.sa_table``, ``_meta.db_table`` and ``_meta.local_many_to_many``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()


def standin(table: sa.Table, m2m: list[Any] | None = None) -> Any:
    """Return a class whose ``_meta`` carries ``table``."""
    meta = SimpleNamespace(
        sa_table=table,
        db_table=table.name,
        local_many_to_many=m2m or [],
        auto_created=False,
        managed=True,
        proxy=False,
        app_label="tests",
        model_name=table.name,
    )
    return type(table.name.title().replace("_", ""), (), {"_meta": meta})


author_table = sa.Table(
    "dbt_author",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("age", sa.Integer, nullable=True),
    sa.Index("dbt_author_age_idx", "age"),
)
book_table = sa.Table(
    "dbt_book",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("dbt_author.id"), nullable=False),
    sa.CheckConstraint("length(title) > 0", name="dbt_book_title_nonempty"),
)
tag_table = sa.Table(
    "dbt_tag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("label", sa.String(50), nullable=False),
)
book_tags_table = sa.Table(
    "dbt_book_tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("book_id", sa.Integer, sa.ForeignKey("dbt_book.id"), nullable=False),
    sa.Column("tag_id", sa.Integer, sa.ForeignKey("dbt_tag.id"), nullable=False),
    sa.UniqueConstraint("book_id", "tag_id", name="dbt_book_tags_uniq"),
)

Author = standin(author_table)
Tag = standin(tag_table)
BookTags = standin(book_tags_table)
BookTags._meta.auto_created = True
_tags_field = SimpleNamespace(remote_field=SimpleNamespace(through=BookTags))
Book = standin(book_table, [_tags_field])

ALL = [Author, Book, Tag]
