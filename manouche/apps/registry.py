"""The registry of installed applications and their models."""

from __future__ import annotations

import functools
import sys
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from manouche.apps.config import AppConfig
from manouche.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

__all__ = ["Apps", "apps"]


class Apps:
    """Installed applications and models, populated once from ``INSTALLED_APPS``."""

    def __init__(self, installed_apps: Iterable[Any] | None = ()) -> None:
        if installed_apps is None and hasattr(sys.modules[__name__], "apps"):
            raise RuntimeError("You must supply an installed_apps argument.")
        self.all_models: defaultdict[str, dict[str, Any]] = defaultdict(dict)
        self.app_configs: dict[str, AppConfig] = {}
        self.stored_app_configs: list[dict[str, AppConfig]] = []
        self.apps_ready = self.models_ready = self.ready = False
        self.ready_event = threading.Event()
        self._lock = threading.RLock()
        self.loading = False
        self._pending_operations: defaultdict[
            tuple[str, str], list[Callable[..., Any]]
        ] = defaultdict(list)
        if installed_apps is not None:
            self.populate(installed_apps)

    def populate(self, installed_apps: Iterable[Any] | None = None) -> None:
        """Load app configs, then models, then call each ``ready()``; idempotent."""
        if self.ready:
            return
        with self._lock:
            if self.ready:  # another thread populated it while we waited
                return  # type: ignore[unreachable]
            if self.loading:
                raise RuntimeError("populate() isn't reentrant")
            self.loading = True
            try:
                for entry in installed_apps or ():
                    app_config = (
                        entry
                        if isinstance(entry, AppConfig)
                        else AppConfig.create(entry)
                    )
                    if app_config.label in self.app_configs:
                        raise ImproperlyConfigured(
                            "Application labels aren't unique, duplicates: "
                            f"{app_config.label}"
                        )
                    self.app_configs[app_config.label] = app_config
                    app_config.apps = self
                counts = Counter(config.name for config in self.app_configs.values())
                duplicates = [name for name, count in counts.most_common() if count > 1]
                if duplicates:
                    raise ImproperlyConfigured(
                        "Application names aren't unique, duplicates: "
                        f"{', '.join(duplicates)}"
                    )
                self.apps_ready = True
                for app_config in self.app_configs.values():
                    app_config.import_models()
                self.clear_cache()
                self.models_ready = True
                for app_config in self.get_app_configs():
                    app_config.ready()
                self.ready = True
                self.ready_event.set()
            finally:
                self.loading = False

    def check_apps_ready(self) -> None:
        """Raise AppRegistryNotReady if app configs are not loaded yet."""
        if not self.apps_ready:
            from manouche.conf import settings

            settings.INSTALLED_APPS  # noqa: B018 - raises ImproperlyConfigured first
            raise AppRegistryNotReady("Apps aren't loaded yet.")

    def check_models_ready(self) -> None:
        """Raise AppRegistryNotReady if models are not loaded yet."""
        if not self.models_ready:
            raise AppRegistryNotReady("Models aren't loaded yet.")

    def get_app_configs(self) -> list[AppConfig]:
        """Return every installed AppConfig in INSTALLED_APPS order."""
        self.check_apps_ready()
        return list(self.app_configs.values())

    def get_app_config(self, app_label: str) -> AppConfig:
        """Return the AppConfig labelled ``app_label``; LookupError if none."""
        self.check_apps_ready()
        try:
            return self.app_configs[app_label]
        except KeyError:
            message = f"No installed app with label '{app_label}'."
            for app_config in self.get_app_configs():
                if app_config.name == app_label:
                    message += f" Did you mean '{app_config.label}'?"
                    break
            raise LookupError(message)

    def get_models(
        self, include_auto_created: bool = False, include_swapped: bool = False
    ) -> list[Any]:
        """Return every installed model."""
        self.check_models_ready()
        return self._get_models_cached(include_auto_created, include_swapped)

    @functools.cache  # noqa: B019 - cleared by clear_cache(); the registry lives forever
    def _get_models_cached(
        self, include_auto_created: bool, include_swapped: bool
    ) -> list[Any]:
        result: list[Any] = []
        for app_config in self.app_configs.values():
            result.extend(app_config.get_models(include_auto_created, include_swapped))
        return result

    def get_model(
        self, app_label: str, model_name: str | None = None, require_ready: bool = True
    ) -> Any:
        """Return a model from ``"app_label.ModelName"`` or (app_label, model_name)."""
        if require_ready:
            self.check_models_ready()
        else:
            self.check_apps_ready()
        if model_name is None:
            app_label, model_name = app_label.split(".")
        app_config = self.get_app_config(app_label)
        if not require_ready and app_config.models is None:
            app_config.import_models()
        return app_config.get_model(model_name, require_ready=require_ready)

    def register_model(self, app_label: str, model: Any) -> None:
        """Record ``model`` under ``app_label``; called as model classes are created."""
        model_name = model._meta.model_name
        app_models = self.all_models[app_label]
        if model_name in app_models:
            existing = app_models[model_name]
            if (
                model.__name__ == existing.__name__
                and model.__module__ == existing.__module__
            ):
                import warnings

                warnings.warn(
                    f"Model '{app_label}.{model_name}' was already registered. "
                    "Reloading "
                    "models is not advised as it can lead to inconsistencies, most "
                    "notably with related models.",
                    RuntimeWarning,
                    stacklevel=2,
                )
            else:
                raise RuntimeError(
                    f"Conflicting '{model_name}' models in application '{app_label}': "
                    f"{existing} and {model}."
                )
        app_models[model_name] = model
        self.do_pending_operations(model)
        self.clear_cache()

    def is_installed(self, app_name: str) -> bool:
        """Tell whether an app with this full dotted name is installed."""
        self.check_apps_ready()
        return any(config.name == app_name for config in self.app_configs.values())

    def get_containing_app_config(self, object_name: str) -> AppConfig | None:
        """Return the app config whose package contains the dotted ``object_name``."""
        self.check_apps_ready()
        candidates = [
            config
            for config in self.app_configs.values()
            if object_name.startswith(config.name)
            and object_name[len(config.name) : len(config.name) + 1] in ("", ".")
        ]
        if candidates:
            return sorted(candidates, key=lambda config: -len(config.name))[0]
        return None

    def get_registered_model(self, app_label: str, model_name: str) -> Any:
        """Return a registered model even before the registry is ready."""
        model = self.all_models[app_label].get(model_name.lower())
        if model is None:
            raise LookupError(f"Model '{app_label}.{model_name}' not registered.")
        return model

    def set_available_apps(self, available: Iterable[str]) -> None:
        """Restrict the registry to a subset of apps (for tests)."""
        available = set(available)
        installed = {config.name for config in self.get_app_configs()}
        if not available.issubset(installed):
            raise ValueError(
                "Available apps isn't a subset of installed apps, extra apps: "
                f"{', '.join(available - installed)}"
            )
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {
            label: config
            for label, config in self.app_configs.items()
            if config.name in available
        }
        self.clear_cache()

    def unset_available_apps(self) -> None:
        """Undo ``set_available_apps``."""
        self.app_configs = self.stored_app_configs.pop()
        self.clear_cache()

    def set_installed_apps(self, installed: Iterable[Any]) -> None:
        """Swap installed apps, for ``override_settings(INSTALLED_APPS=...)``."""
        if not self.ready:
            raise AppRegistryNotReady("App registry isn't ready yet.")
        self.stored_app_configs.append(self.app_configs)
        self.app_configs = {}
        self.apps_ready = self.models_ready = self.loading = self.ready = False
        self.clear_cache()
        self.populate(installed)

    def unset_installed_apps(self) -> None:
        """Undo ``set_installed_apps``."""
        self.app_configs = self.stored_app_configs.pop()
        self.apps_ready = self.models_ready = self.ready = True
        self.clear_cache()

    def clear_cache(self) -> None:
        """Forget cached model lists (after models or apps change)."""
        self._get_models_cached.cache_clear()
        if self.ready:
            for app_config in self.app_configs.values():
                for model in app_config.get_models(include_auto_created=True):
                    expire = getattr(
                        getattr(model, "_meta", None), "_expire_cache", None
                    )
                    if expire is not None:
                        expire()

    def lazy_model_operation(
        self, function: Callable[..., Any], *model_keys: tuple[str, str]
    ) -> None:
        """Call ``function`` with the models of ``model_keys`` once all exist."""
        if not model_keys:
            function()
            return
        next_model, *more_models = model_keys

        def apply_next_model(model: Any) -> None:
            next_function = functools.partial(function, model)
            self.lazy_model_operation(next_function, *more_models)

        apply_next_model.func = function  # type: ignore[attr-defined]
        try:
            model_class = self.get_registered_model(*next_model)
        except LookupError:
            self._pending_operations[next_model].append(apply_next_model)
        else:
            apply_next_model(model_class)

    def do_pending_operations(self, model: Any) -> None:
        """Run the operations that waited for ``model``."""
        key = (model._meta.app_label, model._meta.model_name)
        for function in self._pending_operations.pop(key, []):
            function(model)


apps = Apps(installed_apps=None)
