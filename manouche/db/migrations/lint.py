"""Flag migration operations that lock or rewrite big tables in production.

The linter reads operations (by their Django-shaped attributes, so it works
on any operation class with the same name) and, where it helps, the project
state before the migration; it never touches a database. Each finding names
the risky operation and the safe sequence to use instead. The rules target
PostgreSQL and MariaDB/MySQL, where a long lock on a busy table is an
outage; SQLite is linted as if for a server, because that is where the
migration will run in production.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["LEVELS", "RULES", "Finding", "format_finding", "lint_migration"]

#: Severity names in increasing order (``--fail-level`` takes one of them).
LEVELS = ("info", "warning", "error")

#: code -> (level, title, hint): the catalogue the documentation lists.
RULES: dict[str, tuple[str, str, str]] = {
    "M001": (
        "error",
        "NOT NULL column added without a database default",
        "Add the column with null=True, fill it with a batched backfill "
        "(manouche.db.migrations.backfill) in a separate migration, then make "
        "it NOT NULL; or give it a constant db_default.",
    ),
    "M002": (
        "warning",
        "index built without CONCURRENTLY",
        "Create the index with AddIndexConcurrently (manouche.contrib.postgres."
        "operations) in a migration with atomic = False.",
    ),
    "M003": (
        "error",
        "column or table renamed or retyped in place",
        "Expand and contract: add the new column/table, write to both, backfill, "
        "switch reads, and drop the old one in a later release.",
    ),
    "M004": (
        "warning",
        "constraint validated against every row under a lock",
        "Add the foreign key with db_constraint=False (or the constraint NOT "
        "VALID via RunSQL), then validate it in a separate migration "
        "(ALTER TABLE ... VALIDATE CONSTRAINT on PostgreSQL).",
    ),
    "M005": (
        "warning",
        "column or table dropped while deployed code may still read it",
        "Deploy code that no longer uses it first: remove it from the state "
        "with SeparateDatabaseAndState(state_operations=[...]), and drop it "
        "from the database in a later migration.",
    ),
    "M006": (
        "info",
        "data migration inside the migration's transaction",
        "On big tables set atomic = False on the migration and update in "
        "batches with manouche.db.migrations.backfill.",
    ),
    "M007": (
        "warning",
        "column made NOT NULL in place",
        "On PostgreSQL add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it, "
        "then SET NOT NULL (no full scan under lock); backfill NULLs first.",
    ),
}

_POSTGRESQL_ONLY = {"M002"}


@dataclass(frozen=True)
class Finding:
    """One risky operation, why it is risky and what to do instead."""

    code: str
    operation: Any
    message: str
    hint: str
    level: str = "warning"
    #: ``"app_label.migration_name"`` of the migration that holds it.
    migration: str | None = None


def format_finding(finding: Finding) -> str:
    """Render a finding as two lines: what and where, then the safe way."""
    where = f"{finding.migration}: " if finding.migration else ""
    return (
        f"{where}{finding.code} [{finding.level}] {finding.message}\n"
        f"    hint: {finding.hint}"
    )


def lint_migration(
    migration: Any, *, vendor: str | None = None, project_state: Any = None
) -> list[Finding]:
    """Return the findings for ``migration``'s operations, in order.

    ``vendor`` (``"postgresql"``/``"mysql"``) keeps only the rules for that
    database; any other value checks for both. ``project_state`` is the
    state before the migration; without it the rules that compare a field
    with its previous definition are skipped. Codes listed in the
    migration's ``lint_ignore`` are left out (``"*"`` leaves out all).
    """
    context = _Context(migration, vendor, project_state)
    ignored = set(getattr(migration, "lint_ignore", ()) or ())
    findings: list[Finding] = []
    if "*" in ignored:
        return findings
    for operation in getattr(migration, "operations", ()):
        for code, subject, message in context.check(operation):
            if code in ignored or not context.applies(code):
                continue
            level, _title, hint = RULES[code]
            findings.append(Finding(code, subject, message, hint, level, context.label))
    return findings


Check = Iterator[tuple[str, Any, str]]


class _Context:
    """What the rules need: the migration, the vendor, the state so far."""

    def __init__(self, migration: Any, vendor: str | None, state: Any) -> None:
        self.migration = migration
        self.vendor = vendor if vendor in ("postgresql", "mysql") else None
        self.state = state.clone() if state is not None else None
        self.app_label: str = getattr(migration, "app_label", "") or ""
        name = getattr(migration, "name", None)
        self.label = f"{self.app_label}.{name}" if name else None
        #: Models created earlier in this migration: their tables are empty.
        self.new_models: set[str] = set()

    def applies(self, code: str) -> bool:
        return self.vendor in (None, "postgresql") or code not in _POSTGRESQL_ONLY

    def check(self, operation: Any) -> Check:
        """Run the operation's rules, then move the state past it."""
        kind = type(operation).__name__
        target = _target_model(operation)
        if kind == "CreateModel" and target:
            self.new_models.add(target)
        elif kind == "RenameModel" and target in self.new_models:
            self.new_models.add(str(operation.new_name).lower())
        elif target is None or target not in self.new_models:
            rule = _RULES_BY_OPERATION.get(kind)
            if rule is not None:
                yield from rule(self, operation)
        self._advance(operation)

    def _advance(self, operation: Any) -> None:
        if self.state is None:
            return
        # A state that cannot follow an operation only turns off the rules
        # that compare with it; linting goes on with the others.
        try:
            operation.state_forwards(self.app_label, self.state)
        except Exception:
            self.state = None

    def old_field(self, model_name: str, name: str) -> Any:
        """Return the field as the state before the operation had it."""
        model_state = self.model_state(model_name)
        if model_state is None:
            return None
        fields = model_state.fields
        if isinstance(fields, dict):
            return fields.get(name)
        return dict(fields).get(name)

    def model_state(self, model_name: str) -> Any:
        if self.state is None:
            return None
        models = getattr(self.state, "models", {})
        return models.get((self.app_label, model_name.lower()))


def _target_model(operation: Any) -> str | None:
    """Return the lowercased name of the model the operation changes."""
    if type(operation).__name__ == "RenameModel":
        return str(operation.old_name).lower()
    # Field and index operations name their model in model_name; model
    # operations in name.
    for attribute in ("model_name", "name"):
        value = getattr(operation, attribute, None)
        if isinstance(value, str):
            return value.lower()
    return None


def _describe(operation: Any) -> str:
    describe = getattr(operation, "describe", None)
    return str(describe()) if callable(describe) else type(operation).__name__


def _is_foreign_key(field: Any) -> bool:
    return bool(
        getattr(field, "remote_field", None) is not None
        and not getattr(field, "many_to_many", False)
        and getattr(field, "db_constraint", True)
    )


def _has_db_default(field: Any) -> bool:
    has = getattr(field, "has_db_default", None)
    return bool(has()) if callable(has) else False


def _column(field: Any, name: str) -> str:
    if getattr(field, "db_column", None):
        return str(field.db_column)
    if getattr(field, "remote_field", None) is not None:
        return f"{name}_id"
    return name


def _indexed(field: Any) -> bool:
    return bool(getattr(field, "db_index", False) or getattr(field, "unique", False))


def _type_signature(field: Any) -> tuple[Any, ...]:
    internal = getattr(field, "get_internal_type", None)
    kind = internal() if callable(internal) else type(field).__name__
    return (
        kind,
        getattr(field, "max_length", None),
        getattr(field, "max_digits", None),
        getattr(field, "decimal_places", None),
        getattr(field, "db_collation", None),
    )


def _widens_varchar(old: Any, new: Any, vendor: str | None) -> bool:
    """Tell whether only a CharField's max_length grew (cheap on PostgreSQL)."""
    old_sig, new_sig = _type_signature(old), _type_signature(new)
    if vendor != "postgresql" or old_sig[0] != new_sig[0]:
        return False
    if old_sig[2:] != new_sig[2:] or None in (old_sig[1], new_sig[1]):
        return False
    return bool(new_sig[1] > old_sig[1])


# Rules, one function per operation class name.


def _add_field(context: _Context, operation: Any) -> Check:
    field = operation.field
    where = f"{operation.model_name}.{operation.name}"
    if getattr(field, "many_to_many", False):
        return
    if not getattr(field, "null", False) and not _has_db_default(field):
        yield (
            "M001",
            operation,
            f"{_describe(operation)}: {where} is NOT NULL without db_default, "
            "so every existing row is written while the table is locked.",
        )
    if _indexed(field):
        yield (
            "M002",
            operation,
            f"{_describe(operation)}: the index on {where} is built while "
            "writes to the table are blocked.",
        )
    if _is_foreign_key(field):
        yield (
            "M004",
            operation,
            f"{_describe(operation)}: the foreign key on {where} is checked "
            "against every row while both tables are locked.",
        )


def _alter_field(context: _Context, operation: Any) -> Check:
    old = context.old_field(operation.model_name, operation.name)
    if old is None:
        return
    new = operation.field
    where = f"{operation.model_name}.{operation.name}"
    column_old = _column(old, operation.name)
    column_new = _column(new, operation.name)
    if column_old != column_new:
        yield (
            "M003",
            operation,
            f"{_describe(operation)}: renames column {column_old} to "
            f"{column_new} under running code that still uses the old name.",
        )
    if _type_signature(old) != _type_signature(new) and not _widens_varchar(
        old, new, context.vendor
    ):
        yield (
            "M003",
            operation,
            f"{_describe(operation)}: changes the type of {where}, which "
            "rewrites the table under an exclusive lock.",
        )
    if getattr(old, "null", False) and not getattr(new, "null", False):
        yield (
            "M007",
            operation,
            f"{_describe(operation)}: makes {where} NOT NULL, which scans the "
            "whole table under an exclusive lock.",
        )
    if _indexed(new) and not _indexed(old):
        yield (
            "M002",
            operation,
            f"{_describe(operation)}: the new index on {where} is built while "
            "writes to the table are blocked.",
        )
    if _is_foreign_key(new) and not _is_foreign_key(old):
        yield (
            "M004",
            operation,
            f"{_describe(operation)}: the new foreign key on {where} is "
            "checked against every row while both tables are locked.",
        )


def _rename_field(context: _Context, operation: Any) -> Check:
    old = context.old_field(operation.model_name, operation.old_name)
    if old is not None and getattr(old, "db_column", None):
        return  # The column keeps its name.
    yield (
        "M003",
        operation,
        f"{_describe(operation)}: renames the column in place; code deployed "
        "before the migration still uses the old name.",
    )


def _rename_model(context: _Context, operation: Any) -> Check:
    model_state = context.model_state(operation.old_name)
    if model_state is not None and model_state.options.get("db_table"):
        return  # The table keeps its name.
    yield (
        "M003",
        operation,
        f"{_describe(operation)}: renames the table in place; code deployed "
        "before the migration still uses the old name.",
    )


def _alter_model_table(context: _Context, operation: Any) -> Check:
    yield (
        "M003",
        operation,
        f"{_describe(operation)}: renames the table in place; code deployed "
        "before the migration still uses the old name.",
    )


def _remove_field(context: _Context, operation: Any) -> Check:
    yield (
        "M005",
        operation,
        f"{_describe(operation)}: drops {operation.model_name}.{operation.name}"
        "; code deployed before the migration still reads it.",
    )


def _delete_model(context: _Context, operation: Any) -> Check:
    yield (
        "M005",
        operation,
        f"{_describe(operation)}: drops the table; code deployed before the "
        "migration still reads it.",
    )


def _add_index(context: _Context, operation: Any) -> Check:
    yield (
        "M002",
        operation,
        f"{_describe(operation)}: the index is built while writes to the table "
        "are blocked.",
    )


def _add_constraint(context: _Context, operation: Any) -> Check:
    constraint = operation.constraint
    if type(constraint).__name__ == "UniqueConstraint":
        yield (
            "M002",
            operation,
            f"{_describe(operation)}: the unique index is built while writes "
            "to the table are blocked.",
        )
    else:
        yield (
            "M004",
            operation,
            f"{_describe(operation)}: the constraint is checked against every "
            "row while the table is locked.",
        )


def _alter_unique_together(context: _Context, operation: Any) -> Check:
    new = {tuple(fields) for fields in operation.option_value or ()}
    model_state = context.model_state(operation.name)
    old: set[tuple[str, ...]] = set()
    if model_state is not None:
        old = {tuple(f) for f in model_state.options.get("unique_together", ())}
    if new - old:
        yield (
            "M002",
            operation,
            f"{_describe(operation)}: the unique index is built while writes "
            "to the table are blocked.",
        )


def _run_code(context: _Context, operation: Any) -> Check:
    atomic_migration = getattr(context.migration, "atomic", True)
    if atomic_migration or getattr(operation, "atomic", None) is True:
        yield (
            "M006",
            operation,
            f"{_describe(operation)}: runs in the migration's transaction; on "
            "a big table its locks are held until the whole migration commits.",
        )


def _separate(context: _Context, operation: Any) -> Check:
    # Only the database side touches tables; the state side is free.
    inner = _Context(context.migration, context.vendor, None)
    inner.state = context.state.clone() if context.state is not None else None
    inner.new_models = set(context.new_models)
    for database_operation in _as_list(operation.database_operations):
        yield from inner.check(database_operation)


def _as_list(operations: Iterable[Any] | None) -> list[Any]:
    return list(operations or ())


_RULES_BY_OPERATION: dict[str, Callable[[_Context, Any], Check]] = {
    "AddField": _add_field,
    "AlterField": _alter_field,
    "RenameField": _rename_field,
    "RenameModel": _rename_model,
    "AlterModelTable": _alter_model_table,
    "RemoveField": _remove_field,
    "DeleteModel": _delete_model,
    "AddIndex": _add_index,
    "AddConstraint": _add_constraint,
    "AlterUniqueTogether": _alter_unique_together,
    "RunSQL": _run_code,
    "RunPython": _run_code,
    "SeparateDatabaseAndState": _separate,
}
