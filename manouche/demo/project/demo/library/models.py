"""The library's models: an author writes books, books carry tags."""

from __future__ import annotations

from typing import Any

from manouche.db import models
from manouche.urls import reverse

__all__ = ["Author", "Book", "Tag"]


class Author(models.Model):
    """Someone who wrote at least one of the books."""

    name = models.CharField(max_length=100, unique=True)
    born = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class Tag(models.Model):
    """A subject a book can be filed under."""

    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.name)


class Book(models.Model):
    """A book in the library; the list, detail and form pages show these."""

    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Tag, blank=True, related_name="books")
    published = models.DateField()
    pages = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=7, decimal_places=2)
    summary = models.TextField(blank=True)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published", "title"]
        indexes = [models.Index(fields=["published"], name="library_book_published")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "title"], name="library_book_unique_title"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("library:book-detail", kwargs={"pk": self.pk})

    def tag_names(self) -> list[str]:
        """The tags' names (from the prefetch cache when there is one)."""
        tags: Any = self.tags
        return [tag.name for tag in tags.all()]
