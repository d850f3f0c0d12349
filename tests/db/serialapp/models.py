"""A self-referencing model: its rows point at rows written after them."""

from __future__ import annotations

from manouche.db import models


class Genre(models.Model):
    name = models.CharField(max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        app_label = "serialapp"

    def __str__(self) -> str:
        return self.name
