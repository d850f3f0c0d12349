"""``lintmigrations``: report migration operations unsafe on big tables.

The rules live in ``manouche.db.migrations.lint``; this command picks the
migrations, walks the project state through them so the rules can compare
fields with their previous definition, prints each finding with its safe
sequence, and exits non-zero when a finding reaches ``--fail-level``.
"""

from __future__ import annotations

import sys
from typing import Any

from manouche.apps import apps
from manouche.conf import settings
from manouche.core.management._migrations import find_migration
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.db import DEFAULT_DB_ALIAS, connections
from manouche.db.migrations.lint import LEVELS, Finding, lint_migration

__all__ = ["Command"]

_FAIL_LEVELS = (*LEVELS, "never")


class Command(BaseCommand):
    """Lint migrations for long locks and table rewrites."""

    help = (
        "Checks migrations for operations that lock or rewrite big tables on "
        "PostgreSQL and MariaDB, and prints the safe sequence for each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take an optional app and migration, a database and a fail level."""
        parser.add_argument(
            "app_label", nargs="?", help="Only lint this app's migrations."
        )
        parser.add_argument(
            "migration_name", nargs="?", help="Only lint this migration (a prefix)."
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Lint for this database's vendor (and its applied migrations).",
        )
        parser.add_argument(
            "--fail-level",
            choices=_FAIL_LEVELS,
            default="warning",
            help="Exit with status 1 when a finding is at or above this level "
            "(default: warning; 'never' always exits 0).",
        )
        parser.add_argument(
            "--unapplied",
            action="store_true",
            help="Only lint migrations not yet applied to --database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Lint the chosen migrations and report the findings."""
        app_label: str | None = options.get("app_label")
        migration_name: str | None = options.get("migration_name")
        alias: str = options.get("database") or DEFAULT_DB_ALIAS
        verbosity = int(options.get("verbosity", 1))
        if alias not in settings.DATABASES:
            raise CommandError(f"Unknown database '{alias}'.")
        connection = connections[alias]
        vendor = connection.vendor if connection.vendor != "sqlite" else None
        loader = self._loader(connection, app_label)
        plan = _full_plan(loader)
        selected = self._select(loader, plan, app_label, migration_name)
        if options.get("unapplied"):
            applied = set(loader.applied_migrations)
            selected = [m for m in selected if (m.app_label, m.name) not in applied]
        findings = _lint(loader, plan, selected, vendor)
        self._report(findings, len(selected), verbosity)
        if _fails(findings, options.get("fail_level") or "warning"):
            sys.exit(1)

    def _loader(self, connection: Any, app_label: str | None) -> Any:
        if app_label is not None:
            try:
                apps.get_app_config(app_label)
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
        from manouche.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(connection)
        if app_label is not None and app_label not in loader.migrated_apps:
            raise CommandError(f"App '{app_label}' does not have migrations.")
        return loader

    def _select(
        self,
        loader: Any,
        plan: list[Any],
        app_label: str | None,
        migration_name: str | None,
    ) -> list[Any]:
        """Return the migrations to lint, in the order they apply."""
        ignored = set(getattr(settings, "MIGRATION_LINT_IGNORE", ()) or ())
        if app_label is None:
            chosen = [m for m in plan if not _is_framework_app(m.app_label)]
        elif migration_name is None:
            chosen = [m for m in plan if m.app_label == app_label]
        else:
            wanted = find_migration(loader, app_label, migration_name)
            chosen = [m for m in plan if m == wanted]
        return [
            m
            for m in chosen
            if m.app_label not in ignored and f"{m.app_label}.{m.name}" not in ignored
        ]

    def _report(self, findings: list[Finding], linted: int, verbosity: int) -> None:
        current = None
        for finding in findings:
            if finding.migration != current:
                current = finding.migration
                self.stdout.write(self.style.MIGRATE_HEADING(f"{current}:"))
            style = {
                "error": self.style.ERROR,
                "warning": self.style.WARNING,
            }.get(finding.level, self.style.NOTICE)
            self.stdout.write(
                "  "
                + style(f"{finding.code} [{finding.level}]")
                + f" {finding.message}"
            )
            self.stdout.write(f"    hint: {finding.hint}")
        if verbosity > 0:
            self.stdout.write(_summary(findings, linted))


def _is_framework_app(app_label: str) -> bool:
    try:
        name = apps.get_app_config(app_label).name
    except LookupError:
        return False
    return bool(name == "manouche" or name.startswith("manouche."))


def _full_plan(loader: Any) -> list[Any]:
    """Every migration of the graph, each after its dependencies."""
    plan: list[Any] = []
    seen: set[tuple[str, str]] = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                plan.append(loader.graph.nodes[key])
    return plan


def _lint(
    loader: Any, plan: list[Any], selected: list[Any], vendor: str | None
) -> list[Finding]:
    """Walk the state through the whole plan, linting the selected ones."""
    wanted = set(selected)
    findings: list[Finding] = []
    state = _empty_state(loader)
    for migration in plan:
        if not wanted:
            break
        if migration in wanted:
            wanted.discard(migration)
            findings.extend(
                lint_migration(migration, vendor=vendor, project_state=state)
            )
        if state is not None:
            state = _advance(state, migration)
    return findings


def _empty_state(loader: Any) -> Any:
    try:
        from manouche.db.migrations.state import ProjectState

        return ProjectState(real_apps=set(loader.unmigrated_apps))
    except Exception:
        # Without a state the rules comparing with old fields are skipped.
        return None


def _advance(state: Any, migration: Any) -> Any:
    try:
        return migration.mutate_state(state, preserve=False)
    except Exception:
        return None


def _summary(findings: list[Finding], linted: int) -> str:
    noun = "migration" if linted == 1 else "migrations"
    if not findings:
        return f"Linted {linted} {noun}: no findings."
    counts = dict.fromkeys(LEVELS, 0)
    for finding in findings:
        counts[finding.level] = counts.get(finding.level, 0) + 1
    parts = ", ".join(f"{counts[level]} {level}" for level in reversed(LEVELS))
    found = "finding" if len(findings) == 1 else "findings"
    return f"Linted {linted} {noun}: {len(findings)} {found} ({parts})."


def _fails(findings: list[Finding], fail_level: str) -> bool:
    if fail_level == "never":
        return False
    threshold = LEVELS.index(fail_level)
    return any(LEVELS.index(finding.level) >= threshold for finding in findings)
