"""The two TechEmpower tables as models."""

from __future__ import annotations

from django.db import models

__all__ = ["Fortune", "World"]


class World(models.Model):
    """One of the 10,000 rows the db, queries and updates tests read."""

    id = models.AutoField(primary_key=True)
    randomnumber = models.IntegerField(default=0)

    class Meta:
        db_table = "world"


class Fortune(models.Model):
    """One of the 12 messages the fortunes test lists."""

    id = models.AutoField(primary_key=True)
    message = models.CharField(max_length=2048)

    class Meta:
        db_table = "fortune"
