"""Create and destroy test databases; empty and drop tables between tests.

A new test database is built by ``migrate`` (apps without migrations are
synchronised directly); ``TEST: {"MIGRATE": False}`` creates every installed
model's table directly instead, without running any migration. Its rows
(those data migrations wrote) can be kept as JSON text and written back
after a flush, for ``TransactionTestCase.serialized_rollback``.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from typing import Any

__all__ = ["TEST_DATABASE_PREFIX", "BaseDatabaseCreation"]

TEST_DATABASE_PREFIX = "test_"


class BaseDatabaseCreation:
    """Test database life cycle for one connection (servers override the I/O)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def log(self, msg: str) -> None:
        """Write a progress message to stderr."""
        sys.stderr.write(msg + "\n")

    def _get_test_db_name(self) -> str:
        test_name = self.connection.settings_dict["TEST"].get("NAME")
        if test_name:
            return str(test_name)
        return TEST_DATABASE_PREFIX + str(self.connection.settings_dict["NAME"])

    def _get_database_display_str(self, verbosity: int, database_name: str) -> str:
        shown = f" ('{database_name}')" if verbosity >= 2 else ""
        return f"'{self.connection.alias}'{shown}"

    def create_test_db(
        self,
        verbosity: int = 1,
        autoclobber: bool = False,
        serialize: bool = True,
        keepdb: bool = False,
    ) -> str:
        """Create the test database, point the connection at it, build tables."""
        from manouche.conf import settings

        test_database_name = self._get_test_db_name()
        if verbosity >= 1:
            action = "Using existing" if keepdb else "Creating"
            self.log(
                f"{action} test database for alias "
                f"{self._get_database_display_str(verbosity, test_database_name)}..."
            )
        self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        databases = settings.DATABASES
        if self.connection.alias in databases:
            databases[self.connection.alias]["NAME"] = test_database_name
        self.connection.settings_dict["NAME"] = test_database_name
        self._register_wrapper()
        self.connection.ensure_connection()
        if self.connection.settings_dict["TEST"].get("MIGRATE", True) is False:
            self.create_tables_for_installed_models(keepdb=keepdb)
        else:
            self.migrate_test_db(verbosity)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        if os.environ.get("RUNNING_DJANGOS_TEST_SUITE") == "true":
            self.mark_expected_failures_and_skips()
        return test_database_name

    def mark_expected_failures_and_skips(self) -> None:
        """Mark the Django-suite tests the features list as failing or skipped."""
        from manouche.apps import apps
        from manouche.db.backends.base._suite_marks import (
            mark_expected_failures_and_skips,
        )

        configs = apps.get_app_configs()
        installed = {c.label for c in configs} | {c.name for c in configs}
        mark_expected_failures_and_skips(self.connection.features, installed)

    # Contents kept for serialized_rollback.

    def _serialized_models(self) -> Iterator[Any]:
        """The models whose rows are kept: migrated apps, migratable here.

        Apps without migrations hold no data-migration rows; apps named in
        ``TEST_NON_SERIALIZED_APPS`` are skipped on purpose.
        """
        from manouche.apps import apps
        from manouche.conf import settings
        from manouche.db import router
        from manouche.db.migrations.loader import MigrationLoader

        loader = MigrationLoader(self.connection)
        skipped = set(getattr(settings, "TEST_NON_SERIALIZED_APPS", None) or ())
        alias = self.connection.alias
        for app_config in apps.get_app_configs():
            if (
                app_config.models_module is None
                or app_config.label not in loader.migrated_apps
                or app_config.name in skipped
            ):
                continue
            for model in app_config.get_models():
                if model._meta.can_migrate(
                    self.connection
                ) and router.allow_migrate_model(alias, model):
                    yield model

    def serialize_db_to_string(self) -> str:
        """Return the rows of the migrated apps' models as JSON text."""
        from manouche.core import serializers

        alias = self.connection.alias

        def rows() -> Iterator[Any]:
            for model in self._serialized_models():
                manager = model._base_manager.using(alias)
                yield from manager.order_by(model._meta.pk.name).iterator()

        out = io.StringIO()
        serializers.serialize("json", rows(), indent=None, stream=out)
        return out.getvalue()

    def deserialize_db_from_string(self, data: str) -> None:
        """Write back rows kept by :meth:`serialize_db_to_string`.

        Rows may name rows that come later in the text: the load runs in
        one transaction with foreign key checks deferred (or switched off
        where they cannot be), and the loaded tables are checked at its end.
        """
        from manouche.core import serializers
        from manouche.db import transaction

        alias = self.connection.alias
        tables: set[str] = set()
        later: list[Any] = []
        with transaction.atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for item in serializers.deserialize(
                    "json", data, using=alias, handle_forward_references=True
                ):
                    item.save(using=alias)
                    if item.deferred_fields:
                        later.append(item)
                    tables.add(item.object._meta.db_table)
                for item in later:
                    item.save_deferred_fields(using=alias)
            check = getattr(self.connection, "check_constraints", None)
            if check is not None and tables:
                check(table_names=sorted(tables))

    def migrate_test_db(self, verbosity: int = 1) -> None:
        """Build the schema with ``migrate``, as a deployment would.

        Apps without migrations (or set to None in ``MIGRATION_MODULES``)
        get their tables created directly (``--run-syncdb``).
        """
        from manouche.core.management import call_command

        call_command(
            "migrate",
            verbosity=max(verbosity - 1, 0),
            interactive=False,
            database=self.connection.alias,
            run_syncdb=True,
        )

    def create_tables_for_installed_models(self, keepdb: bool = False) -> None:
        """Create the tables of every installed, migratable model that is missing."""
        from manouche.db import router

        models = _installed_models()
        alias = self.connection.alias
        models = [model for model in models if router.allow_migrate_model(alias, model)]
        if not models:
            return
        existing = set(self.connection.introspection.table_names())
        self._send_migrate_signal("pre_migrate")
        with self.connection.schema_editor() as editor:
            for model in models:
                if model._meta.db_table in existing:
                    continue
                editor.create_model(model)
        self._send_migrate_signal("post_migrate")

    def _send_migrate_signal(self, name: str) -> None:
        """Announce the tables of every app, as ``migrate`` will (content types...)."""
        from manouche.apps import apps
        from manouche.db.models import signals

        signal = getattr(signals, name)
        for app_config in apps.get_app_configs():
            if app_config.models_module is None:
                continue
            signal.send(
                sender=app_config,
                app_config=app_config,
                verbosity=0,
                interactive=False,
                using=self.connection.alias,
                apps=apps,
                plan=[],
            )

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool) -> str:
        """Create the database itself (servers); return its name."""
        name = self._get_test_db_name()
        self.create_test_database_named(name, keepdb=keepdb, autoclobber=autoclobber)
        return name

    def create_test_database_named(
        self, name: str, keepdb: bool = False, autoclobber: bool = True
    ) -> None:
        """Create the database ``name`` on the server (drop it first if it exists)."""

    def destroy_test_database_named(self, name: str) -> None:
        """Drop the database ``name`` on the server."""

    def destroy_test_db(
        self,
        old_database_name: str | None = None,
        verbosity: int = 1,
        keepdb: bool = False,
        suffix: str | None = None,
    ) -> None:
        """Destroy the test database and point the connection back at ``old``."""
        from manouche.conf import settings

        self.connection.close()
        test_database_name = str(self.connection.settings_dict["NAME"])
        if verbosity >= 1:
            action = "Preserving" if keepdb else "Destroying"
            self.log(
                f"{action} test database for alias "
                f"{self._get_database_display_str(verbosity, test_database_name)}..."
            )
        if not keepdb:
            self._destroy_test_db(test_database_name, verbosity)
        if old_database_name is not None:
            databases = settings.DATABASES
            if self.connection.alias in databases:
                databases[self.connection.alias]["NAME"] = old_database_name
            self.connection.settings_dict["NAME"] = old_database_name
            self._register_wrapper()

    def _register_wrapper(self) -> None:
        """File the wrapper again after its database changed (memory or not).

        An in-memory database is one wrapper shared by every thread: without
        this, the first query from another thread (an async view under the
        test client) would build a second wrapper and take the first's place.
        """
        from manouche.db import connections

        alias = self.connection.alias
        if connections.settings.get(alias) is not self.connection.settings_dict:
            return
        del connections[alias]
        connections[alias] = self.connection

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        from manouche.db.backends._engines import dispose_engines

        dispose_engines()
        self.destroy_test_database_named(test_database_name)

    def test_db_signature(self) -> tuple[Any, ...]:
        """Identify the test database, so aliases sharing one create it once."""
        settings_dict = self.connection.settings_dict
        return (
            settings_dict["HOST"],
            settings_dict["PORT"],
            settings_dict["ENGINE"],
            self._get_test_db_name(),
        )

    # Emptying.

    def flush_tables(
        self, tables: list[str] | None = None, reset_sequences: bool = False
    ) -> None:
        """Delete every row of ``tables`` (the installed models' existing tables)."""
        if tables is None:
            tables = self.connection.introspection.manouche_table_names(
                only_existing=True, include_views=False
            )
        if not tables:
            return
        sql_list = self.connection.ops.sql_flush(
            None, tables, reset_sequences=reset_sequences, allow_cascade=True
        )
        self.connection.ops.execute_sql_flush(sql_list)

    def drop_all_tables(self) -> None:
        """Drop every table of the database (test isolation helper)."""
        tables = self.connection.introspection.table_names()
        if not tables:
            return
        with self.connection.constraint_checks_disabled():
            editor = self.connection.schema_editor(atomic=False)
            for name in tables:
                editor.drop_table(name)


def _installed_models() -> list[Any]:
    from manouche.apps import apps

    get_models = getattr(apps, "get_models", None)
    if get_models is None:
        return []
    try:
        return list(get_models(include_auto_created=True))
    except Exception:
        return []
