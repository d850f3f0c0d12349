"""The interface every template backend implements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from manouche.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.utils.functional import cached_property

__all__ = ["BaseEngine"]


class BaseEngine:
    """Common options (NAME, DIRS, APP_DIRS) and template lookup helpers."""

    app_dirname: str = "templates"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        self.name = params.pop("NAME")
        self.dirs = list(params.pop("DIRS"))
        self.app_dirs = params.pop("APP_DIRS")
        if params:
            raise ImproperlyConfigured(f"Unknown parameters: {', '.join(params)}")

    def check(self, **kwargs: Any) -> list[Any]:
        """System checks for this backend (none by default)."""
        return []

    def from_string(self, template_code: str) -> Any:
        """Compile a template from a string."""
        raise NotImplementedError(
            "subclasses of BaseEngine should provide a from_string() method"
        )

    def get_template(self, template_name: str) -> Any:
        """Load and compile a template by name."""
        raise NotImplementedError(
            "subclasses of BaseEngine must provide a get_template() method"
        )

    @cached_property
    def template_dirs(self) -> tuple[Any, ...]:
        """DIRS, then the app directories when APP_DIRS is on."""
        from manouche.template.utils import get_app_template_dirs

        template_dirs = tuple(self.dirs)
        if self.app_dirs:
            template_dirs += get_app_template_dirs(self.app_dirname)
        return template_dirs

    def iter_template_filenames(self, template_name: str) -> Iterator[str]:
        """Yield the candidate paths, skipping ones outside their directory."""
        from manouche.template.loaders.filesystem import safe_join

        for template_dir in self.template_dirs:
            try:
                yield safe_join(Path(template_dir), template_name)
            except SuspiciousFileOperation:
                pass

    def _not_found(self, name: str) -> TemplateDoesNotExist:
        return TemplateDoesNotExist(name, backend=self)
