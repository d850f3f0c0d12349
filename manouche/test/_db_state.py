"""What database test cases do to the databases around each test.

``TransactionTestCase`` may restrict the app registry to ``available_apps``,
writes back the rows kept after the test database was built
(``serialized_rollback``) and empties tables (restarting sequences with
``reset_sequences``). ``TestCase`` checks deferred foreign keys before it
rolls a test back, since its transactions never reach a commit where the
database would check them. The test case classes only call these helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = [
    "check_deferred_constraints",
    "enter_available_apps",
    "exit_available_apps",
    "reset_sequences",
    "restore_serialized_contents",
]


def _connections() -> Any:
    from manouche.db import connections

    return connections


def _announce_installed_apps(value: Any, enter: bool) -> None:
    from manouche.conf import settings
    from manouche.core.signals import setting_changed

    setting_changed.send(
        sender=type(getattr(settings, "_wrapped", settings)),
        setting="INSTALLED_APPS",
        value=value,
        enter=enter,
    )


def enter_available_apps(available_apps: Iterable[str] | None) -> None:
    """Restrict the app registry to ``available_apps`` (None: leave it)."""
    if available_apps is None:
        return
    from manouche.apps import apps

    apps.set_available_apps(available_apps)
    _announce_installed_apps(list(available_apps), enter=True)


def exit_available_apps(available_apps: Iterable[str] | None) -> None:
    """Undo :func:`enter_available_apps`."""
    if available_apps is None:
        return
    from manouche.apps import apps

    apps.unset_available_apps()
    _announce_installed_apps(None, enter=False)


def restore_serialized_contents(
    aliases: Iterable[str], available_apps: Iterable[str] | None
) -> None:
    """Write back the rows kept when each test database was built.

    The rows belong to every installed app, so the registry is widened
    to all of them for the load when ``available_apps`` narrowed it. A
    database created with ``TEST: {"SERIALIZE": False}`` kept nothing.
    """
    connections = _connections()
    for alias in sorted(aliases):
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is None:
            continue
        exit_available_apps(available_apps)
        try:
            connection.creation.deserialize_db_from_string(contents)
        finally:
            enter_available_apps(available_apps)


def reset_sequences(aliases: Iterable[str]) -> None:
    """Restart the installed models' key sequences, so keys start at 1 again."""
    from manouche.db import transaction

    connections = _connections()
    for alias in sorted(aliases):
        connection = connections[alias]
        if connection.vendor == "dummy":
            continue
        sequences = connection.introspection.sequence_list()
        statements = connection.ops.sequence_reset_by_name_sql(None, sequences)
        if not statements:
            continue
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _should_check(connection: Any) -> bool:
    return bool(
        connection.vendor != "dummy"
        and connection.features.can_defer_constraint_checks
        and connection.in_atomic_block
        and not connection.needs_rollback
        and connection.connection is not None
    )


def check_deferred_constraints(aliases: Iterable[str]) -> None:
    """Run the deferred foreign key checks of each test transaction now.

    A row left pointing at nothing would fail at commit; a ``TestCase``
    never commits, so it is reported here and the test fails.
    """
    connections = _connections()
    for alias in sorted(aliases):
        connection = connections[alias]
        if _should_check(connection):
            connection.check_constraints()
