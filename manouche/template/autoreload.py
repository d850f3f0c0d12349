"""Template directory watching for the development server.

The reloader restarts the process when Python code changes; a change to a
template only needs the template loaders' caches emptied. The reloader asks
``get_template_directories()`` what to watch and calls ``template_changed``
for each changed file: a non-Python file under a template directory resets
the loaders (of the Django-language engines and of the form renderer) and
reports the change as handled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "get_template_directories",
    "reset_loaders",
    "template_changed",
    "watch_for_template_changes",
]

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _is_framework_path(path: Path) -> bool:
    """True for directories inside manouche itself (never edited in a project)."""
    try:
        return _PACKAGE_ROOT in path.resolve().parents
    except OSError:
        return False


def _engines() -> list[Any]:
    from manouche.template import engines
    from manouche.template.backends.manouche import DjangoTemplates

    return [
        backend for backend in engines.all() if isinstance(backend, DjangoTemplates)
    ]


def get_template_directories() -> set[Path]:
    """Every project template directory of the Django-language engines."""
    cwd = Path.cwd()
    found: set[Path] = set()
    for backend in _engines():
        engine = backend.engine
        candidates: list[Any] = list(engine.dirs)
        for loader in engine.template_loaders:
            get_dirs = getattr(loader, "get_dirs", None)
            if get_dirs is not None:
                candidates.extend(get_dirs())
        for directory in candidates:
            if not directory:
                continue
            path = cwd / Path(directory)
            if not _is_framework_path(path):
                found.add(path)
    return found


def reset_loaders() -> None:
    """Empty the caches of every template loader, the form renderer's too."""
    from manouche.forms.renderers import DjangoTemplates, get_default_renderer

    for backend in _engines():
        for loader in backend.engine.template_loaders:
            loader.reset()
    renderer = get_default_renderer()
    if isinstance(renderer, DjangoTemplates):
        for loader in renderer.engine.engine.template_loaders:
            loader.reset()


def watch_for_template_changes(sender: Any, **kwargs: Any) -> None:
    """Ask the reloader ``sender`` to watch every template directory."""
    for directory in get_template_directories():
        sender.watch_dir(directory, "**/*")


def template_changed(sender: Any, file_path: Path, **kwargs: Any) -> bool | None:
    """Reset the loaders when ``file_path`` is a template; True if handled."""
    if file_path.suffix == ".py":
        return None
    for directory in get_template_directories():
        if directory in file_path.parents:
            reset_loaders()
            return True
    return None
