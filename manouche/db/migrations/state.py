"""The project state: every model as a given point of the migration history.

``ProjectState`` holds ``ModelState`` objects and is changed by operations'
``state_forwards``; its ``apps`` renders them into real (historical) model
classes in a ``StateApps`` registry, re-rendering only what a change touches.
This module never talks to a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from manouche.db.migrations._model_state import ModelState
from manouche.db.migrations._state_apps import AppConfigStub, StateApps
from manouche.db.migrations.utils import field_is_referenced, resolve_relation
from manouche.db.models.fields import NOT_PROVIDED
from manouche.utils.functional import cached_property

__all__ = [
    "AppConfigStub",
    "ModelState",
    "ProjectState",
    "StateApps",
    "get_related_models_recursive",
    "get_related_models_tuples",
]

ModelKey = tuple[str, str]


def _related_models(model: Any) -> list[Any]:
    """Return the models directly tied to ``model`` (both directions)."""
    found: list[Any] = [
        subclass for subclass in model.__subclasses__() if hasattr(subclass, "_meta")
    ]
    opts = model._meta
    for field in opts.get_fields(include_parents=True, include_hidden=True):
        related = getattr(field, "related_model", None)
        if field.is_relation and related is not None and not isinstance(related, str):
            found.append(related)
            through = getattr(getattr(field, "remote_field", None), "through", None)
            if through is not None and not isinstance(through, str):
                found.append(through)
    for parent in opts.parents:
        found.append(parent)
    if opts.proxy and opts.concrete_model is not None:
        found.append(opts.concrete_model)
    return found


def get_related_models_tuples(model: Any) -> set[ModelKey]:
    """Return the keys of the models directly related to ``model``."""
    return {
        (related._meta.app_label, related._meta.model_name)
        for related in _related_models(model)
    }


def get_related_models_recursive(model: Any) -> set[ModelKey]:
    """Return the keys of every model reachable through relations."""
    seen: set[ModelKey] = set()
    queue = _related_models(model)
    while queue:
        related = queue.pop()
        key = (related._meta.app_label, related._meta.model_name)
        if key in seen:
            continue
        seen.add(key)
        queue.extend(_related_models(related))
    return seen - {(model._meta.app_label, model._meta.model_name)}


class ProjectState:
    """All models of a project at one point in its migration history."""

    def __init__(
        self,
        models: dict[ModelKey, ModelState] | None = None,
        real_apps: Iterable[str] | None = None,
    ) -> None:
        self.models: dict[ModelKey, ModelState] = models or {}
        self.real_apps: set[str] = set(real_apps or ())
        self.is_delayed = False
        self._relations: dict[ModelKey, dict[ModelKey, dict[str, Any]]] | None = None

    # -- building -----------------------------------------------------------
    @classmethod
    def from_apps(cls, apps: Any) -> ProjectState:
        """Describe every model of registry ``apps``."""
        models = {}
        for model in apps.get_models(include_swapped=True):
            model_state = ModelState.from_model(model)
            models[(model_state.app_label, model_state.name_lower)] = model_state
        return cls(models)

    def clone(self) -> ProjectState:
        """Return an independent copy, sharing already rendered models."""
        new_state = ProjectState(
            models={key: state.clone() for key, state in self.models.items()},
            real_apps=self.real_apps,
        )
        if "apps" in self.__dict__:
            new_state.apps = self.apps.clone()
        new_state.is_delayed = self.is_delayed
        return new_state

    @cached_property
    def apps(self) -> StateApps:
        """Return the registry of rendered historical models."""
        return StateApps(self.real_apps, self.models)

    def clear_delayed_apps_cache(self) -> None:
        """Render from scratch next time if a reload was delayed."""
        if self.is_delayed and "apps" in self.__dict__:
            del self.__dict__["apps"]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProjectState):
            return NotImplemented
        return self.models == other.models and self.real_apps == other.real_apps

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ProjectState: {len(self.models)} models>"

    def _model_state(self, app_label: str, model_name: str) -> ModelState:
        key = (app_label, model_name.lower())
        try:
            return self.models[key]
        except KeyError:
            raise LookupError(
                f"The project state has no model '{app_label}.{model_name}'."
            ) from None

    # -- models -------------------------------------------------------------
    def add_model(self, model_state: ModelState) -> None:
        """Add a model (replacing one of the same name)."""
        key = (model_state.app_label, model_state.name_lower)
        self.models[key] = model_state
        self._relations = None
        if "apps" in self.__dict__:
            self.reload_model(*key)

    def remove_model(self, app_label: str, model_name: str) -> None:
        """Remove a model; related rendered models are rendered again."""
        key = (app_label, model_name.lower())
        related: set[ModelKey] = set()
        if "apps" in self.__dict__:
            related = self._find_reload_model(*key, delay=False)
        del self.models[key]
        self._relations = None
        if "apps" in self.__dict__:
            self._reload(related)

    def rename_model(self, app_label: str, old_name: str, new_name: str) -> None:
        """Rename a model and point every relation at the new name."""
        old_key = (app_label, old_name.lower())
        new_key = (app_label, new_name.lower())
        renamed = self._model_state(app_label, old_name).clone()
        renamed.name = new_name
        self.models[new_key] = renamed
        new_label = f"{app_label}.{new_name}"
        for model_key, model_state in self.models.items():
            for name, field in list(model_state.fields.items()):
                remote = field.remote_field
                if remote is None:
                    continue
                to = resolve_relation(remote.model, *model_key) == old_key
                through = getattr(remote, "through", None)
                via = bool(through) and resolve_relation(through, *model_key) == old_key
                if not (to or via):
                    continue
                # A copy: the field may belong to a migration's operation (or
                # another state), which must keep pointing at the old name.
                field = model_state.fields[name] = field.clone()
                if to:
                    field.remote_field.model = new_label
                if via:
                    field.remote_field.through = new_label
        for model_state in self.models.values():
            model_state.bases = tuple(
                new_label.lower()
                if isinstance(base, str) and resolve_relation(base) == old_key
                else base
                for base in model_state.bases
            )
        related: set[ModelKey] = set()
        if "apps" in self.__dict__:
            related = self._find_reload_model(*old_key, delay=False)
        del self.models[old_key]
        self._relations = None
        if "apps" in self.__dict__:
            self.apps.unregister_model(*old_key)
            self._reload((related - {old_key}) | {new_key})

    def alter_model_options(
        self,
        app_label: str,
        model_name: str,
        options: dict[str, Any],
        option_keys: Iterable[str] | None = None,
    ) -> None:
        """Update Meta options; keys in ``option_keys`` missing from ``options``
        are removed."""
        model_state = self._model_state(app_label, model_name)
        model_state.options = {**model_state.options, **options}
        for key in option_keys or ():
            if key not in options:
                model_state.options.pop(key, None)
        self.reload_model(app_label, model_name, delay=True)

    def alter_model_managers(
        self, app_label: str, model_name: str, managers: list[tuple[str, Any]]
    ) -> None:
        """Replace the model's managers."""
        self._model_state(app_label, model_name).managers = list(managers)
        self.reload_model(app_label, model_name, delay=True)

    def alter_model_table(
        self, app_label: str, model_name: str, table: str | None
    ) -> None:
        """Change (or reset with None) the model's db_table."""
        self._set_option(app_label, model_name, "db_table", table)

    def alter_model_table_comment(
        self, app_label: str, model_name: str, table_comment: str | None
    ) -> None:
        """Change the model's db_table_comment."""
        self._set_option(app_label, model_name, "db_table_comment", table_comment)

    def _set_option(
        self, app_label: str, model_name: str, key: str, value: Any
    ) -> None:
        model_state = self._model_state(app_label, model_name)
        if value is None:
            model_state.options.pop(key, None)
        else:
            model_state.options[key] = value
        self.reload_model(app_label, model_name, delay=True)

    # -- indexes and constraints ----------------------------------------------
    def _append_option(
        self, app_label: str, model_name: str, option: str, obj: Any
    ) -> None:
        model_state = self._model_state(app_label, model_name)
        model_state.options[option] = [*model_state.options[option], obj]
        self.reload_model(app_label, model_name, delay=True)

    def _remove_option(
        self, app_label: str, model_name: str, option: str, name: str
    ) -> None:
        model_state = self._model_state(app_label, model_name)
        model_state.options[option] = [
            obj for obj in model_state.options[option] if obj.name != name
        ]
        self.reload_model(app_label, model_name, delay=True)

    def remove_model_options(
        self, app_label: str, model_name: str, option_name: str, value: Any
    ) -> None:
        """Remove one entry (e.g. a field tuple) from a list-like option."""
        model_state = self._model_state(app_label, model_name)
        entries = model_state.options.get(option_name) or []
        model_state.options[option_name] = [
            entry for entry in entries if tuple(entry) != tuple(value)
        ]
        self.reload_model(app_label, model_name, delay=True)

    def add_index(self, app_label: str, model_name: str, index: Any) -> None:
        """Add an index to the model's Meta.indexes."""
        self._append_option(app_label, model_name, "indexes", index)

    def remove_index(self, app_label: str, model_name: str, index_name: str) -> None:
        """Remove the index called ``index_name``."""
        self._remove_option(app_label, model_name, "indexes", index_name)

    def rename_index(
        self, app_label: str, model_name: str, old_index_name: str, new_index_name: str
    ) -> None:
        """Rename an index of Meta.indexes."""
        model_state = self._model_state(app_label, model_name)
        indexes = []
        for index in model_state.options["indexes"]:
            if index.name == old_index_name:
                index = index.clone()
                index.name = new_index_name
            indexes.append(index)
        model_state.options["indexes"] = indexes
        self.reload_model(app_label, model_name, delay=True)

    def add_constraint(self, app_label: str, model_name: str, constraint: Any) -> None:
        """Add a constraint to the model's Meta.constraints."""
        self._append_option(app_label, model_name, "constraints", constraint)

    def remove_constraint(
        self, app_label: str, model_name: str, constraint_name: str
    ) -> None:
        """Remove the constraint called ``constraint_name``."""
        self._remove_option(app_label, model_name, "constraints", constraint_name)

    # -- fields ---------------------------------------------------------------
    def add_field(
        self,
        app_label: str,
        model_name: str,
        name: str,
        field: Any,
        preserve_default: bool,
    ) -> None:
        """Add a field; ``preserve_default=False`` drops its one-off default."""
        if not preserve_default:
            field = field.clone()
            field.default = NOT_PROVIDED
        model_state = self._model_state(app_label, model_name)
        model_state.fields[name] = field
        self._relations = None
        key = (app_label, model_name.lower())
        delay = not field.is_relation and not field_is_referenced(
            self, key, (name, field)
        )
        self.reload_model(*key, delay=delay)

    def remove_field(self, app_label: str, model_name: str, name: str) -> None:
        """Remove a field."""
        model_state = self._model_state(app_label, model_name)
        old_field = model_state.fields.pop(name)
        if model_state.options.get("order_with_respect_to") == name:
            del model_state.options["order_with_respect_to"]
        self._relations = None
        self.reload_model(app_label, model_name, delay=not old_field.is_relation)

    def alter_field(
        self,
        app_label: str,
        model_name: str,
        name: str,
        field: Any,
        preserve_default: bool,
    ) -> None:
        """Replace a field's definition."""
        if not preserve_default:
            field = field.clone()
            field.default = NOT_PROVIDED
        model_state = self._model_state(app_label, model_name)
        old_field = model_state.fields.get(name)
        model_state.fields[name] = field
        self._relations = None
        key = (app_label, model_name.lower())
        delay = (
            not field.is_relation
            and not getattr(old_field, "is_relation", False)
            and not field_is_referenced(self, key, (name, field))
        )
        self.reload_model(*key, delay=delay)

    def rename_field(
        self, app_label: str, model_name: str, old_name: str, new_name: str
    ) -> None:
        """Rename a field and every option or relation naming it."""
        model_state = self._model_state(app_label, model_name)
        if old_name not in model_state.fields:
            raise LookupError(
                f"The model '{app_label}.{model_name}' has no field '{old_name}'."
            )
        model_state.fields = {
            (new_name if name == old_name else name): field
            for name, field in model_state.fields.items()
        }
        options = model_state.options
        for option in ("index_together", "unique_together"):
            if option in options:
                options[option] = [
                    [new_name if name == old_name else name for name in together]
                    for together in options[option]
                ]
        if options.get("order_with_respect_to") == old_name:
            options["order_with_respect_to"] = new_name
        key = (app_label, model_name.lower())
        for other_key, other_state in self.models.items():
            for field in other_state.fields.values():
                _rename_to_field(field, other_key, key, old_name, new_name)
        self._relations = None
        self.reload_model(*key, delay=True)

    # -- rendering ----------------------------------------------------------
    def reload_model(
        self, app_label: str, model_name: str, delay: bool = False
    ) -> None:
        """Render a model again (and the models related to it)."""
        if "apps" in self.__dict__:
            related = self._find_reload_model(app_label, model_name, delay)
            self._reload(related)

    def reload_models(self, models: Iterable[ModelKey], delay: bool = True) -> None:
        """Render several models again."""
        if "apps" in self.__dict__:
            related: set[ModelKey] = set()
            for app_label, model_name in models:
                related |= self._find_reload_model(app_label, model_name, delay)
            self._reload(related)

    def _find_reload_model(
        self, app_label: str, model_name: str, delay: bool = False
    ) -> set[ModelKey]:
        """Return the keys to render again when one model changes.

        Whole connected groups are always rendered again, so ``delay`` is
        accepted for Django's signature but never leaves models half-updated
        (``is_delayed`` stays False): a rendered model shared with another
        state is never mutated, and cloned states stay independent.
        """
        key = (app_label, model_name.lower())
        related: set[ModelKey] = set()
        try:
            old_model = self.apps.get_registered_model(*key)
        except LookupError:
            pass
        else:
            related |= get_related_models_recursive(old_model)
        model_state = self.models.get(key)
        direct: set[ModelKey] = set()
        for field in model_state.fields.values() if model_state else ():
            remote = field.remote_field
            if remote is None:
                continue
            for target in (remote.model, getattr(remote, "through", None)):
                if target is None or target == "self":
                    continue
                direct.add(resolve_relation(target, app_label, model_name))
        for base in model_state.bases if model_state else ():
            if isinstance(base, str):
                direct.add(resolve_relation(base, app_label))
        related |= direct
        for rel_key in direct:
            try:
                rel_model = self.apps.get_registered_model(*rel_key)
            except LookupError:
                continue
            related |= get_related_models_recursive(rel_model)
        related.add(key)
        return related

    def _reload(self, related_models: set[ModelKey]) -> None:
        apps = self.apps
        with apps.bulk_update():
            for rel_app_label, rel_model_name in related_models:
                apps.unregister_model(rel_app_label, rel_model_name)
        states = [
            model_state
            for model_state in apps.real_models
            if (model_state.app_label, model_state.name_lower) in related_models
        ]
        states += [self.models[key] for key in related_models if key in self.models]
        apps.render_multiple(states)

    # -- relations ------------------------------------------------------------
    @property
    def relations(self) -> dict[ModelKey, dict[ModelKey, dict[str, Any]]]:
        """Map a model key to the models and fields that point at it."""
        if self._relations is None:
            self.resolve_fields_and_relations()
        assert self._relations is not None
        return self._relations

    def resolve_fields_and_relations(self) -> None:
        """Compute ``relations`` from every model state's fields."""
        concrete = self._concrete_models_mapping()
        relations: defaultdict[ModelKey, dict[ModelKey, dict[str, Any]]] = defaultdict(
            dict
        )
        for model_key, model_state in self.models.items():
            for name, field in model_state.fields.items():
                remote = field.remote_field
                if remote is None:
                    continue
                targets = [remote.model]
                through = getattr(remote, "through", None)
                if through:
                    targets.append(through)
                for target in targets:
                    if target == "self":
                        target_key = model_key
                    else:
                        target_key = resolve_relation(target, *model_key)
                    target_key = concrete.get(target_key, target_key)
                    relations[target_key].setdefault(model_key, {})[name] = field
        self._relations = dict(relations)

    def _concrete_models_mapping(self) -> dict[ModelKey, ModelKey]:
        mapping: dict[ModelKey, ModelKey] = {}
        for key in self.models:
            mapping[key] = self._concrete_key(key, set())
        return mapping

    def _concrete_key(self, key: ModelKey, seen: set[ModelKey]) -> ModelKey:
        model_state = self.models.get(key)
        if model_state is None or not model_state.options.get("proxy") or key in seen:
            return key
        seen.add(key)
        for base in model_state.bases:
            if isinstance(base, str):
                return self._concrete_key(resolve_relation(base, key[0]), seen)
            meta = getattr(base, "_meta", None)
            if meta is not None and not meta.abstract:
                concrete = meta.concrete_model._meta
                return (concrete.app_label, concrete.model_name)
        return key

    def get_concrete_model_key(self, model: Any) -> ModelKey:
        """Return the key of the concrete model behind ``model`` (a proxy)."""
        key = resolve_relation(model)
        return self._concrete_key(key, set())


def _rename_to_field(
    field: Any, field_key: ModelKey, key: ModelKey, old_name: str, new_name: str
) -> None:
    """Follow a renamed target field in a relation's ``to_field``."""
    remote = field.remote_field
    if remote is None or resolve_relation(remote.model, *field_key) != key:
        return
    to_fields = getattr(field, "to_fields", None)
    if to_fields:
        field.to_fields = [new_name if name == old_name else name for name in to_fields]
    if getattr(remote, "field_name", None) == old_name:
        remote.field_name = new_name
    through_fields = getattr(remote, "through_fields", None)
    if through_fields:
        remote.through_fields = tuple(
            new_name if name == old_name else name for name in through_fields
        )
