"""AppConfig: the description of one installed application."""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from manouche.core.exceptions import ImproperlyConfigured
from manouche.utils.functional import cached_property
from manouche.utils.module_loading import import_string, module_has_submodule

if TYPE_CHECKING:
    from manouche.apps.registry import Apps

__all__ = ["AppConfig"]

APPS_MODULE_NAME = "apps"
MODELS_MODULE_NAME = "models"


class AppConfig:
    """Configuration of one installed application; subclass it in ``apps.py``."""

    name: str
    label: str
    verbose_name: str
    path: str
    default: bool

    def __init__(self, app_name: str, app_module: ModuleType | None) -> None:
        self.name = app_name
        self.module = app_module
        self.apps: Apps | None = None
        if not hasattr(self, "label"):
            self.label = app_name.rpartition(".")[2]
        if not self.label.isidentifier():
            raise ImproperlyConfigured(
                f"The app label '{self.label}' is not a valid Python identifier."
            )
        if not hasattr(self, "verbose_name"):
            self.verbose_name = self.label.title()
        if not hasattr(self, "path"):
            self.path = self._path_from_module(app_module)
        self.models_module: ModuleType | None = None
        self.models: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.label}>"

    @cached_property
    def default_auto_field(self) -> str:
        from manouche.conf import settings

        return str(settings.DEFAULT_AUTO_FIELD)

    @property
    def _is_default_auto_field_overridden(self) -> bool:
        return type(self).default_auto_field is not AppConfig.default_auto_field

    def _path_from_module(self, module: ModuleType | None) -> str:
        if module is None:
            return ""
        paths = list(getattr(module, "__path__", []))
        if len(paths) != 1:
            filename = getattr(module, "__file__", None)
            if filename is not None:
                paths = [os.path.dirname(filename)]
            else:
                paths = list(set(paths))
        if len(paths) > 1:
            raise ImproperlyConfigured(
                f"The app module {module!r} has multiple filesystem locations "
                f"({paths!r}); "
                "you must configure this app with an AppConfig subclass with a 'path' "
                "class attribute."
            )
        if not paths:
            raise ImproperlyConfigured(
                f"The app module {module!r} has no filesystem location, you must "
                "configure this app with an AppConfig subclass with a 'path' class "
                "attribute."
            )
        return str(paths[0])

    @classmethod
    def create(cls, entry: str) -> AppConfig:  # noqa: C901 - Django's entry rules
        """Build the AppConfig for an ``INSTALLED_APPS`` entry."""
        app_config_class: type[AppConfig] | None = None
        app_name: str | None = None
        app_module: ModuleType | None = None
        try:
            app_module = import_module(entry)
        except Exception:
            pass
        else:
            if module_has_submodule(app_module, APPS_MODULE_NAME):
                mod_path = f"{entry}.{APPS_MODULE_NAME}"
                mod = import_module(mod_path)
                app_configs = [
                    (name, candidate)
                    for name, candidate in inspect.getmembers(mod, inspect.isclass)
                    if issubclass(candidate, cls)
                    and candidate is not cls
                    and getattr(candidate, "default", True)
                ]
                if len(app_configs) == 1:
                    app_config_class = app_configs[0][1]
                else:
                    app_configs = [
                        (name, candidate)
                        for name, candidate in app_configs
                        if getattr(candidate, "default", False)
                    ]
                    if len(app_configs) > 1:
                        names = ", ".join(repr(name) for name, _ in app_configs)
                        raise RuntimeError(
                            f"{mod_path!r} declares more than one default AppConfig: "
                            f"{names}."
                        )
                    if len(app_configs) == 1:
                        app_config_class = app_configs[0][1]
            if app_config_class is None:
                app_config_class = cls
                app_name = entry

        if app_config_class is None:
            try:
                app_config_class = import_string(entry)
            except Exception:
                pass
        if app_module is None and app_config_class is None:
            mod_path, _, cls_name = entry.rpartition(".")
            if mod_path and cls_name[0].isupper():
                mod = import_module(mod_path)
                candidates = [
                    repr(name)
                    for name, candidate in inspect.getmembers(mod, inspect.isclass)
                    if issubclass(candidate, cls) and candidate is not cls
                ]
                msg = f"Module '{mod_path}' does not contain a '{cls_name}' class."
                if candidates:
                    msg += f" Choices are: {', '.join(candidates)}."
                raise ImportError(msg)
            import_module(entry)  # raises the original ImportError

        assert app_config_class is not None
        if not issubclass(app_config_class, AppConfig):
            raise ImproperlyConfigured(f"'{entry}' isn't a subclass of AppConfig.")
        if app_name is None:
            try:
                app_name = app_config_class.name
            except AttributeError:
                raise ImproperlyConfigured(f"'{entry}' must supply a name attribute.")
        try:
            app_module = import_module(app_name)
        except ImportError:
            raise ImproperlyConfigured(
                f"Cannot import '{app_name}'. Check that "
                f"'{app_config_class.__module__}."
                f"{app_config_class.__qualname__}.name' is correct."
            )
        return app_config_class(app_name, app_module)

    def get_model(self, model_name: str, require_ready: bool = True) -> Any:
        """Return the model named ``model_name`` (case-insensitive) of this app."""
        if require_ready and self.apps is not None:
            self.apps.check_models_ready()
        elif self.apps is not None:
            self.apps.check_apps_ready()
        try:
            return (self.models or {})[model_name.lower()]
        except KeyError:
            raise LookupError(
                f"App '{self.label}' doesn't have a '{model_name}' model."
            )

    def get_models(
        self, include_auto_created: bool = False, include_swapped: bool = False
    ) -> Iterator[Any]:
        """Yield this app's models."""
        if self.apps is not None:
            self.apps.check_models_ready()
        for model in (self.models or {}).values():
            meta = getattr(model, "_meta", None)
            if meta is not None:
                if getattr(meta, "auto_created", False) and not include_auto_created:
                    continue
                if getattr(meta, "swapped", None) and not include_swapped:
                    continue
            yield model

    def import_models(self) -> None:
        """Import this app's ``models`` module, if it has one."""
        assert self.apps is not None
        self.models = self.apps.all_models[self.label]
        if self.module is not None and module_has_submodule(
            self.module, MODELS_MODULE_NAME
        ):
            self.models_module = import_module(f"{self.name}.{MODELS_MODULE_NAME}")

    def ready(self) -> None:
        """Run start-up code once the registry is fully populated; override it."""
