"""Load templates from the ``templates`` directory of each installed app."""

from __future__ import annotations

from typing import Any

from manouche.template.loaders.filesystem import Loader as FilesystemLoader
from manouche.template.utils import get_app_template_dirs

__all__ = ["Loader"]


class Loader(FilesystemLoader):
    """A filesystem loader over ``<app>/templates`` directories."""

    def get_dirs(self) -> list[Any]:
        """Every installed app's templates directory."""
        return list(get_app_template_dirs("templates"))
