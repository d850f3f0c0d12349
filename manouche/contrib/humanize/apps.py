"""App config for manouche.contrib.humanize."""

from __future__ import annotations

from manouche.apps import AppConfig

__all__ = ["HumanizeConfig"]


class HumanizeConfig(AppConfig):
    """The humanize app: only template filters."""

    name = "manouche.contrib.humanize"
    verbose_name = "Humanize"
