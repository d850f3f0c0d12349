"""System checks of relation fields: the ``fields.E3xx``/``W34x`` ids.

Covers the target model, reverse accessor and query name clashes, on_delete
rules, to_field, and the intermediate model of many-to-many relations.
"""

from __future__ import annotations

import keyword
from typing import Any

from manouche.core import checks
from manouche.core.exceptions import FieldDoesNotExist

__all__ = ["check_related_field"]

Messages = list[checks.CheckMessage]


def check_related_field(field: Any, **kwargs: Any) -> Messages:
    """Return the relation-specific problems of ``field``."""
    if field.remote_field is None or not hasattr(field, "opts"):
        return []
    errors: Messages = [
        *_check_related_name_is_valid(field),
        *_check_related_query_name_is_valid(field),
        *_check_relation_model_exists(field),
        *_check_clashes(field),
    ]
    if field.many_to_many:
        from manouche.db.models._checks.through import check_many_to_many

        errors.extend(check_many_to_many(field, **kwargs))
    else:
        errors.extend(_check_on_delete(field))
        errors.extend(_check_unique(field))
        errors.extend(_check_to_field(field))
    return errors


def _check_related_name_is_valid(field: Any) -> Messages:
    related_name = field.remote_field.related_name
    if related_name is None:
        return []
    related_name = str(related_name)
    valid = related_name.isidentifier() and not keyword.iskeyword(related_name)
    if valid or related_name.endswith("+"):
        return []
    return [
        checks.Error(
            f"The name '{related_name}' is invalid related_name for field "
            f"{field.model._meta.object_name}.{field.name}",
            hint=("Related name must be a valid Python identifier or end with a '+'"),
            obj=field,
            id="fields.E306",
        )
    ]


def _check_related_query_name_is_valid(field: Any) -> Messages:
    if field.remote_field.hidden:
        return []
    query_name = field.related_query_name()
    hint = "Add or change a related_name or related_query_name argument for this field."
    errors: Messages = []
    if query_name.endswith("_"):
        errors.append(
            checks.Error(
                f"Reverse query name '{query_name}' must not end with an underscore.",
                hint=hint,
                obj=field,
                id="fields.E308",
            )
        )
    if "__" in query_name:
        errors.append(
            checks.Error(
                f"Reverse query name '{query_name}' must not contain '__'.",
                hint=hint,
                obj=field,
                id="fields.E309",
            )
        )
    return errors


def _check_relation_model_exists(field: Any) -> Messages:
    target = field.remote_field.model
    apps = field.opts.apps
    if not isinstance(target, str) and target in apps.get_models(
        include_auto_created=True
    ):
        return []
    if not isinstance(target, str) and target._meta.swapped:
        return [
            checks.Error(
                f"Field defines a relation with the model '{target._meta.label}', "
                "which has been swapped out.",
                hint=(
                    "Update the relation to point at "
                    f"'settings.{target._meta.swappable}'."
                ),
                obj=field,
                id="fields.E301",
            )
        ]
    name = target if isinstance(target, str) else target._meta.object_name
    return [
        checks.Error(
            f"Field defines a relation with model '{name}', which is either not "
            "installed, or is abstract.",
            obj=field,
            id="fields.E300",
        )
    ]


def _check_clashes(field: Any) -> Messages:
    """Compare the reverse accessor and query name with the target's names."""
    target = field.remote_field.model
    if isinstance(target, str):
        return []
    rel = field.remote_field
    hidden = rel.hidden
    target_opts = target._meta
    accessor = rel.get_accessor_name()
    query_name = field.related_query_name()
    field_name = f"{field.model._meta.label}.{field.name}"
    errors: Messages = []
    for clash in (*target_opts.fields, *target_opts.many_to_many):
        clash_name = f"{target_opts.label}.{clash.name}"
        hint = (
            f"Rename field '{clash_name}', or add/change a related_name argument "
            f"to the definition for field '{field_name}'."
        )
        if not hidden and clash.name == accessor:
            errors.append(
                checks.Error(
                    f"Reverse accessor '{target_opts.object_name}.{accessor}' for "
                    f"'{field_name}' clashes with field name '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E302",
                )
            )
        if clash.name == query_name:
            errors.append(
                checks.Error(
                    f"Reverse query name for '{field_name}' clashes with field "
                    f"name '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E303",
                )
            )
    for other in target_opts.related_objects:
        if other.field is field:
            continue
        # A parent's reverse parent link is not an accessor of its children.
        if other.parent_link and other.model is not target_opts.concrete_model:
            continue
        clash_name = f"{other.related_model._meta.label}.{other.field.name}"
        hint = (
            f"Add or change a related_name argument to the definition for "
            f"'{field_name}' or '{clash_name}'."
        )
        if not hidden and other.get_accessor_name() == accessor:
            errors.append(
                checks.Error(
                    f"Reverse accessor '{target_opts.object_name}.{accessor}' for "
                    f"'{field_name}' clashes with reverse accessor for "
                    f"'{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E304",
                )
            )
        # As Django does: the query name is compared with the other accessor.
        if other.get_accessor_name() == query_name:
            errors.append(
                checks.Error(
                    f"Reverse query name for '{field_name}' clashes with reverse "
                    f"query name for '{clash_name}'.",
                    hint=hint,
                    obj=field,
                    id="fields.E305",
                )
            )
    return errors


def _check_on_delete(field: Any) -> Messages:
    from manouche.db.models import deletion

    on_delete = field.remote_field.on_delete
    if on_delete is deletion.SET_NULL and not field.null:
        return [
            checks.Error(
                "Field specifies on_delete=SET_NULL, but cannot be null.",
                hint=(
                    "Set null=True argument on the field, or change the on_delete rule."
                ),
                obj=field,
                id="fields.E320",
            )
        ]
    if on_delete is deletion.SET_DEFAULT and not field.has_default():
        return [
            checks.Error(
                "Field specifies on_delete=SET_DEFAULT, but has no default value.",
                hint="Set a default value, or change the on_delete rule.",
                obj=field,
                id="fields.E321",
            )
        ]
    return []


def _check_unique(field: Any) -> Messages:
    if field.unique and not field.one_to_one:
        return [
            checks.Warning(
                "Setting unique=True on a ForeignKey has the same effect as using "
                "a OneToOneField.",
                hint=(
                    "ForeignKey(unique=True) is usually better served by a "
                    "OneToOneField."
                ),
                obj=field,
                id="fields.W342",
            )
        ]
    return []


def _check_to_field(field: Any) -> Messages:
    """Check that to_field exists on the target and that it is unique."""
    target = field.remote_field.model
    if isinstance(target, str):
        return []
    to_field = field.to_fields[0] if getattr(field, "to_fields", None) else None
    if to_field is not None:
        try:
            target._meta.get_field(to_field)
        except FieldDoesNotExist:
            return [
                checks.Error(
                    f"The to_field '{to_field}' doesn't exist on the related model "
                    f"'{target._meta.label}'.",
                    obj=field,
                    id="fields.E312",
                )
            ]
    return _check_unique_target(field, target)


def _unique_field_sets(opts: Any) -> set[frozenset[str]]:
    from manouche.db.models.constraints import UniqueConstraint

    found = {frozenset([f.name]) for f in opts.fields if f.unique}
    found.update(frozenset(names) for names in opts.unique_together)
    for constraint in opts.constraints:
        if (
            isinstance(constraint, UniqueConstraint)
            and constraint.condition is None
            and not constraint.expressions
        ):
            found.add(frozenset(constraint.fields))
    return found


def _check_unique_target(field: Any, target: Any) -> Messages:
    try:
        target_field = field.target_field
    except (FieldDoesNotExist, AttributeError):
        return []
    if target_field is None or getattr(target_field, "unique", False):
        return []
    if frozenset([target_field.name]) in _unique_field_sets(target._meta):
        return []
    return [
        checks.Error(
            f"'{target.__name__}.{target_field.name}' must be unique because it is "
            "referenced by a foreign key.",
            hint=(
                "Add unique=True to this field or add a UniqueConstraint (without "
                "condition) in the model Meta.constraints."
            ),
            obj=field,
            id="fields.E311",
        )
    ]
