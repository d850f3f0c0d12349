"""showmigrations: list migrations and whether each is applied."""

from __future__ import annotations

from typing import Any

from manouche.apps import apps
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.migrations.loader import MigrationLoader
from manouche.db.migrations.recorder import MigrationRecorder

__all__ = ["Command"]


class Command(BaseCommand):
    """Show every app's migrations ([X] applied), or the whole plan."""

    help = "Shows all available migrations for the current project"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "app_label",
            nargs="*",
            help="App labels of applications to limit the output to.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Nominates a database to show migrations for. Defaults to the "
            '"default" database.',
        )
        formats = parser.add_mutually_exclusive_group()
        formats.add_argument(
            "--list",
            "-l",
            action="store_const",
            dest="format",
            const="list",
            help="Shows a list of all migrations and which are applied. With a "
            "verbosity level of 2 or above, the applied datetimes will be "
            "included.",
        )
        formats.add_argument(
            "--plan",
            "-p",
            action="store_const",
            dest="format",
            const="plan",
            help="Shows all migrations in the order they will be applied. With a "
            "verbosity level of 2 or above all direct migration dependencies and "
            "reverse dependencies (run_before) will be included.",
        )
        parser.set_defaults(format="list")

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        database = options["database"]
        if database not in connections:
            raise CommandError(f"The connection '{database}' doesn't exist.")
        connection = connections[database]
        app_names = list(options.get("app_label") or [])
        self._validate_app_names(app_names)
        if options.get("format") == "plan":
            self.show_plan(connection, app_names)
        else:
            self.show_list(connection, app_names)

    @staticmethod
    def _validate_app_names(app_names: list[str]) -> None:
        problems = []
        for name in app_names:
            try:
                apps.get_app_config(name)
            except LookupError as exc:
                problems.append(str(exc))
        if problems:
            raise CommandError("\n".join(problems), returncode=2)

    def show_list(self, connection: Any, app_names: list[str] | None = None) -> None:
        """Each app's migrations in order: [X] applied, [ ] not, [-] half-recorded."""
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        recorded = MigrationRecorder(connection).applied_migrations()
        graph = loader.graph
        for app_name in app_names or sorted(loader.migrated_apps):
            self.stdout.write(app_name, self.style.MIGRATE_LABEL)
            shown: set[tuple[str, str]] = set()
            for leaf in graph.leaf_nodes(app_name):
                for key in graph.forwards_plan(leaf):
                    if key in shown or key[0] != app_name:
                        continue
                    shown.add(key)
                    self.stdout.write(self._list_line(loader, recorded, key))
            if not shown:
                self.stdout.write(" (no migrations)", self.style.ERROR)

    def _list_line(self, loader: Any, recorded: dict[Any, Any], key: Any) -> str:
        migration = loader.graph.nodes[key]
        title = key[1]
        if migration.replaces:
            title += f" ({len(migration.replaces)} squashed migrations)"
        applied = loader.applied_migrations.get(key)
        if not applied:
            return f" [ ] {title}"
        if key in recorded:
            line = f" [X] {title}"
        else:
            line = f" [-] {title} Run 'manouche migrate' to finish recording."
        when = getattr(applied, "applied", None)
        if self.verbosity >= 2 and when is not None:
            line += f" (applied at {when.strftime('%Y-%m-%d %H:%M:%S')})"
        return line

    def show_plan(self, connection: Any, app_names: list[str] | None = None) -> None:
        """Every migration in the order ``migrate`` would apply them."""
        loader = MigrationLoader(connection)
        graph = loader.graph
        leaves = graph.leaf_nodes()
        targets = (
            [key for key in leaves if key[0] in app_names] if app_names else leaves
        )
        seen: set[tuple[str, str]] = set()
        plan = []
        for target in targets:
            for key in graph.forwards_plan(target):
                if key not in seen:
                    seen.add(key)
                    plan.append(graph.node_map[key])
        for node in plan:
            deps = ""
            if self.verbosity >= 2:
                parents = [
                    f"{app}.{name}" for app, name in sorted(p.key for p in node.parents)
                ]
                if parents:
                    deps = f" ... ({', '.join(parents)})"
            mark = "X" if node.key in loader.applied_migrations else " "
            self.stdout.write(f"[{mark}]  {node.key[0]}.{node.key[1]}{deps}")
        if not plan:
            self.stdout.write("(no migrations)", self.style.ERROR)
