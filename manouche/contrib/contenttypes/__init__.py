"""The contenttypes app: a row per installed model and generic relations.

``ContentType`` names every model (``app_label`` + ``model``), so a
``GenericForeignKey`` can point at a row of any model and a
``GenericRelation`` can follow such pointers back.
"""

from __future__ import annotations

__all__: list[str] = []
