"""Model lifecycle signals: init, save, delete, m2m changes, class_prepared,
and pre_migrate/post_migrate around building an app's tables."""

from __future__ import annotations

from manouche.dispatch import Signal

__all__ = [
    "class_prepared",
    "m2m_changed",
    "post_delete",
    "post_init",
    "post_migrate",
    "post_save",
    "pre_delete",
    "pre_init",
    "pre_migrate",
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
# Sent per app config, before and after its tables are built (by the test
# database set-up now, by ``migrate`` once migrations land): app_config,
# verbosity, interactive, using, apps, plan.
pre_migrate = Signal()
post_migrate = Signal()
