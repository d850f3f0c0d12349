"""Operations without a database: deconstruct, describe, references, reduce."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import migrations, models
from manouche.db.migrations.operations.base import Operation


def _create(**extra: Any) -> migrations.CreateModel:
    return migrations.CreateModel(
        "Pony",
        [
            ("id", models.AutoField(primary_key=True)),
            ("pink", models.IntegerField()),
        ],
        **extra,
    )


def _rebuild(operation: Operation) -> Operation:
    name, args, kwargs = operation.deconstruct()
    rebuilt: Operation = getattr(migrations, name)(*args, **kwargs)
    return rebuilt


def _same(left: list[Operation] | bool, right: list[Operation]) -> bool:
    assert isinstance(left, list)
    return [op.deconstruct() for op in left] == [op.deconstruct() for op in right]


INDEX = models.Index(fields=["pink"], name="pony_pink_idx")
CHECK = models.CheckConstraint(condition=models.Q(pink__gt=0), name="pink_gt_0")

CASES = [
    (
        _create(options={"verbose_name": "p"}),
        "Create model Pony",
        "pony",
    ),
    (migrations.DeleteModel("Pony"), "Delete model Pony", "delete_pony"),
    (
        migrations.RenameModel("Pony", "Horse"),
        "Rename model Pony to Horse",
        "rename_pony_horse",
    ),
    (
        migrations.AlterModelTable("Pony", "ponies"),
        "Rename table for Pony to ponies",
        "alter_pony_table",
    ),
    (
        migrations.AlterModelTable("Pony", None),
        "Rename table for Pony to (default)",
        "alter_pony_table",
    ),
    (
        migrations.AlterModelTableComment("Pony", "c"),
        "Alter Pony table comment",
        "alter_pony_table_comment",
    ),
    (
        migrations.AlterUniqueTogether("Pony", [("pink", "id")]),
        "Alter unique_together for Pony (1 constraint(s))",
        "alter_pony_unique_together",
    ),
    (
        migrations.AlterIndexTogether("Pony", None),
        "Alter index_together for Pony (0 constraint(s))",
        "alter_pony_index_together",
    ),
    (
        migrations.AlterOrderWithRespectTo("Pony", "pink"),
        "Set order_with_respect_to on Pony to pink",
        "alter_pony_order_with_respect_to",
    ),
    (
        migrations.AlterModelOptions("Pony", {"ordering": ["pink"]}),
        "Change Meta options on Pony",
        "alter_pony_options",
    ),
    (
        migrations.AlterModelManagers("Pony", [("objects", models.Manager())]),
        "Change managers on Pony",
        "alter_pony_managers",
    ),
    (
        migrations.AddIndex("Pony", INDEX),
        "Create index pony_pink_idx on field(s) pink of model Pony",
        "pony_pony_pink_idx",
    ),
    (
        migrations.RemoveIndex("Pony", "pony_pink_idx"),
        "Remove index pony_pink_idx from Pony",
        "remove_pony_pony_pink_idx",
    ),
    (
        migrations.RenameIndex("Pony", new_name="new_idx", old_name="old_idx"),
        "Rename index old_idx on Pony to new_idx",
        "rename_old_idx_new_idx",
    ),
    (
        migrations.RenameIndex("Pony", new_name="new_idx", old_fields=("pink", "id")),
        "Rename unnamed index for ('pink', 'id') on Pony to new_idx",
        "rename_pony_pink_id_new_idx",
    ),
    (
        migrations.AddConstraint("Pony", CHECK),
        "Create constraint pink_gt_0 on model Pony",
        "pony_pink_gt_0",
    ),
    (
        migrations.RemoveConstraint("Pony", "pink_gt_0"),
        "Remove constraint pink_gt_0 from model Pony",
        "remove_pony_pink_gt_0",
    ),
    (
        migrations.AddField("Pony", "height", models.IntegerField(default=1), False),
        "Add field height to Pony",
        "pony_height",
    ),
    (
        migrations.RemoveField("Pony", "height"),
        "Remove field height from Pony",
        "remove_pony_height",
    ),
    (
        migrations.AlterField("Pony", "pink", models.BigIntegerField()),
        "Alter field pink on Pony",
        "alter_pony_pink",
    ),
    (
        migrations.RenameField("Pony", "pink", "blue"),
        "Rename field pink on Pony to blue",
        "rename_pink_pony_blue",
    ),
    (
        migrations.RunSQL("SELECT 1", "SELECT 2", hints={"a": 1}, elidable=True),
        "Raw SQL operation",
        None,
    ),
    (
        migrations.RunPython(migrations.RunPython.noop, elidable=True),
        "Raw Python operation",
        None,
    ),
]


@pytest.mark.parametrize(
    ("operation", "description", "fragment"),
    CASES,
    ids=[f"{case[0].__class__.__name__}-{index}" for index, case in enumerate(CASES)],
)
def test_describe_fragment_and_deconstruct_round_trip(
    operation: Operation, description: str, fragment: str | None
) -> None:
    assert operation.describe() == description
    assert operation.migration_name_fragment == fragment
    rebuilt = _rebuild(operation)
    assert type(rebuilt) is type(operation)
    assert rebuilt.deconstruct() == operation.deconstruct()


def test_create_model_deconstruct_leaves_defaults_out() -> None:
    name, args, kwargs = _create().deconstruct()

    assert (name, args, sorted(kwargs)) == ("CreateModel", (), ["fields", "name"])
    managed: Any = migrations.CreateModel(
        "Pony", [], managers=[("objects", models.Manager())]
    ).deconstruct()[2]
    assert "managers" not in managed


def test_proxy_create_model_description() -> None:
    operation = migrations.CreateModel(
        "Shy", [], options={"proxy": True}, bases=("mig.pony",)
    )

    assert operation.describe() == "Create proxy model Shy"
    assert operation.deconstruct()[2]["bases"] == ("mig.pony",)
    assert operation.formatted_description() == "+ Create proxy model Shy"


def test_add_index_requires_a_name() -> None:
    with pytest.raises(ValueError, match="require a name argument"):
        migrations.AddIndex("Pony", models.Index(fields=["pink"]))


def test_rename_index_argument_checks() -> None:
    with pytest.raises(ValueError, match="requires one of old_name and old_fields"):
        migrations.RenameIndex("Pony", new_name="x")
    with pytest.raises(ValueError, match="mutually exclusive"):
        migrations.RenameIndex("Pony", new_name="x", old_name="y", old_fields=["a"])


def test_references_model_and_field() -> None:
    rider_fk = migrations.AddField(
        "Rider", "pony", models.ForeignKey("mig.Pony", on_delete=models.CASCADE)
    )
    creates = migrations.CreateModel(
        "Rider",
        [("pony", models.ForeignKey("Pony", on_delete=models.CASCADE))],
    )
    child = migrations.CreateModel("Child", [], bases=("mig.Pony",))

    assert rider_fk.references_model("pony", "mig")
    assert rider_fk.references_model("Rider", "mig")
    assert not rider_fk.references_model("stable", "mig")
    assert rider_fk.references_field("Pony", "id", "mig")
    assert rider_fk.references_field("rider", "pony", "mig")
    assert not rider_fk.references_field("rider", "name", "mig")
    assert creates.references_model("pony", "mig")
    assert child.references_model("pony", "mig")
    assert not _create().references_model("rider", "mig")
    assert migrations.DeleteModel("Pony").references_model("anything", "mig")
    assert migrations.RenameModel("Pony", "Horse").references_model("horse", "mig")
    assert migrations.RunPython(migrations.RunPython.noop).references_model("x", "y")
    rename: Any = migrations.RenameField("Pony", "pink", "blue")
    assert rename.references_field("pony", "blue", "mig")
    assert not rename.references_field("pony", "weight", "mig")


def test_allow_migrate_model_skips_proxy_and_unmanaged_models() -> None:
    from manouche.db.migrations.state import ProjectState

    state = ProjectState()
    for operation in (
        _create(),
        migrations.CreateModel("Shy", [], options={"proxy": True}, bases=("mig.pony",)),
        migrations.CreateModel(
            "Outside",
            [("id", models.AutoField(primary_key=True))],
            options={"managed": False},
        ),
    ):
        operation.state_forwards("mig", state)
    check = migrations.DeleteModel("x")

    assert check.allow_migrate_model("default", state.apps.get_model("mig", "Pony"))
    assert not check.allow_migrate_model("default", state.apps.get_model("mig", "Shy"))
    assert not check.allow_migrate_model(
        "default", state.apps.get_model("mig", "Outside")
    )


# -- reduce -----------------------------------------------------------------


def test_create_model_then_delete_model_is_nothing() -> None:
    assert _create().reduce(migrations.DeleteModel("Pony"), "mig") == []


def test_create_model_absorbs_field_operations() -> None:
    height = models.IntegerField(default=1)
    add: Any = _create().reduce(migrations.AddField("Pony", "height", height), "mig")
    assert isinstance(add, list)
    assert [name for name, _ in add[0].fields] == ["id", "pink", "height"]

    bigger = models.BigIntegerField()
    alter: Any = _create().reduce(migrations.AlterField("Pony", "pink", bigger), "mig")
    assert isinstance(alter, list)
    assert dict(alter[0].fields)["pink"] is bigger

    together: Any = _create(options={"unique_together": {("id", "pink")}})
    remove: Any = together.reduce(migrations.RemoveField("Pony", "pink"), "mig")
    assert isinstance(remove, list)
    assert [name for name, _ in remove[0].fields] == ["id"]
    assert remove[0].options["unique_together"] == {("id",)}

    rename: Any = together.reduce(migrations.RenameField("Pony", "pink", "blue"), "mig")
    assert isinstance(rename, list)
    assert [name for name, _ in rename[0].fields] == ["id", "blue"]
    assert rename[0].options["unique_together"] == {("id", "blue")}


def test_create_model_absorbs_model_operations() -> None:
    renamed: Any = _create().reduce(migrations.RenameModel("Pony", "Horse"), "mig")
    assert isinstance(renamed, list)
    assert renamed[0].name == "Horse"

    options: Any = _create(options={"verbose_name": "p", "db_table": "t"}).reduce(
        migrations.AlterModelOptions("Pony", {"ordering": ["id"]}), "mig"
    )
    assert isinstance(options, list)
    assert options[0].options == {"db_table": "t", "ordering": ["id"]}

    table: Any = _create().reduce(migrations.AlterModelTable("Pony", "ponies"), "mig")
    assert isinstance(table, list)
    assert table[0].options == {"db_table": "ponies"}

    managers = [("shiny", models.Manager())]
    managed: Any = _create().reduce(
        migrations.AlterModelManagers("Pony", managers), "mig"
    )
    assert isinstance(managed, list)
    assert managed[0].managers == managers

    together: Any = _create().reduce(
        migrations.AlterUniqueTogether("Pony", [("id", "pink")]), "mig"
    )
    assert isinstance(together, list)
    assert together[0].options == {"unique_together": {("id", "pink")}}


def test_create_proxy_then_delete_is_kept() -> None:
    proxy = migrations.CreateModel(
        "Shy", [], options={"proxy": True}, bases=("mig.pony",)
    )

    assert proxy.reduce(migrations.DeleteModel("Shy"), "mig") is False


def test_create_model_lets_unrelated_operations_through() -> None:
    unrelated = migrations.AddField("Stable", "size", models.IntegerField())
    assert _create().reduce(unrelated, "mig") is True
    # A deleted model may have pointed at Pony: never moved across.
    assert _create().reduce(migrations.DeleteModel("Stable"), "mig") is False
    fk_to_pony = migrations.AddField(
        "Rider", "pony", models.ForeignKey("mig.Pony", on_delete=models.CASCADE)
    )
    assert _create().reduce(fk_to_pony, "mig") is False


def test_field_operation_folding() -> None:
    field = models.IntegerField(default=1)
    add: Any = migrations.AddField("Pony", "height", field)

    assert add.reduce(migrations.RemoveField("Pony", "height"), "mig") == []
    altered: Any = add.reduce(
        migrations.AlterField("Pony", "height", models.BigIntegerField()), "mig"
    )
    assert isinstance(altered, list)
    assert isinstance(altered[0], migrations.AddField)
    assert isinstance(altered[0].field, models.BigIntegerField)
    renamed: Any = add.reduce(migrations.RenameField("Pony", "height", "size"), "mig")
    assert _same(renamed, [migrations.AddField("Pony", "size", field)])

    alter: Any = migrations.AlterField("Pony", "pink", field)
    remove: Any = migrations.RemoveField("Pony", "pink")
    assert _same(alter.reduce(remove, "mig"), [remove])
    later = migrations.AlterField("Pony", "pink", models.BigIntegerField())
    assert _same(alter.reduce(later, "mig"), [later])
    rename: Any = migrations.RenameField("Pony", "pink", "blue")
    assert _same(
        alter.reduce(rename, "mig"),
        [rename, migrations.AlterField("Pony", "blue", field)],
    )
    assert _same(
        remove.reduce(migrations.DeleteModel("Pony"), "mig"),
        [migrations.DeleteModel("Pony")],
    )
    assert add.reduce(migrations.AddField("Pony", "other", field), "mig") is True
    assert add.reduce(migrations.AddIndex("Pony", INDEX), "mig") is False


def test_rename_chains_fold() -> None:
    models_chain = migrations.RenameModel("Pony", "Horse").reduce(
        migrations.RenameModel("Horse", "Mare"), "mig"
    )
    assert _same(models_chain, [migrations.RenameModel("Pony", "Mare")])
    fields_chain = migrations.RenameField("Pony", "a", "b").reduce(
        migrations.RenameField("Pony", "b", "c"), "mig"
    )
    assert _same(fields_chain, [migrations.RenameField("Pony", "a", "c")])
    index_chain = migrations.RenameIndex("Pony", "b", old_name="a").reduce(
        migrations.RenameIndex("Pony", "c", old_name="b"), "mig"
    )
    assert _same(index_chain, [migrations.RenameIndex("Pony", "c", old_name="a")])
    assert (
        migrations.RenameModel("Pony", "Horse").reduce(
            migrations.AddField("Horse", "x", models.IntegerField()), "mig"
        )
        is False
    )


def test_index_and_constraint_folding() -> None:
    add: Any = migrations.AddIndex("Pony", INDEX)
    assert add.reduce(migrations.RemoveIndex("Pony", "pony_pink_idx"), "mig") == []
    renamed: Any = add.reduce(
        migrations.RenameIndex("Pony", "better_idx", old_name="pony_pink_idx"), "mig"
    )
    assert isinstance(renamed, list)
    assert renamed[0].index.name == "better_idx"
    assert INDEX.name == "pony_pink_idx"
    constraint = migrations.AddConstraint("Pony", CHECK)
    assert (
        constraint.reduce(migrations.RemoveConstraint("Pony", "pink_gt_0"), "mig") == []
    )


def test_option_operations_replace_each_other() -> None:
    first = migrations.AlterModelTable("Pony", "a")
    second = migrations.AlterModelTable("Pony", "b")
    assert _same(first.reduce(second, "mig"), [second])
    assert _same(
        first.reduce(migrations.DeleteModel("Pony"), "mig"),
        [migrations.DeleteModel("Pony")],
    )
    unique = migrations.AlterUniqueTogether("Pony", [("a", "b")])
    index = migrations.AlterIndexTogether("Pony", [("a", "b")])
    assert unique.reduce(index, "mig") is True


def test_elidable_operations_are_dropped_by_reduce() -> None:
    elidable = migrations.RunSQL("SELECT 1", elidable=True)
    other = migrations.DeleteModel("Pony")

    assert _same(elidable.reduce(other, "mig"), [other])
    assert _same(other.reduce(elidable, "mig"), [other])
    assert migrations.RunSQL("SELECT 1").reduce(other, "mig") is False


def test_operation_base_needs_subclasses() -> None:
    class Nothing(Operation):
        pass

    operation = Nothing()
    with pytest.raises(NotImplementedError, match="state_forwards"):
        operation.state_forwards("mig", None)
    with pytest.raises(NotImplementedError, match="database_forwards"):
        operation.database_forwards("mig", None, None, None)
    with pytest.raises(NotImplementedError, match="database_backwards"):
        operation.database_backwards("mig", None, None, None)
    assert operation.migration_name_fragment is None
    assert repr(migrations.DeleteModel("Pony")) == "<DeleteModel 'Pony'>"
