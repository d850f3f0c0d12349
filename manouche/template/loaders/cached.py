"""Wrap other loaders and keep every compiled template in memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from manouche.template.base import Origin, Template
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.template.loaders.base import Loader as BaseLoader

__all__ = ["Loader"]


class Loader(BaseLoader):
    """Compile each template once; remember misses too."""

    def __init__(self, engine: Any, loaders: list[Any]) -> None:
        self.get_template_cache: dict[str, Any] = {}
        self.loaders = engine.get_template_loaders(loaders)
        super().__init__(engine)

    def get_dirs(self) -> list[Any]:
        """The directories of the wrapped loaders."""
        dirs: list[Any] = []
        for loader in self.loaders:
            if hasattr(loader, "get_dirs"):
                dirs.extend(loader.get_dirs())
        return dirs

    def get_contents(self, origin: Origin) -> str:
        """Delegate to the loader that produced ``origin``."""
        return origin.loader.get_contents(origin)  # type: ignore[no-any-return]

    def get_template(self, template_name: str, skip: Any = None) -> Template:
        """Return the cached template, or load, compile and cache it."""
        key = self.cache_key(template_name, skip)
        cached = self.get_template_cache.get(key)
        if cached:
            if isinstance(cached, type) and issubclass(cached, TemplateDoesNotExist):
                raise cached(template_name)
            if isinstance(cached, TemplateDoesNotExist):
                raise TemplateDoesNotExist(
                    cached.args[0], tried=cached.tried, backend=cached.backend
                )
            return cached  # type: ignore[no-any-return]
        try:
            template = super().get_template(template_name, skip)
        except TemplateDoesNotExist as e:
            self.get_template_cache[key] = (
                e if self.engine.debug else TemplateDoesNotExist
            )
            raise
        self.get_template_cache[key] = template
        return template

    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        """Yield every wrapped loader's sources."""
        for loader in self.loaders:
            yield from loader.get_template_sources(template_name)

    def cache_key(self, template_name: str, skip: Any = None) -> str:
        """Key on the name and the origins skipped (for extends recursion)."""
        skip_prefix = ""
        if skip:
            matching = [
                origin.name for origin in skip if origin.template_name == template_name
            ]
            if matching:
                skip_prefix = "-".join(sorted(matching))
        return "-".join(s for s in (str(template_name), skip_prefix) if s)

    def reset(self) -> None:
        """Forget every cached template."""
        self.get_template_cache.clear()
