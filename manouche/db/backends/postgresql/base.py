"""PostgreSQL through psycopg 3: sync engine and a real async engine.

Connections are checked out of SQLAlchemy pools with pre-ping, connect in
at most ``connect_timeout`` seconds and run in autocommit mode with
explicit BEGIN; time zone UTC is set per connection when USE_TZ is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import psycopg
import sqlalchemy as sa
from psycopg.pq import Format
from sqlalchemy.engine import URL, CursorResult

from manouche.conf import settings
from manouche.db.backends.base._constraint_checks import PostgreSQLConstraintChecks
from manouche.db.backends.base._results import _DirectPlan
from manouche.db.backends.base.base import BaseDatabaseWrapper
from manouche.db.backends.postgresql._prepared import arun_prepared, run_prepared
from manouche.db.backends.postgresql.creation import DatabaseCreation
from manouche.db.backends.postgresql.features import DatabaseFeatures
from manouche.db.backends.postgresql.introspection import DatabaseIntrospection
from manouche.db.backends.postgresql.operations import DatabaseOperations
from manouche.db.backends.postgresql.schema import DatabaseSchemaEditor
from manouche.db.backends.postgresql.validation import DatabaseValidation

__all__ = ["DatabaseWrapper", "server_url"]

Database = psycopg


def server_url(
    settings_dict: dict[str, Any], drivername: str, database: str | None
) -> URL:
    """Build the URL of ``database`` on the server ``settings_dict`` names."""
    port = settings_dict.get("PORT")
    return URL.create(
        drivername,
        username=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=int(port) if port else None,
        database=database,
    )


# Column types whose binary form psycopg loads into the very values its
# text form gives: oid -> (text loader, binary loader), psycopg's own
# classes (by name, so the C and the Python implementations both match).
# float4 is absent on purpose: its text form is rounded to the shortest
# decimal, its binary form is the exact single-precision value.
_SAME_IN_BINARY: dict[int, tuple[str, str]] = {
    16: ("BoolLoader", "BoolBinaryLoader"),
    19: ("TextLoader", "TextBinaryLoader"),  # name
    20: ("IntLoader", "Int8BinaryLoader"),
    21: ("IntLoader", "Int2BinaryLoader"),
    23: ("IntLoader", "Int4BinaryLoader"),
    25: ("TextLoader", "TextBinaryLoader"),
    26: ("IntLoader", "OidBinaryLoader"),
    701: ("FloatLoader", "Float8BinaryLoader"),
    1042: ("TextLoader", "TextBinaryLoader"),  # char(n)
    1043: ("TextLoader", "TextBinaryLoader"),  # varchar
    1082: ("DateLoader", "DateBinaryLoader"),
    1083: ("TimeLoader", "TimeBinaryLoader"),
    1114: ("TimestampLoader", "TimestampBinaryLoader"),
    1184: ("TimestamptzLoader", "TimestamptzBinaryLoader"),
    1700: ("NumericLoader", "NumericBinaryLoader"),
    2950: ("UUIDLoader", "UUIDBinaryLoader"),
}
_PSYCOPG_PACKAGES = frozenset({"psycopg", "psycopg_c", "psycopg_binary"})
_BINARY: dict[str, Any] = {"binary": True}
_TEXT: dict[str, Any] = {}


def _stock_loader(adapters: Any, oid: int, fmt: Format, name: str) -> bool:
    loader = adapters.get_loader(oid, fmt)
    return (
        loader is not None
        and loader.__name__ == name
        and loader.__module__.partition(".")[0] in _PSYCOPG_PACKAGES
    )


def binary_results_safe(cursor: Any) -> bool:
    """Whether ``cursor``'s last result would load the same in binary format.

    True when every column has a type of ``_SAME_IN_BINARY`` and the
    connection loads it with psycopg's stock loaders (a loader registered
    by the application or a library keeps the text format).
    """
    description = cursor.description
    if not description:
        return False
    return _loads_same(cursor.adapters, [column.type_code for column in description])


def _loads_same(adapters: Any, oids: Sequence[int]) -> bool:
    """Whether columns of types ``oids`` load the same in both formats."""
    for oid in oids:
        names = _SAME_IN_BINARY.get(oid)
        if names is None:
            return False
        text, binary = names
        if not (
            _stock_loader(adapters, oid, Format.TEXT, text)
            and _stock_loader(adapters, oid, Format.BINARY, binary)
        ):
            return False
    return True


def _binary_replay(raw: Any, plan: _DirectPlan) -> bool | None:
    """Whether replays of ``plan`` on ``raw`` ask for binary; None: not learnt.

    ``plan.driver_state`` is (adapters, binary, column types): the decision
    for one connection's adapters, and the result's column types it came
    from. Another connection (a pool hands out several) decides from the
    same types with its own adapters, without a text replay.
    """
    state = plan.driver_state
    if state is None:
        return None
    adapters = raw.adapters
    if state[0] is adapters:
        return state[1]  # type: ignore[no-any-return]
    oids = state[2]
    binary = _loads_same(adapters, oids)
    plan.driver_state = (adapters, binary, oids)
    return binary


class DatabaseWrapper(PostgreSQLConstraintChecks, BaseDatabaseWrapper):
    """A connection to a PostgreSQL database."""

    vendor: ClassVar[str] = "postgresql"
    display_name: ClassVar[str] = "PostgreSQL"
    sa_driver: ClassVar[str] = "postgresql+psycopg"
    sa_async_driver: ClassVar[str | None] = "postgresql+psycopg_async"
    Database = psycopg
    SchemaEditorClass = DatabaseSchemaEditor
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def get_engine_url(self) -> URL:
        """Return the psycopg URL (NAME defaults to "postgres")."""
        name = self.settings_dict.get("NAME") or "postgres"
        return server_url(self.settings_dict, self.sa_driver, name)

    def get_engine_options(self) -> dict[str, Any]:
        """Connect within ``connect_timeout`` seconds, UTC sessions with USE_TZ."""
        options = super().get_engine_options()
        connect_args = dict(options["connect_args"])
        connect_args.setdefault("connect_timeout", self.connect_timeout)
        if settings.USE_TZ:
            zone = self.settings_dict.get("TIME_ZONE") or "UTC"
            connect_args.setdefault("options", f"-c TimeZone={zone}")
        connect_args.pop("isolation_level", None)
        connect_args.pop("server_side_binding", None)
        options["connect_args"] = connect_args
        return options

    def _create_engine(self) -> sa.Engine:
        return sa.create_engine(self.get_engine_url(), **self.get_engine_options())

    def _run_direct(
        self, raw: Any, cursor: Any, plan: _DirectPlan, parameters: Any
    ) -> list[Any]:
        """Ask for binary results where they load to the same values.

        Parsing text is most of psycopg's work on a large fetch (binary
        halves its CPU time on integer and float columns). Once the format
        is learnt, outside transactions the statement runs as our own
        prepared statement, below psycopg's cursor (see ``_prepared``).
        """
        binary = _binary_replay(raw, plan)
        if binary is not None and type(parameters) is tuple:
            # Learnt already: run it as our own prepared statement.
            prepared = run_prepared(raw, plan.sql, parameters, binary)
            if prepared is not None:
                return prepared
        cursor.execute(plan.sql, parameters, **(_BINARY if binary else _TEXT))
        rows: list[Any] = cursor.fetchall()
        if binary is None:
            self._direct_learn(raw, cursor, plan)
        return rows

    async def _arun_direct(
        self, raw: Any, plan: _DirectPlan, parameters: Any
    ) -> list[Any] | None:
        """Once its format is learnt, run ``plan`` as our own prepared statement.

        The async twin of ``_run_direct``'s first step (see ``_prepared``);
        None leaves the replay to psycopg's cursor.
        """
        binary = _binary_replay(raw, plan)
        if binary is None or type(parameters) is not tuple:
            return None
        return await arun_prepared(raw, plan.sql, parameters, binary)

    def _direct_rowcount(self, cursor: Any, rows: list[Any]) -> int:
        """A replayed SELECT's rowcount: its rows (the cursor may not have run it)."""
        return len(rows)

    def _direct_options(self, raw: Any, plan: _DirectPlan) -> dict[str, Any]:
        """The ``execute`` options of a replay of ``plan`` on ``raw``.

        Text until the column types are known (``_direct_learn``), then
        binary where every column loads the same (see ``_binary_replay``).
        """
        return _BINARY if _binary_replay(raw, plan) else _TEXT

    def _direct_learn(self, raw: Any, cursor: Any, plan: _DirectPlan) -> None:
        """Decide the result format of later replays from a text result.

        ``cursor`` ran the statement on ``raw`` (a replay's, or Core's first
        execution: then the first replay already asks for binary). Only its
        column types are read (none known: the next replay looks again);
        ``raw``'s adapters decide how they load.
        """
        state = plan.driver_state
        adapters = raw.adapters
        description = cursor.description
        if description and (state is None or state[0] is not adapters):
            oids = tuple(column.type_code for column in description)
            plan.driver_state = (adapters, _loads_same(adapters, oids), oids)

    def _remember_plan(
        self, statement: Any, result: CursorResult[Any], parameters: Any
    ) -> None:
        """Plan ``statement`` and decide its replays' format from this result."""
        super()._remember_plan(statement, result, parameters)
        entry = self._direct_plans.get(id(statement))
        if entry is not None and entry[1] is not None:
            cursor: Any = result.cursor
            self._direct_learn(cursor.connection, cursor, entry[1])

    def disable_constraint_checking(self) -> bool:
        """PostgreSQL cannot turn FK checks off; DROP ... CASCADE is used."""
        return False
