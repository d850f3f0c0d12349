"""``OrderWrt``: the hidden ``_order`` column of ``Meta.order_with_respect_to``.

The module name follows Django's, so code importing the field by its path
keeps working after the rename.
"""

from __future__ import annotations

from typing import Any

from manouche.db.models.fields._numeric import IntegerField

__all__ = ["OrderWrt"]


class OrderWrt(IntegerField):
    """The position of a row among the rows that share its related object.

    Always named ``_order`` and never shown in forms; the model layer adds it
    to a model whose Meta sets ``order_with_respect_to``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["name"] = "_order"
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)
