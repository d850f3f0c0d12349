"""Helpers shared by the project state and the operations.

They answer "does this field point at that model/field?" from field
objects and model states alone, without rendering any model.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from manouche.db.models.fields.related import RECURSIVE_RELATIONSHIP_CONSTANT

if TYPE_CHECKING:
    from manouche.db.migrations.state import ProjectState

__all__ = [
    "COMPILED_REGEX_TYPE",
    "FieldReference",
    "ModelTuple",
    "RegexObject",
    "field_is_referenced",
    "field_references",
    "get_migration_name_timestamp",
    "get_references",
    "resolve_relation",
]

COMPILED_REGEX_TYPE = type(re.compile(""))


class RegexObject:
    """A compiled regex compared by pattern and flags (for state equality)."""

    def __init__(self, obj: re.Pattern[Any]) -> None:
        self.pattern = obj.pattern
        self.flags = obj.flags

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RegexObject):
            return NotImplemented
        return self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))


class ModelTuple(NamedTuple):
    """``(app_label, model_name)`` with the model name lower-cased."""

    app_label: str
    model_name: str

    @classmethod
    def from_model(
        cls, model: Any, app_label: str | None = None, model_name: str | None = None
    ) -> ModelTuple:
        """Build the tuple from a model class, "app.Model", "Model" or "self"."""
        return cls(*resolve_relation(model, app_label, model_name))


class FieldReference(NamedTuple):
    """How a field refers to a model: directly (``to``) or via ``through``."""

    to: Any
    through: Any


def get_migration_name_timestamp() -> str:
    """Return the timestamp used to name migrations that say nothing else."""
    return datetime.datetime.now().strftime("%Y%m%d_%H%M")


def resolve_relation(
    model: Any, app_label: str | None = None, model_name: str | None = None
) -> tuple[str, str]:
    """Turn a relation target into ``(app_label, model_name_lower)``.

    ``model`` may be a model class, ``"app_label.Model"``, ``"Model"`` (then
    ``app_label`` is required) or ``"self"`` (then both names are required).
    """
    if isinstance(model, str):
        if model == RECURSIVE_RELATIONSHIP_CONSTANT:
            if app_label is None or model_name is None:
                raise TypeError(
                    "app_label and model_name must be provided to resolve "
                    "recursive relationships."
                )
            return app_label, model_name.lower()
        if "." in model:
            found_label, found_name = model.split(".", 1)
            return found_label, found_name.lower()
        if app_label is None:
            raise TypeError(
                "app_label must be provided to resolve unscoped model relationships."
            )
        return app_label, model.lower()
    return model._meta.app_label, model._meta.model_name


def field_references(
    model_tuple: tuple[str, str],
    field: Any,
    reference_model_tuple: tuple[str, str],
    reference_field_name: str | None = None,
    reference_field: Any = None,
) -> FieldReference | bool:
    """Tell whether ``field`` of ``model_tuple`` refers to the reference model.

    With ``reference_field_name``, only a reference to that field counts.
    Return a truthy FieldReference or False.
    """
    remote_field = field.remote_field
    if not remote_field:
        return False
    references_to: Any = None
    references_through: Any = None
    if resolve_relation(remote_field.model, *model_tuple) == reference_model_tuple:
        to_fields = getattr(field, "to_fields", None)
        if (
            reference_field_name is None
            or to_fields is None
            or (
                None in to_fields
                and (reference_field is None or reference_field.primary_key)
            )
            or reference_field_name in to_fields
        ):
            references_to = (remote_field, to_fields)
    through = getattr(remote_field, "through", None)
    if through and resolve_relation(through, *model_tuple) == reference_model_tuple:
        through_fields = remote_field.through_fields
        if (
            reference_field_name is None
            or through_fields is None
            or reference_field_name in through_fields
        ):
            references_through = (remote_field, through_fields)
    if not (references_to or references_through):
        return False
    return FieldReference(references_to, references_through)


def get_references(
    state: ProjectState,
    model_tuple: tuple[str, str],
    field_tuple: tuple[str, Any] | tuple[()] = (),
) -> Iterator[tuple[Any, str, Any, FieldReference]]:
    """Yield ``(model_state, name, field, reference)`` for every reference.

    ``field_tuple`` is ``(field_name, field)`` to restrict to one field.
    """
    for state_model_tuple, model_state in state.models.items():
        for name, field in model_state.fields.items():
            reference = field_references(
                state_model_tuple, field, model_tuple, *field_tuple
            )
            if isinstance(reference, FieldReference):
                yield model_state, name, field, reference


def field_is_referenced(
    state: ProjectState, model_tuple: tuple[str, str], field_tuple: tuple[str, Any]
) -> bool:
    """Tell whether any field of ``state`` refers to ``field_tuple``."""
    return next(get_references(state, model_tuple, field_tuple), None) is not None
