"""The Django-template-language engine: loaders, libraries and options."""

from __future__ import annotations

import functools
from typing import Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.template.base import Template
from manouche.template.context import Context, make_context
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.template.library import import_library
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string

__all__ = ["Engine"]


class Engine:
    """Hold the options of one template engine and find its templates."""

    default_builtins = [
        "manouche.template.defaulttags",
        "manouche.template.defaultfilters",
        "manouche.template.loader_tags",
    ]

    def __init__(
        self,
        dirs: list[Any] | None = None,
        app_dirs: bool = False,
        context_processors: list[Any] | None = None,
        debug: bool = False,
        loaders: list[Any] | None = None,
        string_if_invalid: str = "",
        file_charset: str = "utf-8",
        libraries: dict[str, str] | None = None,
        builtins: list[str] | None = None,
        autoescape: bool = True,
    ) -> None:
        if dirs is None:
            dirs = []
        if context_processors is None:
            context_processors = []
        if loaders is None:
            loaders = ["manouche.template.loaders.filesystem.Loader"]
            if app_dirs:
                loaders += ["manouche.template.loaders.app_directories.Loader"]
            if not debug:
                loaders = [("manouche.template.loaders.cached.Loader", loaders)]
        elif app_dirs:
            raise ImproperlyConfigured(
                "app_dirs must not be set when loaders is defined."
            )
        if libraries is None:
            libraries = {}
        if builtins is None:
            builtins = []
        self.dirs = dirs
        self.app_dirs = app_dirs
        self.autoescape = autoescape
        self.context_processors = context_processors
        self.debug = debug
        self.loaders = loaders
        self.string_if_invalid = string_if_invalid
        self.file_charset = file_charset
        self.libraries = libraries
        self.template_libraries = self.get_template_libraries(libraries)
        self.builtins = self.default_builtins + builtins
        self.template_builtins = self.get_template_builtins(self.builtins)

    def __repr__(self) -> str:
        # Like the constructor's signature: empty optional settings are left out.
        parts = []
        for name in (
            "dirs",
            "app_dirs",
            "context_processors",
            "debug",
            "loaders",
            "string_if_invalid",
            "file_charset",
            "libraries",
            "builtins",
            "autoescape",
        ):
            value = getattr(self, name)
            if name in ("dirs", "context_processors", "libraries") and not value:
                continue
            parts.append(f"{name}={value!r}")
        return f"<{type(self).__qualname__}: {' '.join(parts)}>"

    @staticmethod
    @functools.lru_cache
    def get_default() -> Engine:
        """Return the first DjangoTemplates engine configured in TEMPLATES."""
        from manouche.template import engines
        from manouche.template.backends.manouche import DjangoTemplates

        for engine in engines.all():
            if isinstance(engine, DjangoTemplates):
                return engine.engine
        raise ImproperlyConfigured("No DjangoTemplates backend is configured.")

    @cached_property
    def template_context_processors(self) -> tuple[Any, ...]:
        """The context processors, imported."""
        context_processors = ("manouche.template.context_processors.csrf",)
        context_processors += tuple(self.context_processors)
        return tuple(import_string(path) for path in context_processors)

    def get_template_builtins(self, builtins: list[str]) -> list[Any]:
        """Import the builtin libraries."""
        return [import_library(x) for x in builtins]

    def get_template_libraries(self, libraries: dict[str, str]) -> dict[str, Any]:
        """Import the loadable libraries."""
        return {name: import_library(path) for name, path in libraries.items()}

    @cached_property
    def template_loaders(self) -> list[Any]:
        """The loader instances."""
        return self.get_template_loaders(self.loaders)

    def get_template_loaders(self, template_loaders: list[Any]) -> list[Any]:
        """Instantiate each configured loader."""
        loaders = []
        for template_loader in template_loaders:
            loader = self.find_template_loader(template_loader)
            if loader is not None:
                loaders.append(loader)
        return loaders

    def find_template_loader(self, loader: Any) -> Any:
        """Instantiate a loader given as a path or ``(path, *args)``."""
        if isinstance(loader, (tuple, list)):
            loader, *args = loader
        else:
            args = []
        if isinstance(loader, str):
            loader_class = import_string(loader)
            return loader_class(self, *args)
        raise ImproperlyConfigured(
            f"Invalid value in template loaders configuration: {loader!r}"
        )

    def find_template(
        self, name: str, dirs: Any = None, skip: Any = None
    ) -> tuple[Any, Any]:
        """Return ``(template, origin)`` from the first loader that has it."""
        tried: list[Any] = []
        for loader in self.template_loaders:
            try:
                template = loader.get_template(name, skip=skip)
                return template, template.origin
            except TemplateDoesNotExist as e:
                tried.extend(e.tried)
        raise TemplateDoesNotExist(name, tried=tried)

    def from_string(self, template_code: str) -> Template:
        """Compile a template from a string."""
        return Template(template_code, engine=self)

    def get_template(self, template_name: str) -> Any:
        """Return a compiled template; ``name#partial`` selects a partial."""
        try:
            template, origin = self.find_template(template_name)
        except TemplateDoesNotExist:
            if "#" not in template_name:
                raise
            base_name, _, partial_name = template_name.rpartition("#")
            template, origin = self.find_template(base_name)
            partials = getattr(template, "extra_data", {}).get("partials", {})
            try:
                return partials[partial_name]
            except KeyError:
                raise TemplateDoesNotExist(partial_name, tried=[]) from None
        if not hasattr(template, "render"):
            template = Template(template, origin, template_name, engine=self)
        return template

    def render_to_string(
        self, template_name: Any, context: dict[str, Any] | Context | None = None
    ) -> str:
        """Render the template(s) named with ``context``."""
        if isinstance(template_name, (list, tuple)):
            t = self.select_template(template_name)
        else:
            t = self.get_template(template_name)
        if isinstance(context, Context):
            return str(t.render(context))
        return str(t.render(Context(context, autoescape=self.autoescape)))

    def select_template(self, template_name_list: Any) -> Any:
        """Return the first template of the list that exists."""
        if not template_name_list:
            raise TemplateDoesNotExist("No template names provided")
        not_found = []
        for template_name in template_name_list:
            try:
                return self.get_template(template_name)
            except TemplateDoesNotExist as exc:
                if exc.args[0] not in not_found:
                    not_found.append(exc.args[0])
                continue
        raise TemplateDoesNotExist(", ".join(not_found))

    def make_context(self, context: Any = None, request: Any = None) -> Context:
        """Build a context with this engine's autoescape setting."""
        return make_context(context, request, autoescape=self.autoescape)
