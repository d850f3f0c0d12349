"""System checks of a model's Meta options: ordering, indexes, constraints.

Every option naming fields must name fields of this model (``models.E012``),
not many-to-many ones (``E013``) nor a parent's (``E016``). Features a
selected database lacks are reported as warnings (``W027``, ``W036``-``W047``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from manouche.core import checks
from manouche.core.exceptions import FieldDoesNotExist
from manouche.db.models._checks._databases import connections_for, supports

__all__ = [
    "check_constraints",
    "check_db_table_comment",
    "check_indexes",
    "check_ordering",
    "check_unique_together",
    "expression_references",
]

LOOKUP_SEP = "__"
Messages = list[checks.CheckMessage]


def expression_references(expression: Any) -> Iterator[tuple[str, ...]]:
    """Yield the field paths (split on ``__``) an expression or Q refers to."""
    from manouche.db.models.expressions import F
    from manouche.db.models.query_utils import Q

    if isinstance(expression, Q):
        for child in expression.children:
            if isinstance(child, tuple):
                yield tuple(child[0].split(LOOKUP_SEP))
                yield from expression_references(child[1])
            else:
                yield from expression_references(child)
    elif isinstance(expression, F):
        yield tuple(expression.name.split(LOOKUP_SEP))
    elif hasattr(expression, "get_source_expressions"):
        for source in expression.get_source_expressions():
            if source is not None:
                yield from expression_references(source)


def check_local_fields(cls: Any, names: Iterable[str], option: str) -> Messages:
    """Check that ``names`` are concrete, non-M2M fields of ``cls`` itself."""
    opts = cls._meta
    forward: dict[str, Any] = {}
    for field in opts._get_fields(reverse=False):
        forward[field.name] = field
        if getattr(field, "attname", None):
            forward[field.attname] = field
    errors: Messages = []
    for name in names:
        field = forward.get(name)
        if field is None:
            errors.append(
                checks.Error(
                    f"'{option}' refers to the nonexistent field '{name}'.",
                    obj=cls,
                    id="models.E012",
                )
            )
        elif field.is_relation and field.many_to_many:
            errors.append(
                checks.Error(
                    f"'{option}' refers to a ManyToManyField '{name}', but "
                    f"ManyToManyFields are not permitted in '{option}'.",
                    obj=cls,
                    id="models.E013",
                )
            )
        elif field not in opts.local_fields:
            errors.append(
                checks.Error(
                    f"'{option}' refers to field '{name}' which is not local to "
                    f"model '{opts.object_name}'.",
                    hint="This issue may be caused by multi-table inheritance.",
                    obj=cls,
                    id="models.E016",
                )
            )
    return errors


def check_unique_together(cls: Any) -> Messages:
    """``unique_together`` must be a list of lists of this model's fields."""
    together = cls._meta.unique_together
    if not isinstance(together, (tuple, list)):
        message = "'unique_together' must be a list or tuple."
        return [checks.Error(message, obj=cls, id="models.E010")]
    if any(not isinstance(names, (tuple, list)) for names in together):
        message = "All 'unique_together' elements must be lists or tuples."
        return [checks.Error(message, obj=cls, id="models.E011")]
    errors: Messages = []
    for names in together:
        errors.extend(check_local_fields(cls, names, "unique_together"))
    return errors


def check_indexes(cls: Any, databases: Iterable[str]) -> Messages:
    """Check index names, referenced fields and database support."""
    opts = cls._meta
    errors: Messages = []
    references: set[str] = set()
    for index in opts.indexes:
        name = index.name or ""
        if name and (name[0] == "_" or name[0].isdigit()):
            errors.append(
                checks.Error(
                    f"The index name '{name}' cannot start with an underscore or a "
                    "number.",
                    obj=cls,
                    id="models.E033",
                )
            )
        if len(name) > index.max_name_length:
            errors.append(
                checks.Error(
                    f"The index name '{name}' cannot be longer than "
                    f"{index.max_name_length} characters.",
                    obj=cls,
                    id="models.E034",
                )
            )
        for expression in index.expressions or ():
            references.update(ref[0] for ref in expression_references(expression))
    for connection in connections_for(cls, list(databases)):
        errors.extend(_index_support_warnings(cls, connection))
    names = [name for index in opts.indexes for name, _ in index.fields_orders]
    names += [name for index in opts.indexes for name in index.include]
    names += sorted(references)
    errors.extend(check_local_fields(cls, names, "indexes"))
    return errors


def _feature_warning(
    connection: Any, what: str, ignored: str, cls: Any, id: str
) -> checks.Warning:
    return checks.Warning(
        f"{connection.display_name} does not support {what}.",
        hint=f"{ignored} Silence this warning if you don't care about it.",
        obj=cls,
        id=id,
    )


def _index_support_warnings(cls: Any, connection: Any) -> Messages:
    indexes = cls._meta.indexes
    warnings: Messages = []
    wanted = (
        ("condition", "supports_partial_indexes", "indexes with conditions",
         "Conditions will be ignored.", "models.W037"),
        ("include", "supports_covering_indexes", "indexes with non-key columns",
         "Non-key columns will be ignored.", "models.W040"),
        ("expressions", "supports_expression_indexes", "indexes on expressions",
         "An index won't be created.", "models.W043"),
    )  # fmt: skip
    for attribute, feature, what, ignored, id in wanted:
        used = any(getattr(index, attribute, None) for index in indexes)
        if used and not supports(connection, cls, feature):
            warnings.append(_feature_warning(connection, what, ignored, cls, id))
    return warnings


def check_ordering(cls: Any) -> Messages:
    """``ordering`` must be a list or tuple of existing fields or lookups."""
    opts = cls._meta
    ordering = opts.original_attrs.get("ordering", opts.ordering)
    if opts._ordering_clash:
        message = "'ordering' and 'order_with_respect_to' cannot be used together."
        return [checks.Error(message, obj=cls, id="models.E021")]
    if opts.order_with_respect_to or not ordering:
        return []
    if not isinstance(ordering, (list, tuple)):
        return [
            checks.Error(
                "'ordering' must be a tuple or list (even if you want to order by "
                "only one field).",
                obj=cls,
                id="models.E014",
            )
        ]
    names = [
        name.removeprefix("-")
        for name in ordering
        if isinstance(name, str) and name != "?"
    ]
    invalid = [name for name in names if LOOKUP_SEP in name and _bad_path(cls, name)]
    valid = _orderable_names(opts)
    invalid += [
        name
        for name in dict.fromkeys(names)
        if LOOKUP_SEP not in name and name != "pk" and name not in valid
    ]
    return [
        checks.Error(
            "'ordering' refers to the nonexistent field, related field, or lookup "
            f"'{name}'.",
            obj=cls,
            id="models.E015",
        )
        for name in invalid
    ]


def _orderable_names(opts: Any) -> set[str]:
    from manouche.db.models.fields.reverse_related import ForeignObjectRel

    names: set[str] = set()
    for field in chain(opts.fields, opts.related_objects):
        if isinstance(field, ForeignObjectRel):
            names.add(field.field.related_query_name())
        else:
            names.update((field.name, field.attname))
    return names


def _bad_path(cls: Any, path: str) -> bool:
    """Tell whether ``a__b__c`` in ordering names no field, relation or lookup."""
    model: Any = cls
    field: Any = None
    for part in path.split(LOOKUP_SEP):
        try:
            if model is None:
                raise FieldDoesNotExist(part)
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
            model = field.related_model if field.is_relation else None
            if isinstance(model, str):
                model = None
        except FieldDoesNotExist:
            if field is None:
                return True
            if field.get_transform(part) is None and field.get_lookup(part) is None:
                return True
    return False


def check_constraints(cls: Any, databases: Iterable[str]) -> Messages:
    """Check constraint references and database support."""
    from manouche.db.models.constraints import CheckConstraint, UniqueConstraint
    from manouche.db.models.query_utils import Q

    opts = cls._meta
    errors: Messages = []
    for connection in connections_for(cls, list(databases)):
        errors.extend(_constraint_support_warnings(cls, connection))
    names: set[str] = set()
    references: set[tuple[str, ...]] = set()
    for constraint in opts.constraints:
        if isinstance(constraint, UniqueConstraint):
            names.update(constraint.fields)
            names.update(constraint.include)
            for expression in constraint.expressions or ():
                references.update(expression_references(expression))
            if isinstance(constraint.condition, Q):
                references.update(expression_references(constraint.condition))
        # As Django does, only a Q condition is searched for field names.
        elif isinstance(constraint, CheckConstraint) and isinstance(
            constraint.condition, Q
        ):
            references.update(expression_references(constraint.condition))
    for name, *lookups in sorted(references):
        if name != "pk":
            names.add(name)
        if lookups:
            errors.extend(_check_joined_reference(cls, name, lookups))
    errors.extend(check_local_fields(cls, sorted(names), "constraints"))
    return errors


def _check_joined_reference(cls: Any, name: str, lookups: list[str]) -> Messages:
    """A constraint cannot follow a relation into another table."""
    try:
        field = cls._meta.pk if name == "pk" else cls._meta.get_field(name)
    except FieldDoesNotExist:
        return []
    if not field.is_relation or field.many_to_many or field.one_to_many:
        return []
    first = lookups[0]
    if field.get_transform(first) is None and field.get_lookup(first) is None:
        joined = LOOKUP_SEP.join([name, *lookups])
        return [
            checks.Error(
                f"'constraints' refers to the joined field '{joined}'.",
                obj=cls,
                id="models.E041",
            )
        ]
    return []


def _constraint_support_warnings(cls: Any, connection: Any) -> Messages:
    from manouche.db.models.constraints import CheckConstraint, UniqueConstraint

    constraints = cls._meta.constraints
    uniques = [c for c in constraints if isinstance(c, UniqueConstraint)]
    ignored = "A constraint won't be created."
    wanted = (
        (any(isinstance(c, CheckConstraint) for c in constraints),
         "supports_table_check_constraints", "check constraints", "models.W027"),
        (any(c.condition is not None for c in uniques),
         "supports_partial_indexes", "unique constraints with conditions",
         "models.W036"),
        (any(c.deferrable is not None for c in uniques),
         "supports_deferrable_unique_constraints",
         "deferrable unique constraints", "models.W038"),
        (any(c.include for c in uniques), "supports_covering_indexes",
         "unique constraints with non-key columns", "models.W039"),
        (any(c.expressions for c in uniques), "supports_expression_indexes",
         "unique constraints on expressions", "models.W044"),
        (any(c.nulls_distinct is not None for c in uniques),
         "supports_nulls_distinct_unique_constraints",
         "unique constraints with nulls distinct", "models.W047"),
    )  # fmt: skip
    warnings: Messages = [
        _feature_warning(connection, what, ignored, cls, id)
        for used, feature, what, id in wanted
        if used and not supports(connection, cls, feature)
    ]
    if supports(connection, cls, "supports_table_check_constraints"):
        warnings.extend(_raw_sql_warnings(cls))
    return warnings


def _raw_sql_warnings(cls: Any) -> Messages:
    """Warn that full_clean() cannot evaluate a check written in raw SQL."""
    from manouche.db.models.constraints import CheckConstraint

    return [
        checks.Warning(
            f"Check constraint {constraint.name!r} contains RawSQL() expression and "
            "won't be validated during the model full_clean().",
            hint="Silence this warning if you don't care about it.",
            obj=cls,
            id="models.W045",
        )
        for constraint in cls._meta.constraints
        if isinstance(constraint, CheckConstraint)
        and _contains_raw_sql(constraint.condition)
    ]


def _contains_raw_sql(expression: Any) -> bool:
    from manouche.db.models.expressions import RawSQL
    from manouche.db.models.query_utils import Q

    if isinstance(expression, RawSQL):
        return True
    if isinstance(expression, Q):
        return any(
            _contains_raw_sql(child[1] if isinstance(child, tuple) else child)
            for child in expression.children
        )
    sources = getattr(expression, "get_source_expressions", None)
    return sources is not None and any(_contains_raw_sql(s) for s in sources())


def check_db_table_comment(cls: Any, databases: Iterable[str]) -> Messages:
    """Warn when a selected database cannot store ``db_table_comment``."""
    if not cls._meta.db_table_comment:
        return []
    return [
        checks.Warning(
            f"{connection.display_name} does not support comments on tables "
            "(db_table_comment).",
            obj=cls,
            id="models.W046",
        )
        for connection in connections_for(cls, list(databases))
        if not supports(connection, cls, "supports_comments")
    ]
