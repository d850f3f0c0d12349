"""Model lifecycle signals: init, save, delete, m2m changes, class_prepared,
and pre_migrate/post_migrate around building an app's tables.

The per-model signals are ``ModelSignal`` instances: their sender may be given
lazily as ``"app_label.ModelName"``, connected once that model is registered.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from manouche.dispatch import Signal

__all__ = [
    "ModelSignal",
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


def _model_key(reference: str) -> tuple[str, str]:
    """Split ``"app_label.ModelName"`` into the registry's lookup key."""
    try:
        app_label, model_name = reference.split(".")
    except ValueError:
        raise ValueError(
            f"Invalid model reference {reference!r}. String model references "
            "must be of the form 'app_label.ModelName'."
        ) from None
    return app_label, model_name.lower()


class ModelSignal(Signal):
    """A Signal whose sender may be a lazy ``"app_label.ModelName"`` string."""

    def _lazy_method(
        self,
        method: Callable[..., Any],
        apps: Any,
        receiver: Any,
        sender: Any,
        **kwargs: Any,
    ) -> Any:
        partial_method = functools.partial(method, receiver, **kwargs)
        if isinstance(sender, str):
            if apps is None:
                from manouche.apps import apps as global_apps

                apps = global_apps
            apps.lazy_model_operation(partial_method, _model_key(sender))
            return None
        return partial_method(sender)

    def connect(
        self,
        receiver: Callable[..., Any],
        sender: Any = None,
        weak: bool = True,
        dispatch_uid: Any = None,
        apps: Any = None,
    ) -> None:
        """Connect ``receiver``; a string sender waits for its model."""
        self._lazy_method(
            super().connect,
            apps,
            receiver,
            sender,
            weak=weak,
            dispatch_uid=dispatch_uid,
        )

    def disconnect(  # type: ignore[override]
        self,
        receiver: Callable[..., Any] | None = None,
        sender: Any = None,
        dispatch_uid: Any = None,
        apps: Any = None,
    ) -> bool | None:
        """Disconnect ``receiver``; None when the sender was a string."""
        result: bool | None = self._lazy_method(
            super().disconnect, apps, receiver, sender, dispatch_uid=dispatch_uid
        )
        return result


class_prepared = Signal()
pre_init = ModelSignal()
post_init = ModelSignal()
pre_save = ModelSignal()
post_save = ModelSignal()
pre_delete = ModelSignal()
post_delete = ModelSignal()
m2m_changed = ModelSignal()
# Sent per app config, before and after its tables are built (by the test
# database set-up now, by ``migrate`` once migrations land): app_config,
# verbosity, interactive, using, apps, plan.
pre_migrate = Signal()
post_migrate = Signal()
