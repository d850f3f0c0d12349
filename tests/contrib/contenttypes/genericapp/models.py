"""Tagged items pointing at bookmarks, notes and people through generic keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from manouche.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from manouche.contrib.contenttypes.models import ContentType
from manouche.db import models


class TaggedItem(models.Model):
    """A tag on any object."""

    if TYPE_CHECKING:
        tag: str
        content_type: ContentType
        content_type_id: int | None
        object_id: int | None
        content_object: Any
    else:
        tag = models.SlugField()
        content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
        object_id = models.PositiveIntegerField()
        content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        app_label = "genericapp"
        ordering = ["tag", "id"]

    def __str__(self) -> str:
        return self.tag


class Comment(models.Model):
    """A comment whose object id is text (any primary key type)."""

    body = models.CharField(max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_pk = models.CharField(max_length=64)
    target = GenericForeignKey(fk_field="object_pk")

    class Meta:
        app_label = "genericapp"
        ordering = ["id"]


class Bookmark(models.Model):
    """A bookmark: tags queryable as ``TaggedItem.objects.filter(bookmark=...)``."""

    if TYPE_CHECKING:
        title: str
    else:
        title = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem, related_query_name="bookmark")
    comments = GenericRelation(Comment, object_id_field="object_pk")

    class Meta:
        app_label = "genericapp"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ProxyBookmark(Bookmark):
    """A proxy: same content type as Bookmark unless for_concrete_model=False."""

    class Meta:
        app_label = "genericapp"
        proxy = True


class Note(models.Model):
    """A note with tags too (a second content type on the same table)."""

    text = models.CharField(max_length=100)
    tags = GenericRelation(TaggedItem)

    class Meta:
        app_label = "genericapp"
        ordering = ["id"]


class Person(models.Model):
    """A model without a GenericRelation: tags on it are not cascaded."""

    name = models.CharField(max_length=50)

    class Meta:
        app_label = "genericapp"


class PricedTaggedItem(TaggedItem):
    """A multi-table child of TaggedItem: its generic key is on the parent table."""

    price = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "genericapp"


class Stone(models.Model):
    """A model whose GenericRelation points at the child PricedTaggedItem."""

    name = models.CharField(max_length=20)
    priced_tags = GenericRelation(PricedTaggedItem)

    class Meta:
        app_label = "genericapp"
        ordering = ["id"]


ALL_MODELS = [
    ContentType,
    TaggedItem,
    Comment,
    Bookmark,
    Note,
    Person,
    PricedTaggedItem,
    Stone,
]
