"""``ModelState``: one model as migrations see it, without a model class.

A model state holds unbound field clones, Meta options, bases and managers.
It can be taken from a real model (``from_model``) and turned back into a
real, fully working model class inside any registry (``render``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from manouche.db.migrations.exceptions import InvalidBasesError
from manouche.db.models.options import DEFAULT_NAMES, normalize_together

__all__ = ["ModelState"]

#: Meta options a model state never keeps: they belong to the registry.
_SKIPPED_OPTIONS = frozenset({"apps", "app_label"})
#: Options kept in state only (no longer accepted by ``class Meta``).
_STATE_ONLY_OPTIONS = frozenset({"index_together"})


def _model_base() -> Any:
    from manouche.db.models import Model

    return Model


class ModelState:
    """The migration-time description of one model.

    ``fields`` maps names to unbound fields (``field.model`` is None, relations
    are ``"app_label.model"`` strings); ``bases`` holds model labels, model
    classes or mixins; ``managers`` is a list of ``(name, manager)``.
    """

    def __init__(
        self,
        app_label: str,
        name: str,
        fields: Any,
        options: dict[str, Any] | None = None,
        bases: tuple[Any, ...] | list[Any] | None = None,
        managers: list[tuple[str, Any]] | None = None,
    ) -> None:
        self.app_label = app_label
        self.name = name
        self.fields: dict[str, Any] = dict(fields)
        self.options: dict[str, Any] = dict(options or {})
        self.options.setdefault("indexes", [])
        self.options.setdefault("constraints", [])
        self.bases: tuple[Any, ...] = tuple(bases or (_model_base(),))
        self.managers: list[tuple[str, Any]] = list(managers or [])
        self._check()

    def _check(self) -> None:
        for name, field in self.fields.items():
            if getattr(field, "model", None) is not None:
                raise ValueError(
                    f'ModelState.fields cannot be bound to a model - "{name}" is.'
                )
            remote = field.remote_field
            if remote is not None and hasattr(remote.model, "_meta"):
                raise ValueError(
                    f'Model fields in "ModelState.fields" cannot refer to a model '
                    f'class - "{self.app_label}.{self.name}.{name}.to" does. Use a '
                    "string reference instead."
                )
            through = getattr(remote, "through", None)
            if through is not None and hasattr(through, "_meta"):
                raise ValueError(
                    f'Model fields in "ModelState.fields" cannot refer to a model '
                    f'class - "{self.app_label}.{self.name}.{name}.through" does. '
                    "Use a string reference instead."
                )
        for index in self.options["indexes"]:
            if not index.name:
                raise ValueError(
                    "Indexes passed to ModelState require a name attribute. "
                    f"{index!r} doesn't have one."
                )

    @property
    def name_lower(self) -> str:
        """Return the model name in lower case (the registry key)."""
        return self.name.lower()

    def get_field(self, field_name: str) -> Any:
        """Return a field by name; ``_order`` follows order_with_respect_to."""
        if field_name == "_order":
            field_name = self.options.get("order_with_respect_to") or field_name
        return self.fields[field_name]

    def get_index_by_name(self, name: str) -> Any:
        """Return the index called ``name``; ValueError when none is."""
        for index in self.options["indexes"]:
            if index.name == name:
                return index
        raise ValueError(f"No index named {name} on model {self.name}")

    def get_constraint_by_name(self, name: str) -> Any:
        """Return the constraint called ``name``; ValueError when none is."""
        for constraint in self.options["constraints"]:
            if constraint.name == name:
                return constraint
        raise ValueError(f"No constraint named {name} on model {self.name}")

    # -- from a real model -------------------------------------------------
    @classmethod
    def from_model(cls, model: Any, exclude_rels: bool = False) -> ModelState:
        """Describe ``model`` (a real or historical class) as a model state."""
        opts = model._meta
        fields: dict[str, Any] = {}
        for field in opts.local_fields:
            if getattr(field, "remote_field", None) and exclude_rels:
                continue
            if field.name == "_order" and opts.order_with_respect_to:
                continue  # the rendered model adds it back from the option
            fields[field.name] = field.clone()
        if not exclude_rels:
            for field in opts.local_many_to_many:
                fields[field.name] = field.clone()
        options = _options_of(model)
        # A stub has no relations, and private fields (a GenericForeignKey)
        # are not in the state: the option cannot name either.
        if exclude_rels or options.get("order_with_respect_to") in {
            field.name for field in opts.private_fields
        }:
            options.pop("order_with_respect_to", None)
        return cls(
            opts.app_label,
            opts.object_name,
            fields,
            options=options,
            bases=_flatten_bases(model),
            managers=_managers_of(model),
        )

    # -- copies and classes -------------------------------------------------
    def construct_managers(self) -> Iterator[tuple[str, Any]]:
        """Yield fresh ``(name, manager)`` pairs, in declaration order."""
        ordered = sorted(self.managers, key=lambda item: item[1].creation_counter)
        for name, manager in ordered:
            args, kwargs = manager._constructor_args
            yield name, type(manager)(*args, **kwargs)

    def clone(self) -> ModelState:
        """Return an independent copy (fields, indexes and constraints too)."""
        options = dict(self.options)
        options["indexes"] = [index.clone() for index in self.options["indexes"]]
        options["constraints"] = [
            constraint.clone() for constraint in self.options["constraints"]
        ]
        return type(self)(
            self.app_label,
            self.name,
            {name: field.clone() for name, field in self.fields.items()},
            options=options,
            bases=self.bases,
            managers=list(self.managers),
        )

    def render(self, apps: Any) -> Any:
        """Create the model class in registry ``apps`` and return it."""
        meta_contents: dict[str, Any] = {"app_label": self.app_label, "apps": apps}
        for key, value in self.options.items():
            if key in _STATE_ONLY_OPTIONS:
                continue
            if key in ("indexes", "constraints"):
                value = [item.clone() for item in value]
            meta_contents[key] = value
        meta = type("Meta", (), meta_contents)
        try:
            bases = tuple(
                apps.get_model(base) if isinstance(base, str) else base
                for base in self.bases
            )
        except LookupError:
            raise InvalidBasesError(
                f"Cannot resolve one or more bases from {self.bases!r}"
            ) from None
        body: dict[str, Any] = {
            name: field.clone() for name, field in self.fields.items()
        }
        body["Meta"] = meta
        body["__module__"] = "__fake__"
        body.update(self.construct_managers())
        return type(self.name, bases, body)

    # -- comparison ---------------------------------------------------------
    def _comparable(self) -> tuple[Any, ...]:
        fields = [
            (name, field.deconstruct()[1:]) for name, field in self.fields.items()
        ]
        managers = [
            (name, type(manager), manager._constructor_args)
            for name, manager in self.managers
        ]
        options = {
            key: value
            for key, value in self.options.items()
            if key not in ("indexes", "constraints")
        }
        return (
            self.app_label,
            self.name,
            fields,
            options,
            _described(self.options["indexes"]),
            _described(self.options["constraints"]),
            self.bases,
            managers,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ModelState):
            return NotImplemented
        return self._comparable() == other._comparable()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: '{self.app_label}.{self.name}'>"


def _described(items: list[Any]) -> list[Any]:
    """Compare indexes/constraints by what they build, not by identity."""
    found = []
    for item in items:
        deconstruct = getattr(item, "deconstruct", None)
        found.append(
            deconstruct() if deconstruct is not None else (type(item), item.name)
        )
    return found


def _options_of(model: Any) -> dict[str, Any]:
    opts = model._meta
    options: dict[str, Any] = {}
    for name in DEFAULT_NAMES:
        if name in _SKIPPED_OPTIONS or name not in opts.original_attrs:
            continue
        if name == "unique_together":
            together = normalize_together(opts.original_attrs[name])
            options[name] = {tuple(item) for item in together}
        elif name == "indexes":
            indexes = [index.clone() for index in opts.indexes]
            for index in indexes:
                if not index.name:
                    index.set_name_with_model(model)
            options[name] = indexes
        elif name == "constraints":
            options[name] = [constraint.clone() for constraint in opts.constraints]
        elif name == "order_with_respect_to":
            value = opts.order_with_respect_to
            options[name] = getattr(value, "name", value)
        else:
            options[name] = opts.original_attrs[name]
    return options


def _flatten_bases(model: Any) -> tuple[Any, ...]:
    """Return the bases as labels, abstract models replaced by their bases."""

    def flatten(bases: tuple[type, ...]) -> list[type]:
        found: list[type] = []
        for base in bases:
            meta = getattr(base, "_meta", None)
            if meta is not None and meta.abstract:
                found.extend(flatten(base.__bases__))
            else:
                found.append(base)
        return found

    model_base = _model_base()
    result: list[Any] = []
    for base in flatten(model.__bases__):
        if base is model_base or base is object:
            continue
        meta = getattr(base, "_meta", None)
        label = meta.label_lower if meta is not None else base
        if label not in result:
            result.append(label)
    if not any(
        isinstance(base, str) or issubclass(base, model_base) for base in result
    ):
        result.append(model_base)
    return tuple(result)


def _managers_of(model: Any) -> list[tuple[str, Any]]:
    """Return the managers a historical model needs (Django's rules)."""
    from manouche.db.models.manager import Manager

    opts = model._meta
    managers: list[tuple[str, Any]] = []
    seen: set[str] = set()
    default_shim = None
    for manager in opts.managers:
        if manager.name in seen:
            continue
        if manager.use_in_migrations:
            new_manager = copy.copy(manager)
            new_manager._set_creation_counter()
        elif manager is opts.base_manager or manager is opts.default_manager:
            new_manager = Manager()
            new_manager.model = manager.model
            new_manager.name = manager.name
            if manager is opts.default_manager:
                default_shim = new_manager
        else:
            continue
        seen.add(manager.name)
        managers.append((manager.name, new_manager))
    # A lone plain ``objects`` is what every model gets anyway.
    if managers == [("objects", default_shim)]:
        return []
    return managers
