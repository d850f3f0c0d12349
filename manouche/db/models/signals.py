"""Model lifecycle signals: init, save, delete, m2m changes and class_prepared."""

from __future__ import annotations

from manouche.dispatch import Signal

__all__ = [
    "class_prepared",
    "m2m_changed",
    "post_delete",
    "post_init",
    "post_save",
    "pre_delete",
    "pre_init",
    "pre_save",
]

class_prepared = Signal()
pre_init = Signal()
post_init = Signal()
pre_save = Signal()
post_save = Signal()
pre_delete = Signal()
post_delete = Signal()
m2m_changed = Signal()
