"""Model operations forwards and backwards on every database."""

from __future__ import annotations

import pytest

from manouche.db import migrations, models
from manouche.db.migrations.state import ProjectState
from tests.db.migrations._operations import (
    apply,
    columns,
    constraints,
    index_names,
    pony_state,
    tables,
    unapply,
)


def test_create_model_forwards_and_backwards(database: object) -> None:
    operation = migrations.CreateModel(
        "Stable",
        [
            ("id", models.AutoField(primary_key=True)),
            ("name", models.CharField(max_length=20)),
            ("ponies", models.ManyToManyField("mig.Pony")),
        ],
    )
    before = pony_state()

    after = apply(operation, before)

    assert {"mig_stable", "mig_stable_ponies"} <= tables()
    assert set(columns("mig_stable")) == {"id", "name"}
    stable = after.apps.get_model("mig", "Stable")
    pony = after.apps.get_model("mig", "Pony").objects.create(pink=2)
    place = stable.objects.create(name="north")
    place.ponies.add(pony)
    assert list(stable.objects.filter(ponies__pink=2)) == [place]

    unapply(operation, before, after)

    assert "mig_stable" not in tables()
    assert "mig_stable_ponies" not in tables()


def test_delete_model_forwards_and_backwards(database: object) -> None:
    before = pony_state()
    operation = migrations.DeleteModel("Rider")

    after = apply(operation, before)

    assert "mig_rider" not in tables()
    assert ("mig", "rider") not in after.models
    unapply(operation, before, after)
    assert set(columns("mig_rider")) == {"id", "name", "pony_id"}


def test_rename_model_keeps_rows_and_foreign_keys(database: object) -> None:
    before = pony_state()
    pony = before.apps.get_model("mig", "Pony").objects.create(pink=4)
    before.apps.get_model("mig", "Rider").objects.create(name="ann", pony_id=pony.pk)
    operation = migrations.RenameModel("Pony", "Horse")

    after = apply(operation, before)

    assert "mig_horse" in tables()
    assert "mig_pony" not in tables()
    horse = after.apps.get_model("mig", "Horse")
    rider = after.apps.get_model("mig", "Rider")
    assert horse.objects.get().pink == 4
    assert rider.objects.get(pony__pink=4).name == "ann"

    unapply(operation, before, after)

    assert "mig_pony" in tables()
    assert before.apps.get_model("mig", "Pony").objects.get().pink == 4


def test_alter_model_table_renames_the_table(database: object) -> None:
    before = pony_state()
    before.apps.get_model("mig", "Pony").objects.create(pink=1)
    operation = migrations.AlterModelTable("Pony", "ponies_table")

    after = apply(operation, before)

    assert "ponies_table" in tables()
    assert after.apps.get_model("mig", "Pony").objects.count() == 1
    unapply(operation, before, after)
    assert "mig_pony" in tables()
    assert "ponies_table" not in tables()


def test_alter_model_table_comment(database: object) -> None:
    before = pony_state()
    operation = migrations.AlterModelTableComment("Pony", "All the ponies")

    after = apply(operation, before)

    meta = after.apps.get_model("mig", "Pony")._meta
    assert meta.db_table_comment == "All the ponies"
    unapply(operation, before, after)
    assert before.apps.get_model("mig", "Pony")._meta.db_table_comment == ""


def test_alter_unique_together_adds_and_removes_the_constraint(
    database: object,
) -> None:
    before = pony_state()
    operation = migrations.AlterUniqueTogether("Pony", [("pink", "weight")])

    after = apply(operation, before)

    def unique_sets() -> list[list[str]]:
        return [
            list(info["columns"])
            for info in constraints("mig_pony").values()
            if info.get("unique") and not info.get("primary_key")
        ]

    assert ["pink", "weight"] in unique_sets()
    pony = after.apps.get_model("mig", "Pony")
    assert pony._meta.unique_together == (("pink", "weight"),)
    unapply(operation, before, after)
    assert ["pink", "weight"] not in unique_sets()


def test_alter_index_together_changes_the_state_only(database: object) -> None:
    before = pony_state()
    operation = migrations.AlterIndexTogether("Pony", [("pink", "weight")])

    after = apply(operation, before)

    assert after.models["mig", "pony"].options["index_together"] == {("pink", "weight")}
    assert after.apps.get_model("mig", "Pony")._meta.indexes == []


def test_add_and_remove_index(database: object) -> None:
    before = pony_state()
    index = models.Index(fields=["pink", "-weight"], name="pony_pink_idx")
    operation = migrations.AddIndex("Pony", index)

    after = apply(operation, before)

    assert "pony_pink_idx" in index_names("mig_pony")
    removal = migrations.RemoveIndex("Pony", "pony_pink_idx")
    final = apply(removal, after)
    assert "pony_pink_idx" not in index_names("mig_pony")
    unapply(removal, after, final)
    assert "pony_pink_idx" in index_names("mig_pony")
    unapply(operation, before, after)
    assert "pony_pink_idx" not in index_names("mig_pony")


def test_rename_index(database: object) -> None:
    before = apply(
        migrations.AddIndex("Pony", models.Index(fields=["pink"], name="old_idx")),
        pony_state(),
    )
    operation = migrations.RenameIndex("Pony", new_name="new_idx", old_name="old_idx")

    after = apply(operation, before)

    assert "new_idx" in index_names("mig_pony")
    assert "old_idx" not in index_names("mig_pony")
    unapply(operation, before, after)
    assert "old_idx" in index_names("mig_pony")


def test_add_and_remove_check_constraint(database: object) -> None:
    before = pony_state()
    check = models.CheckConstraint(
        condition=models.Q(pink__gte=0), name="pink_positive"
    )
    operation = migrations.AddConstraint("Pony", check)

    after = apply(operation, before)

    assert "pink_positive" in constraints("mig_pony")
    pony = after.apps.get_model("mig", "Pony")
    from manouche.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        pony.objects.create(pink=-1)
    removal = migrations.RemoveConstraint("Pony", "pink_positive")
    final = apply(removal, after)
    assert "pink_positive" not in constraints("mig_pony")
    unapply(removal, after, final)
    assert "pink_positive" in constraints("mig_pony")
    unapply(operation, before, after)
    assert "pink_positive" not in constraints("mig_pony")


def test_add_unique_constraint(database: object) -> None:
    before = pony_state()
    unique = models.UniqueConstraint(fields=["pink", "weight"], name="pink_weight_uniq")
    operation = migrations.AddConstraint("Pony", unique)

    after = apply(operation, before)

    assert constraints("mig_pony")["pink_weight_uniq"]["unique"]
    unapply(operation, before, after)
    assert "pink_weight_uniq" not in constraints("mig_pony")


@pytest.mark.parametrize(
    "operation",
    [
        migrations.AlterModelOptions("Pony", {"verbose_name": "little horse"}),
        migrations.AlterModelManagers("Pony", [("ponies", models.Manager())]),
    ],
    ids=["options", "managers"],
)
def test_state_only_model_operations_leave_the_table(
    database: object, operation: migrations.Operation
) -> None:
    before = pony_state()
    described = columns("mig_pony")

    after = apply(operation, before)
    unapply(operation, before, after)

    assert columns("mig_pony").keys() == described.keys()
    assert after != before


def test_alter_model_options_drops_unset_alterable_keys() -> None:
    state = ProjectState()
    migrations.CreateModel(
        "Pony",
        [("id", models.AutoField(primary_key=True))],
        options={"verbose_name": "p", "ordering": ["id"], "db_table": "ponies"},
    ).state_forwards("mig", state)

    migrations.AlterModelOptions("Pony", {"ordering": ["-id"]}).state_forwards(
        "mig", state
    )

    options = state.models["mig", "pony"].options
    assert options["ordering"] == ["-id"]
    assert "verbose_name" not in options
    assert options["db_table"] == "ponies"


def test_alter_model_managers_reach_historical_models() -> None:
    class Shiny(models.Manager):
        use_in_migrations = True

    state = ProjectState()
    migrations.CreateModel(
        "Pony", [("id", models.AutoField(primary_key=True))]
    ).state_forwards("mig", state)

    migrations.AlterModelManagers(
        "Pony", [("shiny", Shiny()), ("objects", models.Manager())]
    ).state_forwards("mig", state)

    pony = state.apps.get_model("mig", "Pony")
    assert type(pony._default_manager) is Shiny
    assert [manager.name for manager in pony._meta.managers] == ["shiny", "objects"]


def test_alter_order_with_respect_to_changes_the_state() -> None:
    state = ProjectState()
    for operation in (
        migrations.CreateModel("Pony", [("id", models.AutoField(primary_key=True))]),
        migrations.AlterOrderWithRespectTo("Pony", "id"),
    ):
        operation.state_forwards("mig", state)

    assert state.models["mig", "pony"].options["order_with_respect_to"] == "id"


def test_create_model_refuses_duplicates() -> None:
    with pytest.raises(
        ValueError, match="Found duplicate value a in CreateModel fields"
    ):
        migrations.CreateModel(
            "Pony", [("a", models.IntegerField()), ("a", models.IntegerField())]
        )
    with pytest.raises(
        ValueError, match="duplicate value mig.base in CreateModel bases"
    ):
        migrations.CreateModel("Pony", [], bases=("mig.Base", "mig.base"))
    with pytest.raises(ValueError, match="duplicate value objects in CreateModel man"):
        migrations.CreateModel(
            "Pony",
            [],
            managers=[("objects", models.Manager()), ("objects", models.Manager())],
        )


def test_router_can_keep_a_model_off_a_database(database: object) -> None:
    from manouche.test.utils import override_settings

    class NoMigrations:
        def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
            return False

    operation = migrations.CreateModel(
        "Ghost", [("id", models.AutoField(primary_key=True))]
    )
    with override_settings(DATABASE_ROUTERS=[NoMigrations()]):
        after = apply(operation, ProjectState())

    assert "mig_ghost" not in tables()
    assert ("mig", "ghost") in after.models


def _stable_state() -> ProjectState:
    return apply(
        migrations.CreateModel(
            "Stable",
            [
                ("id", models.AutoField(primary_key=True)),
                ("ponies", models.ManyToManyField("mig.Pony")),
            ],
        ),
        pony_state(),
    )


def test_rename_model_renames_its_many_to_many_table(database: object) -> None:
    before = _stable_state()
    pony = before.apps.get_model("mig", "Pony").objects.create(pink=1)
    before.apps.get_model("mig", "Stable").objects.create().ponies.add(pony)
    operation = migrations.RenameModel("Stable", "Barn")

    after = apply(operation, before)

    assert {"mig_barn", "mig_barn_ponies"} <= tables()
    assert "barn_id" in columns("mig_barn_ponies")
    barn = after.apps.get_model("mig", "Barn").objects.get()
    assert [p.pink for p in barn.ponies.all()] == [1]
    unapply(operation, before, after)
    assert {"mig_stable", "mig_stable_ponies"} <= tables()
    assert "stable_id" in columns("mig_stable_ponies")


def test_alter_model_table_renames_its_many_to_many_table(database: object) -> None:
    before = _stable_state()
    operation = migrations.AlterModelTable("Stable", "stables")

    after = apply(operation, before)

    assert {"stables", "stables_ponies"} <= tables()
    unapply(operation, before, after)
    assert {"mig_stable", "mig_stable_ponies"} <= tables()


def test_rename_index_found_by_its_fields(database: object) -> None:
    state = apply(
        migrations.AlterIndexTogether("Pony", [("pink", "weight")]), pony_state()
    )
    apply(
        migrations.RunSQL("CREATE INDEX legacy_name ON mig_pony (pink, weight)"),
        state,
    )
    operation = migrations.RenameIndex(
        "Pony", new_name="pony_pink_weight_idx", old_fields=("pink", "weight")
    )

    after = apply(operation, state)

    assert "pony_pink_weight_idx" in index_names("mig_pony")
    assert "legacy_name" not in index_names("mig_pony")
    assert after.models["mig", "pony"].options["index_together"] == []
    assert [index.name for index in after.models["mig", "pony"].options["indexes"]] == [
        "pony_pink_weight_idx"
    ]
    unapply(operation, state, after)  # the generated name is not restored
    assert "pony_pink_weight_idx" in index_names("mig_pony")
    missing = migrations.RenameIndex("Pony", new_name="w_idx", old_fields=("weight",))
    with pytest.raises(ValueError, match=r"Found wrong number \(0\) of indexes"):
        apply(missing, state)
