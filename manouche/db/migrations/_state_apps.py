"""``StateApps``: an app registry holding the historical models of a state.

Every registry has its own SQLAlchemy MetaData (see ``Options.db_metadata``),
so the tables of two states never collide. Models are rendered from model
states; a model can be unregistered and rendered again after a change.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from manouche.apps import apps as global_apps
from manouche.apps.config import AppConfig
from manouche.apps.registry import Apps
from manouche.db.migrations._model_state import ModelState
from manouche.db.migrations.exceptions import InvalidBasesError

__all__ = ["AppConfigStub", "StateApps"]


class AppConfigStub(AppConfig):
    """An app config for a label only: historical models need no module."""

    def __init__(self, label: str) -> None:
        self.apps = None
        self.models = {}
        self.label = label
        super().__init__(label, None)

    def import_models(self) -> None:
        """Point at the registry's models of this label (nothing to import)."""
        assert self.apps is not None
        self.models = self.apps.all_models[self.label]


class StateApps(Apps):
    """The registry of one project state's rendered (historical) models."""

    def __init__(
        self,
        real_apps: Iterable[str],
        models: dict[tuple[str, str], ModelState],
        ignore_swappable: bool = False,
    ) -> None:
        real_apps = sorted(real_apps)
        self.real_models = [
            ModelState.from_model(model, exclude_rels=True)
            for label in real_apps
            for model in global_apps.get_app_config(label).get_models()
        ]
        labels = {model_state.app_label for model_state in models.values()}
        stubs = [AppConfigStub(label) for label in sorted({*real_apps, *labels})]
        super().__init__(stubs)
        self._bulk_depth = 0
        states = [*models.values(), *self.real_models]
        self.render_multiple(states)
        self._check_pending(states, ignore_swappable)

    def _check_pending(self, states: list[ModelState], ignore_swappable: bool) -> None:
        """Refuse relations to models the state does not hold."""
        from manouche.conf import settings
        from manouche.db.migrations.utils import resolve_relation

        ignored: set[tuple[str, str]] = set()
        swappable = getattr(settings, "AUTH_USER_MODEL", None)
        if ignore_swappable and swappable:
            ignored.add(resolve_relation(swappable))
        missing = {key for key in self._pending_operations if key not in ignored}
        if not missing:
            return
        messages = []
        for model_state in states:
            for name, field in model_state.fields.items():
                for target in (
                    getattr(field.remote_field, "model", None),
                    getattr(field.remote_field, "through", None),
                ):
                    if not isinstance(target, str):
                        continue
                    key = resolve_relation(
                        target, model_state.app_label, model_state.name
                    )
                    if key not in missing:
                        continue
                    app_label, model_name = key
                    where = (
                        f"app '{app_label}' doesn't provide model '{model_name}'"
                        if app_label in self.app_configs
                        else f"app '{app_label}' isn't installed"
                    )
                    messages.append(
                        f"The field {model_state.app_label}.{model_state.name}."
                        f"{name} was declared with a lazy reference to "
                        f"'{app_label}.{model_name}', but {where}."
                    )
        if not messages:
            messages = [f"Unresolved lazy references to {sorted(missing)!r}."]
        raise ValueError("\n".join(messages))

    @contextlib.contextmanager
    def bulk_update(self) -> Iterator[None]:
        """Defer cache clearing while many models are (un)registered."""
        self._bulk_depth += 1
        try:
            yield
        finally:
            self._bulk_depth -= 1
            if not self._bulk_depth:
                self.clear_cache()

    def clear_cache(self) -> None:
        """Forget cached model lists, unless inside ``bulk_update``."""
        if getattr(self, "_bulk_depth", 0):
            return
        super().clear_cache()

    def render_multiple(self, model_states: list[ModelState]) -> None:
        """Render ``model_states``, retrying those whose bases come later."""
        if not model_states:
            return
        with self.bulk_update():
            pending = list(model_states)
            while pending:
                still_pending = []
                for model_state in pending:
                    try:
                        model_state.render(self)
                    except InvalidBasesError:
                        still_pending.append(model_state)
                if len(still_pending) == len(pending):
                    names = ", ".join(
                        f"{state.app_label}.{state.name}" for state in still_pending
                    )
                    raise InvalidBasesError(
                        f"Cannot resolve bases for {names}. This can happen if you "
                        "are inheriting models from an app with migrations in an "
                        "app with no migrations, or if a base model is missing "
                        "from the state; make the migration depend on the one "
                        "that creates the base model."
                    )
                pending = still_pending

    def clone(self) -> StateApps:
        """Return a registry sharing the rendered models (cheap copy)."""
        clone = StateApps.__new__(StateApps)
        Apps.__init__(clone, [])
        clone._bulk_depth = 0
        for label, models in self.all_models.items():
            clone.all_models[label] = dict(models)
        for label in self.app_configs:
            stub = AppConfigStub(label)
            stub.apps = clone
            stub.import_models()
            clone.app_configs[label] = stub
        clone.real_models = self.real_models
        return clone

    def register_model(self, app_label: str, model: Any) -> None:
        """Record ``model``, replacing any model of the same name."""
        self.all_models[app_label][model._meta.model_name] = model
        if app_label not in self.app_configs:
            stub = AppConfigStub(app_label)
            stub.apps = self
            stub.import_models()
            self.app_configs[app_label] = stub
        self.do_pending_operations(model)
        self.clear_cache()

    def unregister_model(self, app_label: str, model_name: str) -> None:
        """Forget a model; unknown names are ignored."""
        try:
            del self.all_models[app_label][model_name.lower()]
        except KeyError:
            return
        self.clear_cache()
