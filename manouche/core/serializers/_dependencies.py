"""Order models so that rows they point at are written first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["sort_by_relations", "sort_dependencies"]


def _natural_key_dependencies(model: Any) -> set[Any]:
    """The models ``model``'s natural key needs to be loaded first."""
    from manouche.apps import apps

    deps: set[Any] = set()
    natural_key = getattr(model, "natural_key", None)
    for label in getattr(natural_key, "dependencies", ()):
        deps.add(apps.get_model(label))
    for field in model._meta.fields:
        target = getattr(field.remote_field, "model", None)
        if (
            target is not None
            and target is not model
            and hasattr(target, "natural_key")
        ):
            deps.add(target)
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        target = field.remote_field.model
        if (
            through._meta.auto_created
            and target is not model
            and hasattr(target, "natural_key")
        ):
            deps.add(target)
    return deps


def _topological(
    models: list[Any], dependencies: dict[Any, set[Any]], allow_cycles: bool
) -> list[Any]:
    """Return ``models`` ordered so each comes after what it depends on.

    Models keep their given order wherever the dependencies allow it.
    """
    pending = list(models)
    done: list[Any] = []
    placed: set[Any] = set()
    while pending:
        progress = False
        remaining = []
        for model in pending:
            if all(
                dep in placed or dep not in dependencies for dep in dependencies[model]
            ):
                done.append(model)
                placed.add(model)
                progress = True
            else:
                remaining.append(model)
        if not progress:
            if allow_cycles:
                # Break the cycle at the first model still waiting.
                done.append(remaining[0])
                placed.add(remaining[0])
                pending = remaining[1:]
                continue
            names = ", ".join(sorted(m._meta.label for m in remaining))
            raise RuntimeError(
                f"Can't resolve dependencies for {names} in serialized app list."
            )
        pending = remaining
    return done


def sort_dependencies(
    app_list: Iterable[tuple[Any, Iterable[Any] | None]], allow_cycles: bool = False
) -> list[Any]:
    """Order the models of ``app_list`` for natural-key serialization."""
    models: list[Any] = []
    for app_config, model_list in app_list:
        if model_list is None:
            model_list = app_config.get_models()
        for model in model_list:
            if model not in models:
                models.append(model)
    dependencies = {model: _natural_key_dependencies(model) for model in models}
    return _topological(models, dependencies, allow_cycles)


def sort_by_relations(models: Iterable[Any]) -> list[Any]:
    """Order concrete models so foreign-key targets come before their sources.

    Cycles (and self-references) keep their given order; the database's
    constraint handling has to cope with those.
    """
    ordered = list(dict.fromkeys(models))
    members = set(ordered)
    dependencies: dict[Any, set[Any]] = {}
    for model in ordered:
        deps = set()
        for field in model._meta.concrete_fields:
            target = getattr(field.remote_field, "model", None)
            if target is None or isinstance(target, str):
                continue
            target = target._meta.concrete_model
            if target is not model and target in members:
                deps.add(target)
        for field in model._meta.many_to_many:
            target = field.remote_field.model
            if not isinstance(target, str):
                target = target._meta.concrete_model
                if target is not model and target in members:
                    deps.add(target)
        dependencies[model] = deps
    return _topological(ordered, dependencies, allow_cycles=True)
