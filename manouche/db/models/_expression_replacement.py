"""``replace_expressions()``: swap parts of an expression for others.

Constraint validation evaluates an expression for one instance by replacing
its field references with the instance's values.
"""

from __future__ import annotations

from typing import Any

__all__ = ["replace_reference", "replace_sources"]


def replace_sources(expression: Any, replacements: Any) -> Any:
    """Return ``expression`` or a copy with its parts found in ``replacements``."""
    if not replacements:
        return expression
    replacement = replacements.get(expression)
    if replacement is not None:
        return replacement
    sources = expression.get_source_expressions()
    replaced = [
        source.replace_expressions(replacements)
        if hasattr(source, "replace_expressions")
        else source
        for source in sources
    ]
    if all(new is old for new, old in zip(replaced, sources, strict=True)):
        return expression
    clone = expression.copy()
    clone.set_source_expressions(replaced)
    return clone


def replace_reference(reference: Any, replacements: Any) -> Any:
    """Return the replacement of ``F(path)``, its transforms applied to it."""
    replacement = replacements.get(reference)
    if replacement is not None:
        return replacement
    field_name, *transforms = reference.name.split("__")
    if not transforms:
        return reference
    replacement = replacements.get(type(reference)(field_name))
    if replacement is None:
        return reference
    for transform in transforms:
        transform_class = _transform_class(replacement, transform)
        if transform_class is None:
            return reference
        replacement = transform_class(replacement)
    return replacement


def _transform_class(expression: Any, name: str) -> Any:
    """Return the transform ``name`` applies to ``expression``'s type, or None."""
    get_transform = getattr(expression, "get_transform", None)
    if get_transform is None:
        field = getattr(expression, "_output_field_or_none", None)
        get_transform = getattr(field, "get_transform", None)
    return get_transform(name) if get_transform is not None else None
