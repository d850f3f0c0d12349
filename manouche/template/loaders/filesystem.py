"""Load templates from directories on disk (DIRS)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from manouche.template.base import Origin
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.template.loaders.base import Loader as BaseLoader

__all__ = ["Loader", "safe_join"]


def safe_join(base: Any, *paths: str) -> str:
    """Join ``paths`` under ``base``; refuse results outside it."""
    from manouche.core.exceptions import SuspiciousFileOperation

    base_path = os.path.abspath(os.fspath(base))
    final_path = os.path.abspath(os.path.join(base_path, *paths))
    if final_path != base_path and not final_path.startswith(base_path + os.sep):
        raise SuspiciousFileOperation(
            f"The joined path ({final_path}) is located outside of the base path "
            f"component ({base_path})"
        )
    return final_path


class Loader(BaseLoader):
    """Look for templates in the engine's (or the given) directories."""

    def __init__(self, engine: Any, dirs: list[Any] | None = None) -> None:
        super().__init__(engine)
        self.dirs = dirs

    def get_dirs(self) -> list[Any]:
        """The directories searched, in order."""
        if self.dirs is not None:
            return self.dirs
        return list(self.engine.dirs)

    def get_contents(self, origin: Origin) -> str:
        """Read the file."""
        try:
            with open(origin.name, encoding=self.engine.file_charset) as fp:
                return fp.read()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise TemplateDoesNotExist(origin) from None

    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        """Yield a path under each directory; skip names escaping it."""
        from manouche.core.exceptions import SuspiciousFileOperation

        for template_dir in self.get_dirs():
            try:
                name = safe_join(template_dir, template_name)
            except (SuspiciousFileOperation, ValueError):
                continue
            yield Origin(name=name, template_name=template_name, loader=self)
