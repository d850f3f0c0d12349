"""Step 06: Tag renamed to Genre (the M2M follows it)."""

from __future__ import annotations

from manouche.db import models


class Author(models.Model):
    full_name = models.CharField(max_length=100)
    email = models.CharField(max_length=100, blank=True)
    birth_year = models.IntegerField(null=True)
    bio = models.TextField(blank=True)
    nickname = models.CharField(max_length=50, null=True)


class Genre(models.Model):
    name = models.CharField(max_length=80)


class Book(models.Model):
    title = models.CharField(max_length=100)
    page_count = models.BigIntegerField()
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    tags = models.ManyToManyField(Genre, related_name="books")
    in_print = models.BooleanField(default=True)
    edition = models.IntegerField(default=1)
