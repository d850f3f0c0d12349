"""The Django template language backend (Django's ``backends.django``)."""

from __future__ import annotations

from importlib import import_module
from pkgutil import walk_packages
from typing import Any, NoReturn

from manouche.template.backends.base import BaseEngine
from manouche.template.context import make_context
from manouche.template.engine import Engine
from manouche.template.exceptions import TemplateDoesNotExist
from manouche.template.library import InvalidTemplateLibrary

__all__ = ["DjangoTemplates", "Template", "get_installed_libraries"]


class DjangoTemplates(BaseEngine):
    """Render templates written in the Django template language."""

    app_dirname = "templates"

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = params.pop("OPTIONS").copy()
        options.setdefault("autoescape", True)
        options.setdefault("debug", _settings_debug())
        options.setdefault("file_charset", "utf-8")
        libraries = options.get("libraries", {})
        options["libraries"] = self.get_templatetag_libraries(libraries)
        super().__init__(params)
        self.engine = Engine(self.dirs, self.app_dirs, **options)

    def check(self, **kwargs: Any) -> list[Any]:
        """No backend-specific checks yet."""
        return []

    def from_string(self, template_code: str) -> Template:
        """Compile a template from a string."""
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        """Return the template wrapped for the backend API."""
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)

    def get_templatetag_libraries(
        self, custom_libraries: dict[str, str]
    ) -> dict[str, str]:
        """The installed libraries, overridden by OPTIONS['libraries']."""
        libraries = get_installed_libraries()
        libraries.update(custom_libraries)
        return libraries


def _settings_debug() -> bool:
    from manouche.conf import settings

    return bool(settings.DEBUG)


class Template:
    """A backend template: ``render(context=None, request=None)``."""

    def __init__(self, template: Any, backend: DjangoTemplates) -> None:
        self.template = template
        self.backend = backend

    @property
    def origin(self) -> Any:
        """Where the template came from."""
        return self.template.origin

    @property
    def name(self) -> Any:
        """The template's name."""
        return getattr(self.template, "name", None)

    def render(self, context: Any = None, request: Any = None) -> str:
        """Render with a dict context (and the request's context processors)."""
        context = make_context(
            context, request, autoescape=self.backend.engine.autoescape
        )
        try:
            return self.template.render(context)  # type: ignore[no-any-return]
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)


def copy_exception(exc: Exception, backend: Any = None) -> Exception:
    """Copy a TemplateDoesNotExist with ``backend`` set."""
    backend = backend or getattr(exc, "backend", None)
    new = type(exc)(*exc.args, tried=getattr(exc, "tried", None), backend=backend)  # type: ignore[call-arg]
    if hasattr(exc, "template_debug"):
        new.template_debug = exc.template_debug  # type: ignore[attr-defined]
    return new


def reraise(exc: Exception, backend: Any) -> NoReturn:
    """Re-raise ``exc`` tagged with ``backend``."""
    new = copy_exception(exc, backend)
    raise new from exc


def get_template_tag_modules() -> list[tuple[str, str]]:
    """Yield ``(library name, module path)`` for every templatetags module."""
    from manouche.apps import apps

    candidates = ["manouche.templatetags"]
    candidates.extend(
        f"{app_config.name}.templatetags" for app_config in apps.get_app_configs()
    )
    found = []
    for candidate in candidates:
        try:
            pkg = import_module(candidate)
        except ImportError:
            continue
        if hasattr(pkg, "__path__"):
            for name in get_package_libraries(pkg):
                found.append((name.removeprefix(candidate).lstrip("."), name))
    return found


def get_installed_libraries() -> dict[str, str]:
    """Map each library name to its module path (later apps lose)."""
    libraries: dict[str, str] = {}
    for name, path in get_template_tag_modules():
        libraries.setdefault(name, path)
    return libraries


def get_package_libraries(pkg: Any) -> list[str]:
    """Return the modules of ``pkg`` that define ``register``."""
    names = []
    for entry in walk_packages(pkg.__path__, pkg.__name__ + "."):
        try:
            module = import_module(entry[1])
        except ImportError as exc:
            raise InvalidTemplateLibrary(
                f"Invalid template library specified. ImportError raised when "
                f"trying to load '{entry[1]}': {exc}"
            ) from exc
        if hasattr(module, "register"):
            names.append(entry[1])
    return names
