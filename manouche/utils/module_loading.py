"""Import objects by dotted path and discover per-app modules."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any

__all__ = [
    "autodiscover_modules",
    "cached_import",
    "import_string",
    "module_has_submodule",
]


def cached_import(module_path: str, class_name: str) -> Any:
    """Import ``module_path`` (cheaply if already imported) and return an attribute."""
    module = sys.modules.get(module_path)
    spec = getattr(module, "__spec__", None)
    if module is None or getattr(spec, "_initializing", False):
        module = importlib.import_module(module_path)
    return getattr(module, class_name)


def import_string(dotted_path: str) -> Any:
    """Import a dotted ``module.attribute`` path; raise ImportError if it fails."""
    try:
        module_path, class_name = dotted_path.rsplit(".", 1)
    except ValueError as err:
        raise ImportError(f"{dotted_path} doesn't look like a module path") from err
    try:
        return cached_import(module_path, class_name)
    except AttributeError as err:
        raise ImportError(
            f'Module "{module_path}" does not define a "{class_name}" attribute/class'
        ) from err


def module_has_submodule(package: ModuleType, module_name: str) -> bool:
    """Tell whether ``package`` has a submodule named ``module_name``."""
    try:
        package_name = package.__name__
        package_path = package.__path__
    except AttributeError:
        return False
    full_module_name = f"{package_name}.{module_name}"
    try:
        del package_path  # find_spec finds submodules through the parent package
        return importlib.util.find_spec(full_module_name) is not None
    except ModuleNotFoundError:
        return False


def autodiscover_modules(*module_names: str, register_to: Any = None) -> None:
    """Import ``<app>.<name>`` for every installed app that has such a module."""
    from manouche.apps import apps

    for app_config in apps.get_app_configs():
        for module_name in module_names:
            before = None
            if register_to is not None:
                before = dict(getattr(register_to, "_registry", {}))
            try:
                importlib.import_module(f"{app_config.name}.{module_name}")
            except Exception:
                if register_to is not None and before is not None:
                    register_to._registry = before
                if module_has_submodule(app_config.module, module_name):  # type: ignore[arg-type]
                    raise


def module_dir(module: ModuleType) -> str:
    """Return the single filesystem folder of ``module``."""
    import os

    paths = list(getattr(module, "__path__", []))
    if len(paths) == 1:
        return str(paths[0])
    filename = getattr(module, "__file__", None)
    if filename is not None:
        return os.path.dirname(str(filename))
    raise ValueError(f"Cannot determine directory containing {module}")
