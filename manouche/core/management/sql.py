"""Signals sent around building a database's tables (migrate, flush, tests)."""

from __future__ import annotations

from typing import Any

__all__ = ["emit_post_migrate_signal", "emit_pre_migrate_signal"]


def _emit(
    signal_name: str,
    verbosity: int,
    interactive: bool,
    db: str,
    **kwargs: Any,
) -> None:
    from manouche.apps import apps
    from manouche.db.models import signals

    signal = getattr(signals, signal_name)
    for app_config in apps.get_app_configs():
        if app_config.models_module is None:
            continue
        if verbosity >= 2:
            stdout = kwargs.get("stdout")
            if stdout is not None:
                stdout.write(
                    f"Running {signal_name.replace('_', '-')} handlers for "
                    f"application {app_config.label}"
                )
        signal.send(
            sender=app_config,
            app_config=app_config,
            verbosity=verbosity,
            interactive=interactive,
            using=db,
            **kwargs,
        )


def emit_pre_migrate_signal(
    verbosity: int, interactive: bool, db: str, **kwargs: Any
) -> None:
    """Send ``pre_migrate`` for every app with models (``apps``, ``plan``...)."""
    _emit("pre_migrate", verbosity, interactive, db, **kwargs)


def emit_post_migrate_signal(
    verbosity: int, interactive: bool, db: str, **kwargs: Any
) -> None:
    """Send ``post_migrate`` for every app with models (``apps``, ``plan``...)."""
    _emit("post_migrate", verbosity, interactive, db, **kwargs)
