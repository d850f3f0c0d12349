"""Plan and run migrations against one database, and record what ran.

Each migration runs in its own schema editor, so on databases with
transactional DDL (PostgreSQL, SQLite) a failing migration leaves no trace;
it is recorded only once it has finished. A failure is re-raised with a
note naming the migration (and, from ``Migration.apply``, the operation).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from manouche.db.migrations.exceptions import InvalidMigrationPlan
from manouche.db.migrations.loader import MigrationLoader
from manouche.db.migrations.recorder import MigrationRecorder

__all__ = ["MigrationExecutor"]

Key = tuple[str, str]
Target = tuple[str, str | None]
Plan = list[tuple[Any, bool]]


class MigrationExecutor:
    """Migrate ``connection`` to targets; ``progress_callback`` hears each step.

    The callback receives ``(action, migration=None, fake=False)`` with
    action one of ``apply_start``, ``apply_success``, ``unapply_start``,
    ``unapply_success``, ``render_start``, ``render_success``.
    """

    def __init__(
        self, connection: Any, progress_callback: Callable[..., Any] | None = None
    ) -> None:
        self.connection = connection
        self.loader = MigrationLoader(self.connection)
        self.recorder = MigrationRecorder(self.connection)
        self.progress_callback = progress_callback

    def _progress(self, action: str, *args: Any) -> None:
        if self.progress_callback is not None:
            self.progress_callback(action, *args)

    # Planning.

    def migration_plan(
        self, targets: Iterable[Target], clean_start: bool = False
    ) -> Plan:
        """``[(migration, backwards)]`` that takes the database to ``targets``.

        A target ``(app, None)`` unapplies the whole app; an applied target
        unapplies what comes after it in its app; any other is applied with
        its dependencies.
        """
        targets = list(targets)
        graph = self.loader.graph
        plan: Plan = []
        applied: dict[Key, Any] = (
            {} if clean_start else dict(self.loader.applied_migrations)
        )

        def unapply_from(start: Key) -> None:
            for key in graph.backwards_plan(start):
                if key in applied:
                    plan.append((graph.nodes[key], True))
                    applied.pop(key)

        for target in targets:
            app_label, name = target
            if name is None:
                for root in graph.root_nodes(app_label):
                    unapply_from(root)
                continue
            key: Key = (app_label, name)
            if key in applied:
                if self.loader.replace_migrations and key not in graph.node_map:
                    # A migration replaced by a squash: plan with originals.
                    self.loader.replace_migrations = False
                    self.loader.build_graph()
                    return self.migration_plan(targets, clean_start=clean_start)
                # Roll back only what follows the target in its own app.
                following = sorted(
                    child.key
                    for child in graph.node_map[key].children
                    if child.key[0] == app_label
                )
                for child in following:
                    unapply_from(child)
                continue
            for plan_key in graph.forwards_plan(key):
                if plan_key not in applied:
                    migration = graph.nodes[plan_key]
                    plan.append((migration, False))
                    applied[plan_key] = migration
        return plan

    def _create_project_state(self, with_applied_migrations: bool = False) -> Any:
        """A ProjectState of the unmigrated apps, plus applied migrations if asked."""
        from manouche.db.migrations.state import ProjectState

        state = ProjectState(real_apps=set(self.loader.unmigrated_apps))
        if with_applied_migrations:
            full_plan = self.migration_plan(
                self.loader.graph.leaf_nodes(), clean_start=True
            )
            applied = self._applied_in_graph()
            for migration, _ in full_plan:
                if migration in applied:
                    migration.mutate_state(state, preserve=False)
        return state

    def _applied_in_graph(self) -> set[Any]:
        nodes = self.loader.graph.nodes
        return {nodes[key] for key in self.loader.applied_migrations if key in nodes}

    # Running.

    def migrate(
        self,
        targets: Iterable[Target] | None,
        plan: Plan | None = None,
        state: Any = None,
        fake: bool = False,
        fake_initial: bool = False,
    ) -> Any:
        """Run ``plan`` (or the plan to ``targets``); return the final state."""
        self.recorder.ensure_schema()
        if plan is None:
            plan = self.migration_plan(targets or [])
        if plan and not plan[0][1] and not fake:
            # Never build on a history whose dependencies are out of order.
            self.loader.check_consistent_history(self.connection)
        full_plan = self.migration_plan(
            self.loader.graph.leaf_nodes(), clean_start=True
        )
        forwards = [not backwards for _, backwards in plan]
        if not plan:
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
        elif all(forwards):
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
            state = self._migrate_all_forwards(
                state, plan, full_plan, fake, fake_initial
            )
        elif not any(forwards):
            state = self._migrate_all_backwards(plan, full_plan, fake)
        else:
            raise InvalidMigrationPlan(
                "Migration plans with both forwards and backwards migrations are "
                "not supported. Please split your migration process into separate "
                "plans of only forwards OR backwards migrations.",
                plan,
            )
        self.check_replacements()
        return state

    def _render(self, state: Any) -> None:
        """Build the state's models once, before they are needed repeatedly."""
        if "apps" not in state.__dict__:
            state.apps  # noqa: B018 - rendering is the point

    def _migrate_all_forwards(
        self, state: Any, plan: Plan, full_plan: Plan, fake: bool, fake_initial: bool
    ) -> Any:
        to_run = {migration for migration, _ in plan}
        for migration, _ in full_plan:
            if not to_run:
                break
            if migration not in to_run:
                continue
            if "apps" not in state.__dict__:
                self._progress("render_start")
                self._render(state)
                self._progress("render_success")
            state = self.apply_migration(
                state, migration, fake=fake, fake_initial=fake_initial
            )
            to_run.discard(migration)
        return state

    def _migrate_all_backwards(self, plan: Plan, full_plan: Plan, fake: bool) -> Any:
        to_run = {migration for migration, _ in plan}
        states: dict[Any, Any] = {}
        state = self._create_project_state()
        applied = self._applied_in_graph()
        self._progress("render_start")
        # Walk the full history to find the state before each migration to undo.
        for migration, _ in full_plan:
            if not to_run:
                break
            if migration in to_run:
                self._render(state)
                states[migration] = state
                state = migration.mutate_state(state, preserve=True)
                to_run.discard(migration)
            elif migration in applied:
                migration.mutate_state(state, preserve=False)
        self._progress("render_success")
        for migration, _ in plan:
            self.unapply_migration(states[migration], migration, fake=fake)
            applied.discard(migration)
        last = plan[-1][0]
        state = states[last]
        state.__dict__.pop("apps", None)
        for index, (migration, _) in enumerate(full_plan):
            if migration == last:
                for later, _ in full_plan[index:]:
                    if later in applied:
                        later.mutate_state(state, preserve=False)
                break
        return state

    def apply_migration(
        self, state: Any, migration: Any, fake: bool = False, fake_initial: bool = False
    ) -> Any:
        """Apply one migration (or only record it when faked); return the state."""
        recorded = False
        self._progress("apply_start", migration, fake)
        if fake:
            # Later migrations of the plan still need to see its models.
            state = migration.mutate_state(state, preserve=False)
        elif fake_initial:
            # On success the returned state already includes the migration.
            fake, state = self.detect_soft_applied(state, migration)
        if not fake:
            try:
                with self.connection.schema_editor(atomic=migration.atomic) as editor:
                    if editor.atomic_migration or len(migration.operations) < 2:
                        state = migration.apply(state, editor)
                    else:
                        state = self._apply_undoably(state, migration, editor)
                    if not editor.deferred_sql:
                        # Recorded inside the migration's transaction.
                        self.record_migration(migration)
                        recorded = True
            except Exception as exc:
                _note(exc, f"Applying migration {migration} failed; not recorded.")
                raise
        if not recorded:
            self.record_migration(migration)
        self._progress("apply_success", migration, fake)
        return state

    def _apply_undoably(self, state: Any, migration: Any, editor: Any) -> Any:
        """Apply operation by operation, undoing the done ones on failure.

        For databases whose DDL cannot be rolled back (MariaDB/MySQL): a
        migration that fails half-way would otherwise leave its first
        operations in the database while the record says "not applied".
        """
        done: list[tuple[Any, Any, Any]] = []
        for operation in migration.operations:
            before = state.clone()
            step = copy.copy(migration)
            step.operations = [operation]
            try:
                state = step.apply(state, editor)
            except Exception as exc:
                _note(exc, self._undo(migration, editor, done))
                raise
            done.append((operation, before, state.clone()))
        return state

    @staticmethod
    def _undo(migration: Any, editor: Any, done: list[tuple[Any, Any, Any]]) -> str:
        """Run ``done`` operations backwards; say how that went."""
        if not done:
            return "No operation of it had run."
        for operation, before, after in reversed(done):
            if not operation.reversible:
                return (
                    f"Could not undo '{operation.describe()}' (irreversible): "
                    f"the database may hold part of {migration}."
                )
            try:
                operation.database_backwards(migration.app_label, editor, after, before)
            except Exception as undo_exc:
                return (
                    f"Undoing '{operation.describe()}' failed too ({undo_exc}): "
                    f"the database may hold part of {migration}."
                )
        return f"The {len(done)} operation(s) of it that had run were undone."

    def record_migration(self, migration: Any) -> None:
        """Record ``migration`` applied (a squash records what it replaces)."""
        if migration.replaces:
            for app_label, name in migration.replaces:
                self.recorder.record_applied(app_label, name)
        else:
            self.recorder.record_applied(migration.app_label, migration.name)

    def unapply_migration(self, state: Any, migration: Any, fake: bool = False) -> Any:
        """Undo one migration (or only its record when faked); return the state."""
        self._progress("unapply_start", migration, fake)
        if not fake:
            try:
                with self.connection.schema_editor(atomic=migration.atomic) as editor:
                    state = migration.unapply(state, editor)
            except Exception as exc:
                _note(exc, f"Unapplying migration {migration} failed; still recorded.")
                raise
        for app_label, name in migration.replaces:
            self.recorder.record_unapplied(app_label, name)
        self.recorder.record_unapplied(migration.app_label, migration.name)
        # A squash is only applied while everything it replaces is.
        key = (migration.app_label, migration.name)
        for replacement_key, replacement in self.loader.replacements.items():
            if key in replacement.replaces:
                self.recorder.record_unapplied(*replacement_key)
        self._progress("unapply_success", migration, fake)
        return state

    def check_replacements(self) -> None:
        """Record squashed migrations whose replaced migrations are all applied.

        Their replaced migrations may have been applied one by one; marking
        the squash too lets the originals be deleted later.
        """
        applied = self.recorder.applied_migrations()
        for key, migration in self.loader.replacements.items():
            if key not in applied and all(t in applied for t in migration.replaces):
                self.recorder.record_applied(*key)

    # --fake-initial.

    def detect_soft_applied(
        self, project_state: Any, migration: Any
    ) -> tuple[bool, Any]:
        """Whether an initial migration's tables and columns already exist.

        Returns ``(applied, state after the migration)``; used by
        ``--fake-initial`` to adopt a database built before migrations.
        """
        if migration.initial is None:
            if any(app == migration.app_label for app, _ in migration.dependencies):
                return False, project_state
        elif migration.initial is False:
            return False, project_state
        if project_state is None:
            after_state = self.loader.project_state(
                (migration.app_label, migration.name), at_end=True
            )
        else:
            after_state = migration.mutate_state(project_state)
        probe = _SoftAppliedProbe(self.connection, migration, after_state.apps)
        found = False
        for operation in migration.operations:
            verdict = probe.check(operation)
            if verdict is False:
                return False, project_state
            found = found or bool(verdict)
        return found, after_state


class _SoftAppliedProbe:
    """Look in the database for what one initial migration would create."""

    def __init__(self, connection: Any, migration: Any, apps: Any) -> None:
        self.connection = connection
        self.migration = migration
        self.apps = apps
        self.fold = bool(connection.features.ignores_table_name_case)
        self.tables = {self.norm(n) for n in connection.introspection.table_names()}

    def norm(self, name: str) -> str:
        return name.casefold() if self.fold else name

    def model(self, name: str) -> Any:
        """The historical model ``name`` (or what it is swapped for), or None.

        None means the model is not this database's concern: proxy,
        unmanaged or routed elsewhere.
        """
        from manouche.apps import apps as global_apps
        from manouche.db import router

        model = self.apps.get_model(self.migration.app_label, name)
        swapped = getattr(model._meta, "swapped", None)
        if swapped:
            model = global_apps.get_model(swapped)
        meta = model._meta
        if meta.proxy or not meta.managed:
            return None
        allowed = router.allow_migrate(
            self.connection.alias, self.migration.app_label, model_name=meta.model_name
        )
        return model if allowed else None

    def check(self, operation: Any) -> bool | None:
        """True if found, False if missing, None if the operation is not probed."""
        from manouche.db.migrations.operations import AddField, CreateModel

        if isinstance(operation, CreateModel):
            model = self.model(operation.name)
            if model is None:
                return None
            return self.norm(model._meta.db_table) in self.tables
        if isinstance(operation, AddField):
            model = self.model(operation.model_name)
            if model is None:
                return None
            field = model._meta.get_field(operation.name)
            if field.many_to_many:
                through = field.remote_field.through._meta.db_table
                return self.norm(through) in self.tables
            with self.connection.cursor() as cursor:
                columns = self.connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            return self.norm(field.column) in {self.norm(c.name) for c in columns}
        return None


def _note(exc: BaseException, text: str) -> None:
    if text not in getattr(exc, "__notes__", ()):
        exc.add_note(text)
