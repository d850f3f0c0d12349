"""Step 13: Book.edition removed."""

from __future__ import annotations

from manouche.db import models


class Author(models.Model):
    full_name = models.CharField(max_length=100)
    nickname = models.CharField(max_length=50, null=True)

    class Meta:
        indexes = [models.Index(fields=["full_name"], name="library_author_name_idx")]


class Profile(models.Model):
    author = models.OneToOneField(
        Author, on_delete=models.CASCADE, related_name="profile"
    )
    email = models.CharField(max_length=100, blank=True)
    birth_year = models.IntegerField(null=True)
    bio = models.TextField(blank=True)


class Genre(models.Model):
    name = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name"], name="library_genre_name_uniq")
        ]


class Book(models.Model):
    title = models.CharField(max_length=100)
    page_count = models.BigIntegerField()
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Genre, related_name="books")
    in_print = models.BooleanField(default=True)
