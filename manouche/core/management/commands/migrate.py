"""migrate: bring the database schema to the migrations' latest (or a target)."""

from __future__ import annotations

import sys
import time
from importlib import import_module
from typing import Any, ClassVar

from manouche.apps import apps
from manouche.core.management._migrations import find_migration
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.management.sql import (
    emit_post_migrate_signal,
    emit_pre_migrate_signal,
)
from manouche.db import DEFAULT_DB_ALIAS, connections, router
from manouche.db.migrations.exceptions import (
    InconsistentMigrationHistory,
    NodeNotFoundError,
)
from manouche.db.migrations.executor import MigrationExecutor
from manouche.utils.module_loading import module_has_submodule

__all__ = ["Command"]


class Command(BaseCommand):
    """Apply or unapply migrations, and create tables of apps without any."""

    help = (
        "Updates database schema. Manages both apps with migrations and those without."
    )
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-checks", action="store_true", help="Skip system checks."
        )
        parser.add_argument(
            "app_label",
            nargs="?",
            help="App label of an application to synchronize the state.",
        )
        parser.add_argument(
            "migration_name",
            nargs="?",
            help="Database state will be brought to the state after that "
            'migration. Use the name "zero" to unapply all migrations.',
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells manouche to NOT prompt the user for input of any kind.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help='Nominates a database to synchronize. Defaults to "default".',
        )
        parser.add_argument(
            "--fake",
            action="store_true",
            help="Mark migrations as run without actually running them.",
        )
        parser.add_argument(
            "--fake-initial",
            action="store_true",
            help="Detect if tables already exist and fake-apply initial "
            "migrations if so. Make sure that the current database schema "
            "matches your initial migration before using this flag.",
        )
        parser.add_argument(
            "--plan",
            action="store_true",
            help="Shows a list of the migration actions that will be performed.",
        )
        parser.add_argument(
            "--run-syncdb",
            action="store_true",
            help="Creates tables for apps without migrations.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            dest="check_unapplied",
            help="Exits with a non-zero status if unapplied migrations exist and "
            "does not actually apply migrations.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            dest="prune",
            help="Delete nonexistent migrations from the manouche_migrations table.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The connection '{database}' doesn't exist.")
        if not options.get("skip_checks"):
            self.check(databases=[database])
        self.verbosity = int(options.get("verbosity", 1))
        self.interactive = bool(options.get("interactive", True))
        self._started = 0.0
        self._after_migrations_sql: list[Any] = []
        # Apps' management modules connect their signal receivers on import.
        for app_config in apps.get_app_configs():
            if app_config.module is not None and module_has_submodule(
                app_config.module, "management"
            ):
                import_module(".management", app_config.name)

        connection = connections[database]
        executor = self._executor(connection)
        self._check_graph(executor.loader, connection)
        app_label = options.get("app_label")
        run_syncdb = bool(options.get("run_syncdb"))
        if app_label:
            self._check_app(executor.loader, app_label, run_syncdb)
        targets, whole_apps = self._targets(
            executor.loader, app_label, options.get("migration_name")
        )
        if options.get("prune"):
            if not app_label:
                raise CommandError(
                    "Migrations can be pruned only when an app is specified."
                )
            self._prune(executor, app_label)

        plan = executor.migration_plan(targets)
        if options.get("plan"):
            self._show_plan(plan)
            if options.get("check_unapplied") and plan:
                sys.exit(1)
            return
        if options.get("check_unapplied"):
            if plan:
                sys.exit(1)
            return
        if options.get("prune"):
            return
        sync = run_syncdb and bool(executor.loader.unmigrated_apps)
        if self.verbosity >= 1:
            self._show_intent(executor.loader, targets, whole_apps, app_label, sync)
        self._run(executor, targets, plan, app_label if sync else None, sync, options)

    def _run(
        self,
        executor: MigrationExecutor,
        targets: list[tuple[str, str | None]],
        plan: list[tuple[Any, bool]],
        sync_label: str | None,
        sync: bool,
        options: dict[str, Any],
    ) -> None:
        """Signal, sync unmigrated apps, migrate, signal again."""
        connection = executor.connection
        loader = executor.loader
        pre_state = executor._create_project_state(with_applied_migrations=True)
        emit_pre_migrate_signal(
            self.verbosity,
            self.interactive,
            connection.alias,
            stdout=self.stdout,
            apps=pre_state.apps,
            plan=plan,
        )
        if sync:
            if self.verbosity >= 1:
                self.stdout.write(
                    self.style.MIGRATE_HEADING("Synchronizing apps without migrations:")
                )
            labels = [sync_label] if sync_label else sorted(loader.unmigrated_apps)
            self.sync_apps(connection, labels)

        if self.verbosity >= 1:
            self.stdout.write(self.style.MIGRATE_HEADING("Running migrations:"))
        if not plan and self.verbosity >= 1:
            self.stdout.write("  No migrations to apply.")
            self._hint_unmade_changes(loader)
        try:
            post_state = executor.migrate(
                targets,
                plan=plan,
                state=pre_state.clone(),
                fake=bool(options.get("fake")) and bool(plan),
                fake_initial=bool(options.get("fake_initial")) and bool(plan),
            )
        except Exception as exc:
            if self.verbosity >= 1 and self._started:
                self.stdout.write(self.style.ERROR(" FAILED"))
            raise CommandError(_failure_message(exc)) from exc
        self._run_after_migrations_sql(connection)
        post_state.clear_delayed_apps_cache()
        post_apps = post_state.apps
        self._rerender_real_models(post_apps)
        emit_post_migrate_signal(
            self.verbosity,
            self.interactive,
            connection.alias,
            stdout=self.stdout,
            apps=post_apps,
            plan=plan,
        )

    @staticmethod
    def _check_graph(loader: Any, connection: Any) -> None:
        """Refuse an inconsistent history or an app with several leaves."""
        try:
            loader.check_consistent_history(connection)
        except InconsistentMigrationHistory as exc:
            raise CommandError(str(exc)) from exc
        conflicts = loader.detect_conflicts()
        if conflicts:
            listed = "; ".join(
                f"{', '.join(names)} in {app}"
                for app, names in sorted(conflicts.items())
            )
            raise CommandError(
                "Conflicting migrations detected; multiple leaf nodes in the "
                f"migration graph: ({listed}).\nTo fix them run "
                "'manouche makemigrations --merge'"
            )

    @staticmethod
    def _check_app(loader: Any, app_label: str, run_syncdb: bool) -> None:
        try:
            apps.get_app_config(app_label)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if run_syncdb:
            if app_label in loader.migrated_apps:
                raise CommandError(
                    f"Can't use run_syncdb with app '{app_label}' as it has migrations."
                )
        elif app_label not in loader.migrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations.")

    # Steps.

    def _executor(self, connection: Any) -> MigrationExecutor:
        try:
            return MigrationExecutor(connection, self.migration_progress_callback)
        except (NodeNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:
            from manouche.db.migrations.exceptions import (
                BadMigrationError,
                CircularDependencyError,
            )

            if isinstance(exc, (BadMigrationError, CircularDependencyError)):
                name = type(exc).__name__
                raise CommandError(f"{name}: {exc}") from exc
            raise

    def _targets(
        self, loader: Any, app_label: str | None, migration_name: str | None
    ) -> tuple[list[tuple[str, str | None]], bool]:
        """The targets asked for, and whether they are whole apps' latest."""
        if app_label and migration_name:
            if migration_name == "zero":
                return [(app_label, None)], False
            migration = find_migration(loader, app_label, migration_name)
            target: tuple[str, str] = (app_label, migration.name)
            # A partly applied squash is not in the graph: aim at its last
            # replaced migration instead.
            if target not in loader.graph.nodes and target in loader.replacements:
                target = tuple(loader.replacements[target].replaces[-1])
            return [target], False
        if app_label:
            return [
                key for key in loader.graph.leaf_nodes() if key[0] == app_label
            ], True
        return list(loader.graph.leaf_nodes()), True

    def _prune(self, executor: MigrationExecutor, app_label: str) -> None:
        loader = executor.loader
        if self.verbosity > 0:
            self.stdout.write(self.style.MIGRATE_HEADING("Pruning migrations:"))
        to_prune = sorted(
            key
            for key in set(loader.applied_migrations) - set(loader.disk_migrations)
            if key[0] == app_label
        )
        blocked = sorted(
            key
            for key, migration in loader.replacements.items()
            if any(tuple(replaced) in to_prune for replaced in migration.replaces)
        )
        if blocked:
            self.stdout.write(
                self.style.NOTICE(
                    "  Cannot use --prune because the following squashed migrations "
                    "have their 'replaces' attributes and may not be recorded as "
                    "applied:"
                )
            )
            for app, name in blocked:
                self.stdout.write(f"    {app}.{name}")
            self.stdout.write(
                self.style.NOTICE(
                    "  Re-run 'manouche migrate' if they are not marked as applied, "
                    "and remove 'replaces' attributes in their Migration classes."
                )
            )
            return
        if not to_prune:
            if self.verbosity > 0:
                self.stdout.write("  No migrations to prune.")
            return
        for app, name in to_prune:
            if self.verbosity > 0:
                self.stdout.write(
                    self.style.MIGRATE_LABEL(f"  Pruning {app}.{name}"), ending=""
                )
            executor.recorder.record_unapplied(app, name)
            if self.verbosity > 0:
                self.stdout.write(self.style.SUCCESS(" OK"))

    def _show_plan(self, plan: list[tuple[Any, bool]]) -> None:
        self.stdout.write(self.style.MIGRATE_LABEL("Planned operations:"))
        if not plan:
            self.stdout.write("  No planned migration operations.")
            return
        for migration, backwards in plan:
            self.stdout.write(self.style.MIGRATE_HEADING(str(migration)))
            for operation in migration.operations:
                message, is_error = self.describe_operation(operation, backwards)
                line = "    " + message
                self.stdout.write(self.style.WARNING(line) if is_error else line)

    def _show_intent(
        self,
        loader: Any,
        targets: list[tuple[str, str | None]],
        whole_apps: bool,
        app_label: str | None,
        sync: bool,
    ) -> None:
        write = self.stdout.write
        label = self.style.MIGRATE_LABEL
        write(self.style.MIGRATE_HEADING("Operations to perform:"))
        if sync:
            if app_label:
                write(label(f"  Synchronize unmigrated app: {app_label}"))
            else:
                names = ", ".join(sorted(loader.unmigrated_apps))
                write(label("  Synchronize unmigrated apps: ") + names)
        if whole_apps:
            names = ", ".join(sorted({app for app, _ in targets})) or "(none)"
            write(label("  Apply all migrations: ") + names)
        elif targets[0][1] is None:
            write(label("  Unapply all migrations: ") + str(targets[0][0]))
        else:
            write(
                label("  Target specific migration: ")
                + f"{targets[0][1]}, from {targets[0][0]}"
            )

    def _hint_unmade_changes(self, loader: Any) -> None:
        """Say so when models have changes no migration holds yet."""
        try:
            from manouche.db.migrations.autodetector import MigrationAutodetector
            from manouche.db.migrations.state import ProjectState
        except ImportError:
            return
        autodetector = MigrationAutodetector(
            loader.project_state(), ProjectState.from_apps(apps)
        )
        changes = autodetector.changes(graph=loader.graph)
        if changes:
            names = ", ".join(repr(app) for app in sorted(changes))
            self.stdout.write(
                self.style.NOTICE(
                    f"  Your models in app(s): {names} have changes that are not "
                    "yet reflected in a migration, and so won't be applied."
                )
            )
            self.stdout.write(
                self.style.NOTICE(
                    "  Run 'manouche makemigrations' to make new migrations, and "
                    "then re-run 'manouche migrate' to apply them."
                )
            )

    @staticmethod
    def _rerender_real_models(post_apps: Any) -> None:
        """Render unmigrated apps' models again, now with their relations."""
        from manouche.db.migrations.state import ModelState

        real_models = getattr(post_apps, "real_models", None)
        if not real_models:
            return
        keys = []
        with post_apps.bulk_update():
            for model_state in real_models:
                key = (model_state.app_label, model_state.name_lower)
                keys.append(key)
                post_apps.unregister_model(*key)
        post_apps.render_multiple(
            [ModelState.from_model(apps.get_model(*key)) for key in keys]
        )

    # Progress.

    def migration_progress_callback(
        self, action: str, migration: Any = None, fake: bool = False
    ) -> None:
        """Print each step as it starts and ends, with its duration."""
        if self.verbosity < 1:
            return
        write = self.stdout.write
        if action in ("apply_start", "unapply_start"):
            self._started = time.monotonic()
            verb = "Applying" if action == "apply_start" else "Unapplying"
            write(f"  {verb} {migration}...", ending="")
            self.stdout.flush()
        elif action in ("apply_success", "unapply_success"):
            elapsed = f" ({time.monotonic() - self._started:.3f}s)"
            self._started = 0.0
            word = " FAKED" if fake else " OK"
            write(self.style.SUCCESS(word + elapsed))
        elif action == "render_start" and self.verbosity >= 2:
            self._render_started = time.monotonic()
            write("  Rendering model states...", ending="")
            self.stdout.flush()
        elif action == "render_success" and self.verbosity >= 2:
            elapsed = f" ({time.monotonic() - self._render_started:.3f}s)"
            write(self.style.SUCCESS(" DONE" + elapsed))

    # Apps without migrations.

    def sync_apps(self, connection: Any, app_labels: Any) -> None:
        """Create the missing tables of the models of ``app_labels``."""
        wanted = set(app_labels)
        tables = set(connection.introspection.table_names())
        fold = bool(connection.features.ignores_table_name_case)

        def norm(name: str) -> str:
            return name.casefold() if fold else name

        existing = {norm(name) for name in tables}
        manifest: list[tuple[str, list[Any]]] = []
        for app_config in apps.get_app_configs():
            if app_config.models_module is None or app_config.label not in wanted:
                continue
            models = router.get_migratable_models(
                app_config, connection.alias, include_auto_created=False
            )
            manifest.append(
                (
                    app_config.label,
                    [m for m in models if norm(m._meta.db_table) not in existing],
                )
            )
        if self.verbosity >= 1:
            self.stdout.write("  Creating tables...")
        with connection.schema_editor() as editor:
            for app_name, models in manifest:
                for model in models:
                    if not model._meta.can_migrate(connection):
                        continue
                    if self.verbosity >= 3:
                        self.stdout.write(
                            f"    Processing {app_name}.{model._meta.object_name} model"
                        )
                    if self.verbosity >= 1:
                        self.stdout.write(f"    Creating table {model._meta.db_table}")
                    editor.create_model(model)
                    existing.add(norm(model._meta.db_table))
            # Foreign keys to tables that migrations will create wait for them.
            now: list[Any] = []
            later: list[Any] = []
            for sql in editor.deferred_sql:
                element = getattr(sql, "element", None)
                referred = getattr(element, "referred_table", None)
                missing = referred is not None and norm(referred.name) not in existing
                (later if missing else now).append(sql)
            editor.deferred_sql = now
            self._after_migrations_sql.extend(later)
            if self.verbosity >= 1:
                self.stdout.write("    Running deferred SQL...")

    def _run_after_migrations_sql(self, connection: Any) -> None:
        """Add the synced apps' foreign keys to tables migrations created."""
        pending, self._after_migrations_sql = self._after_migrations_sql, []
        if not pending:
            return
        with connection.schema_editor() as editor:
            for sql in pending:
                editor.execute(sql)

    @staticmethod
    def describe_operation(operation: Any, backwards: bool) -> tuple[str, bool]:
        """``(text, is_error)`` describing ``operation`` for ``--plan``."""
        prefix = ""
        is_error = False
        action: Any = None
        if hasattr(operation, "code"):
            code = operation.reverse_code if backwards else operation.code
            action = (code.__doc__ or "") if code else None
        elif hasattr(operation, "sql"):
            action = operation.reverse_sql if backwards else operation.sql
        else:
            action = ""
            if backwards:
                prefix = "Undo "
        if action is not None:
            action = str(action).replace("\n", "")
        elif backwards:
            action = "IRREVERSIBLE"
            is_error = True
        if action:
            action = " -> " + action
        truncated = action is not None and len(action) > 1000
        if truncated:
            action = action[:1000] + "..."
        return prefix + operation.describe() + (action or ""), is_error


def _failure_message(exc: BaseException) -> str:
    """One readable message: the error and where it happened."""
    notes = list(getattr(exc, "__notes__", ()))
    text = f"{type(exc).__name__}: {str(exc).strip()}"
    if notes:
        text += "\n" + "\n".join(notes)
    return text
