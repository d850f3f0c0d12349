"""Field operations forwards and backwards on every database, with rows."""

from __future__ import annotations

from manouche.db import migrations, models
from tests.db.migrations._operations import apply, columns, pony_state, tables, unapply


def test_add_field_fills_existing_rows_with_the_default(database: object) -> None:
    before = pony_state()
    before.apps.get_model("mig", "Pony").objects.create(pink=1)
    operation = migrations.AddField("Pony", "height", models.IntegerField(default=5))

    after = apply(operation, before)

    assert "height" in columns("mig_pony")
    assert after.apps.get_model("mig", "Pony").objects.get().height == 5
    unapply(operation, before, after)
    assert "height" not in columns("mig_pony")
    assert before.apps.get_model("mig", "Pony").objects.get().pink == 1


def test_add_field_without_preserving_the_default(database: object) -> None:
    before = pony_state()
    before.apps.get_model("mig", "Pony").objects.create(pink=1)
    operation = migrations.AddField(
        "Pony",
        "name",
        models.CharField(max_length=10, default="noname"),
        preserve_default=False,
    )

    after = apply(operation, before)

    pony = after.apps.get_model("mig", "Pony")
    assert pony.objects.get().name == "noname"
    assert not pony._meta.get_field("name").has_default()
    assert operation.field.default == "noname"


def test_add_foreign_key_field(database: object) -> None:
    before = pony_state()
    operation = migrations.AddField(
        "Pony",
        "mother",
        models.ForeignKey("mig.Pony", on_delete=models.SET_NULL, null=True),
    )

    after = apply(operation, before)

    assert "mother_id" in columns("mig_pony")
    pony = after.apps.get_model("mig", "Pony")
    mare = pony.objects.create(pink=1)
    foal = pony.objects.create(pink=2, mother=mare)
    assert pony.objects.get(mother__pink=1) == foal
    unapply(operation, before, after)
    assert "mother_id" not in columns("mig_pony")


def test_add_many_to_many_field_creates_the_join_table(database: object) -> None:
    before = pony_state()
    operation = migrations.AddField(
        "Rider", "ponies", models.ManyToManyField("mig.Pony", related_name="fans")
    )

    after = apply(operation, before)

    assert "mig_rider_ponies" in tables()
    rider = after.apps.get_model("mig", "Rider").objects.create(name="bo")
    pony = after.apps.get_model("mig", "Pony").objects.create(pink=1)
    rider.ponies.add(pony)
    assert list(pony.fans.all()) == [rider]
    unapply(operation, before, after)
    assert "mig_rider_ponies" not in tables()


def test_remove_field_forwards_and_backwards(database: object) -> None:
    before = pony_state()
    operation = migrations.RemoveField("Pony", "weight")

    after = apply(operation, before)

    assert "weight" not in columns("mig_pony")
    assert "weight" not in after.models["mig", "pony"].fields
    unapply(operation, before, after)
    assert "weight" in columns("mig_pony")


def test_remove_foreign_key_field(database: object) -> None:
    before = pony_state()
    operation = migrations.RemoveField("Rider", "pony")

    after = apply(operation, before)

    assert "pony_id" not in columns("mig_rider")
    pony = after.apps.get_model("mig", "Pony")
    assert pony._meta.related_objects == ()
    unapply(operation, before, after)
    assert "pony_id" in columns("mig_rider")


def test_alter_field_changes_type_and_nullability(database: object) -> None:
    before = pony_state()
    before.apps.get_model("mig", "Rider").objects.create(name="anna")
    operation = migrations.AlterField(
        "Rider", "name", models.CharField(max_length=120, null=True)
    )

    after = apply(operation, before)

    assert columns("mig_rider")["name"].null_ok
    rider = after.apps.get_model("mig", "Rider")
    rider.objects.create(name=None)
    assert rider.objects.filter(name="anna").count() == 1
    rider.objects.filter(name=None).delete()
    unapply(operation, before, after)
    assert not columns("mig_rider")["name"].null_ok
    assert before.apps.get_model("mig", "Rider").objects.get().name == "anna"


def test_rename_field_keeps_the_data(database: object) -> None:
    before = pony_state()
    before.apps.get_model("mig", "Pony").objects.create(pink=9)
    operation = migrations.RenameField("Pony", "pink", "blue")

    after = apply(operation, before)

    assert "blue" in columns("mig_pony")
    assert "pink" not in columns("mig_pony")
    assert after.apps.get_model("mig", "Pony").objects.get().blue == 9
    unapply(operation, before, after)
    assert before.apps.get_model("mig", "Pony").objects.get().pink == 9


def test_rename_foreign_key_field(database: object) -> None:
    before = pony_state()
    pony = before.apps.get_model("mig", "Pony").objects.create(pink=1)
    before.apps.get_model("mig", "Rider").objects.create(name="x", pony_id=pony.pk)
    operation = migrations.RenameField("Rider", "pony", "mount")

    after = apply(operation, before)

    assert "mount_id" in columns("mig_rider")
    rider = after.apps.get_model("mig", "Rider")
    assert rider.objects.get(mount__pink=1).name == "x"
    unapply(operation, before, after)
    assert "pony_id" in columns("mig_rider")
