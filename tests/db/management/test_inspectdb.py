"""inspectdb: models generated from the live database import and query."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.conf import settings
from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.db import models
from manouche.test.utils import isolate_apps, override_settings
from tests.db.conftest import DatabaseFixture


@pytest.fixture
def schema(database: DatabaseFixture) -> Iterator[DatabaseFixture]:
    with isolate_apps("tests.apps.custom_label"):

        class InspPeople(models.Model):
            name = models.CharField(max_length=40, unique=True)
            age = models.IntegerField(null=True)
            score = models.DecimalField(max_digits=6, decimal_places=2)
            born = models.DateField(null=True)
            seen = models.DateTimeField(null=True)
            active = models.BooleanField(default=True)
            notes = models.TextField(default="")
            big = models.BigIntegerField(default=0)
            ratio = models.FloatField(default=0)

            class Meta:
                app_label = "custom_label"
                db_table = "insp_people"

        class InspPet(models.Model):
            owner = models.ForeignKey(InspPeople, models.CASCADE)
            walker = models.ForeignKey(
                InspPeople, models.CASCADE, null=True, related_name="+"
            )
            by_name = models.ForeignKey(
                InspPeople, models.CASCADE, to_field="name", related_name="+"
            )
            kind = models.CharField(max_length=10)
            number = models.IntegerField()

            class Meta:
                app_label = "custom_label"
                db_table = "insp_pet"
                unique_together = [("kind", "number")]

        class InspPassport(models.Model):
            person = models.OneToOneField(InspPeople, models.CASCADE)

            class Meta:
                app_label = "custom_label"
                db_table = "insp_passport"

        database.create_models(InspPeople, InspPet, InspPassport)
    quote = database.connection.ops.quote_name
    with database.connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote('insp_Odd')} ({quote('ID')} integer PRIMARY KEY, "
            f"{quote('Full Name')} varchar(20), {quote('class')} integer, "
            f"{quote('_x')} integer, {quote('pk')} integer)"
        )
        cursor.execute(
            f"CREATE VIEW {quote('insp_view')} AS SELECT "
            f"{quote('id')}, {quote('name')} FROM {quote('insp_people')}"
        )
    yield database
    with database.connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW {quote('insp_view')}")


def inspect(*tables: str, **options: Any) -> str:
    out = io.StringIO()
    call_command("inspectdb", *tables, stdout=out, **options)
    return out.getvalue()


def load_models(source: str) -> dict[str, Any]:
    """Execute the generated module as the models of an installed app."""
    namespace: dict[str, Any] = {"__name__": "tests.apps.custom_label.models"}
    installed = [*settings.INSTALLED_APPS, "tests.apps.custom_label"]
    with override_settings(INSTALLED_APPS=installed):
        exec(compile(source, "<inspectdb>", "exec"), namespace)
    return namespace


TABLES = ("insp_people", "insp_pet", "insp_passport", "insp_Odd")


def test_generated_module_imports_and_queries(schema: DatabaseFixture) -> None:
    source = inspect(*TABLES)
    with isolate_apps("tests.apps.custom_label"):
        namespace = load_models(source)
        people, pet = namespace["InspPeople"], namespace["InspPet"]
        assert people._meta.managed is False
        assert people._meta.db_table == "insp_people"
        person = people.objects.create(
            name="Django", score="1.50", active=True, notes="", big=0, ratio=0
        )
        assert people.objects.get().name == "Django"
        pet.objects.create(owner=person, by_name=person, kind="dog", number=1)
        assert pet.objects.get().owner.name == "Django"
        assert pet.objects.get().by_name_id == "Django"


def test_fields_keys_and_meta(schema: DatabaseFixture) -> None:
    source = inspect(*TABLES)
    assert source.startswith("# This is an auto-generated Manouche model module.")
    assert "from manouche.db import models" in source
    assert "class InspPeople(models.Model):" in source
    assert "name = models.CharField(unique=True, max_length=40)" in source
    assert "age = models.IntegerField(blank=True, null=True)" in source
    assert "score = models.DecimalField(max_digits=6, decimal_places=2)" in source
    assert "big = models.BigIntegerField()" in source
    assert "owner = models.ForeignKey(InspPeople, models.DO_NOTHING)" in source
    assert (
        "walker = models.ForeignKey(InspPeople, models.DO_NOTHING, "
        "related_name='insppet_walker_set', blank=True, null=True)"
    ) in source
    assert "to_field='name'" in source
    assert "person = models.OneToOneField('InspPeople', models.DO_NOTHING)" in source
    assert "        managed = False" in source
    assert "        db_table = 'insp_pet'" in source
    assert "        unique_together = (('kind', 'number'),)" in source


def test_column_names_are_made_identifiers(schema: DatabaseFixture) -> None:
    source = inspect("insp_Odd")
    assert "class InspOdd(models.Model):" in source
    id_line = next(line for line in source.splitlines() if line.startswith("    id ="))
    assert "db_column='ID'" in id_line
    assert "primary_key=True" in id_line
    assert "full_name = models.CharField(db_column='Full Name'" in source
    assert "class_field = models.IntegerField(db_column='class'" in source
    assert "field_x = models.IntegerField(db_column='_x'" in source
    assert "pk_field = models.IntegerField(db_column='pk'" in source
    with isolate_apps("tests.apps.custom_label"):
        odd = load_models(source)["InspOdd"]
        odd.objects.create(id=1, full_name="x", class_field=2)
        assert odd.objects.get().class_field == 2


def test_views_only_when_asked(schema: DatabaseFixture) -> None:
    assert "class InspView" not in inspect()
    source = inspect("insp_view", include_views=True)
    assert "class InspView(models.Model):" in source
    with isolate_apps("tests.apps.custom_label"):
        load_models(source)


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_unknown_table_and_alias(schema: DatabaseFixture) -> None:
    assert "# Unable to inspect table 'nope'" in inspect("nope")
    with pytest.raises(CommandError, match="The database 'x' is not configured"):
        inspect(database="x")
