"""Values converted while instances are built give what Core's conversions give.

Replayed statements (the cached fetch and get() statements) hand the row
builder unconverted rows plus the column conversions (``PendingResult``);
the builder applies them as it stores each value. Each test reads through
Core first (the first execution), then through replays, on every backend.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from manouche.db import connection, models
from manouche.db.backends.base._results import ExecutionResult, PendingResult
from manouche.db.models import signals
from manouche.test.utils import isolate_apps, override_settings
from tests.db.models.modelapp.models import Everything
from tests.db.models_standin import Author as StandinAuthor
from tests.db.models_standin import author_table


class _Reversed(sa.types.TypeDecorator[str]):
    """Stores text reversed; reading turns it back (a custom read conversion)."""

    impl = sa.String(50)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return None if value is None else value[::-1]

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else f"<{value[::-1]}>"


class ReversedField(models.CharField):
    """A custom field whose column type converts values read back."""

    def sa_type(self) -> Any:
        return _Reversed()


def _state(obj: Any) -> list[tuple[str, str]]:
    data = {k: v for k, v in obj.__dict__.items() if not k.startswith("_state")}
    return sorted((key, repr(value)) for key, value in data.items())


def test_custom_read_conversion_applies_through_all_and_get(database: Any) -> None:
    with isolate_apps("tests.apps.custom_label"):

        class Note(models.Model):
            text = ReversedField(max_length=50, null=True)
            done = models.BooleanField(default=False)

            class Meta:
                app_label = "custom_label"

        database.create_models(Note)
        first = Note.objects.create(text="abc", done=True)
        Note.objects.create(text=None)
        for _ in range(3):  # Core, then replays
            fetched = [(n.text, n.done) for n in Note.objects.order_by("pk")]
            assert fetched == [("<abc>", True), (None, False)]
            got = Note.objects.get(pk=first.pk)
            assert (got.text, got.done) == ("<abc>", True)
            assert type(got.done) is bool


def test_booleans_and_nullable_booleans_are_bools_on_replays(mdb: Any) -> None:
    yes = Everything.objects.create(flag=True, maybe=None)
    no = Everything.objects.create(flag=False, maybe=False)
    for _ in range(3):
        rows = {e.pk: (e.flag, e.maybe) for e in Everything.objects.all()}
        assert rows == {yes.pk: (True, None), no.pk: (False, False)}
        assert all(type(flag) is bool for flag, _ in rows.values())
        got = Everything.objects.get(pk=no.pk)
        assert (got.flag, got.maybe) == (False, False)
        assert type(got.flag) is bool
        assert type(got.maybe) is bool
        assert Everything.objects.get(pk=yes.pk).maybe is None


def test_every_field_type_reads_the_same_through_get_replays(mdb: Any) -> None:
    obj = Everything.objects.create(
        flag=True,
        maybe=False,
        uid=uuid.UUID(int=9),
        when=datetime.datetime(2024, 5, 6, 7, 8, 9, 123456),
        day=datetime.date(2024, 5, 6),
        clock=datetime.time(1, 2, 3, 4),
        span=datetime.timedelta(days=2, microseconds=7),
        blob=b"\x01\x02",
        amount=decimal.Decimal("3.250"),
        ratio=0.5,
        data={"k": [1, "two", None]},
    )
    first = _state(Everything.objects.filter(pk=obj.pk).first())  # general path
    for _ in range(3):
        assert _state(Everything.objects.get(pk=obj.pk)) == first
        (again,) = Everything.objects.all()
        assert _state(again) == first


@override_settings(USE_TZ=True)
def test_aware_datetimes_read_the_same_through_replays(mdb: Any) -> None:
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    obj = Everything.objects.create(when=when)
    for _ in range(3):
        got = Everything.objects.get(pk=obj.pk)
        assert got.when == when
        assert got.when.tzinfo is not None
        (listed,) = Everything.objects.all()
        assert listed.when == when


def test_deferred_fields_still_load_after_converted_replays(mdb: Any) -> None:
    obj = Everything.objects.create(flag=True, maybe=True, text="t")
    for _ in range(3):
        got = Everything.objects.get(pk=obj.pk)
        assert got.flag is True
    only = Everything.objects.only("text").get(pk=obj.pk)
    assert only.get_deferred_fields() >= {"flag", "maybe"}
    assert only.flag is True
    assert only.maybe is True


def test_from_db_override_and_init_receivers_see_converted_values(
    mdb: Any,
) -> None:
    obj = Everything.objects.create(flag=True)
    for _ in range(2):
        Everything.objects.get(pk=obj.pk)
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance.flag)

    signals.post_init.connect(receiver, sender=Everything)
    try:
        assert Everything.objects.get(pk=obj.pk).flag is True
        assert [e.flag for e in Everything.objects.all()] == [True]
    finally:
        signals.post_init.disconnect(receiver, sender=Everything)
    assert seen == [True, True]
    assert all(type(flag) is bool for flag in seen)


def _direct_statement() -> Any:
    older = (author_table.c.age > sa.bindparam("min_age")).label("older")
    return (
        sa.select(author_table.c.name, older)
        .where(author_table.c.id == sa.bindparam("pk"))
        .execution_options(manouche_direct=True)
    )


def test_replayed_results_read_as_converted_rows(database: Any) -> None:
    database.create_models(StandinAuthor)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    statement = _direct_statement()
    conn.execute(statement, {"pk": 1, "min_age": 10})
    result = conn.execute(statement, {"pk": 1, "min_age": 10})
    assert isinstance(result, ExecutionResult)
    assert result.rows == [("Ann", True)]
    assert result.returned is result.rows
    assert type(result.rows[0][1]) is bool
    if isinstance(result, PendingResult):  # a backend whose driver needs it
        assert result.processors is not None
        assert result.raw_rows[0][1] in (1, True)
    else:
        assert result.processors is None
        assert result.raw_rows is result.rows


def test_replacing_rows_of_a_pending_result_keeps_returned(database: Any) -> None:
    if database.vendor != "sqlite":
        pytest.skip("SQLite's driver answers integers for booleans")
    database.create_models(StandinAuthor)
    conn = database.connection
    conn.execute(sa.insert(author_table).values(name="Ann", age=30))
    statement = _direct_statement()
    conn.execute(statement, {"pk": 1, "min_age": 40})
    result = conn.execute(statement, {"pk": 1, "min_age": 40})
    assert isinstance(result, PendingResult)
    result.rows = [("replaced", None)]
    assert result.rows == [("replaced", None)]
    assert result.returned == [("Ann", False)]
    assert "rows=1" in repr(result)


def test_replayed_get_records_the_alias(mdb: Any) -> None:
    obj = Everything.objects.create(flag=True)
    for _ in range(2):
        assert Everything.objects.get(pk=obj.pk)._state.db == connection.alias
