"""MigrationOptimizer with the real operations' reduce() rules."""

from __future__ import annotations

from typing import Any

from manouche.db import migrations, models
from manouche.db.migrations.optimizer import MigrationOptimizer


def optimize(*operations: Any) -> list[Any]:
    return MigrationOptimizer().optimize(list(operations), "shop")


def shape(value: Any) -> Any:
    """Compare fields (which are equal only to themselves) by definition."""
    if isinstance(value, models.Field):
        _name, path, args, kwargs = value.deconstruct()
        return (path, shape(args), shape(kwargs))
    if isinstance(value, (list, tuple)):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return value


def assert_optimizes_to(operations: list[Any], expected: list[Any]) -> None:
    result = MigrationOptimizer().optimize(operations, "shop")
    assert [shape(op.deconstruct()) for op in result] == [
        shape(op.deconstruct()) for op in expected
    ]


def assert_unchanged(*operations: Any) -> None:
    assert_optimizes_to(list(operations), list(operations))


def pk() -> tuple[str, Any]:
    return ("id", models.AutoField(primary_key=True))


def name_field(max_length: int = 50) -> Any:
    return models.CharField(max_length=max_length)


def fill(apps: Any, schema_editor: Any) -> None:
    """A data migration the optimizer must not fold across."""


def test_create_model_absorbs_add_field():
    assert_optimizes_to(
        [
            migrations.CreateModel("Author", [pk()]),
            migrations.AddField("author", "name", name_field()),
        ],
        [migrations.CreateModel("Author", [pk(), ("name", name_field())])],
    )


def test_add_then_remove_field_is_nothing():
    assert (
        optimize(
            migrations.AddField("author", "age", models.IntegerField(null=True)),
            migrations.RemoveField("author", "age"),
        )
        == []
    )


def test_create_then_delete_model_is_nothing():
    assert (
        optimize(
            migrations.CreateModel("Author", [pk()]),
            migrations.DeleteModel("Author"),
        )
        == []
    )


def test_add_field_absorbs_alter_field():
    assert_optimizes_to(
        [
            migrations.AddField("author", "name", name_field(10)),
            migrations.AlterField("author", "name", name_field(80)),
        ],
        [migrations.AddField("author", "name", name_field(80))],
    )


def test_create_model_absorbs_alter_and_remove_field():
    assert_optimizes_to(
        [
            migrations.CreateModel("Author", [pk(), ("name", name_field(10))]),
            migrations.AlterField("author", "name", name_field(80)),
            migrations.AddField("author", "age", models.IntegerField(null=True)),
            migrations.RemoveField("author", "age"),
        ],
        [migrations.CreateModel("Author", [pk(), ("name", name_field(80))])],
    )


def test_rename_model_chain_folds_into_the_create():
    assert_optimizes_to(
        [
            migrations.CreateModel("Author", [pk()]),
            migrations.RenameModel("Author", "Writer"),
            migrations.RenameModel("Writer", "Poet"),
        ],
        [migrations.CreateModel("Poet", [pk()])],
    )


def test_rename_model_chain_collapses():
    assert_optimizes_to(
        [
            migrations.RenameModel("Author", "Writer"),
            migrations.RenameModel("Writer", "Poet"),
        ],
        [migrations.RenameModel("Author", "Poet")],
    )


def test_rename_field_chain_collapses_and_folds_into_add():
    assert_optimizes_to(
        [
            migrations.RenameField("author", "name", "title"),
            migrations.RenameField("author", "title", "label"),
        ],
        [migrations.RenameField("author", "name", "label")],
    )
    assert_optimizes_to(
        [
            migrations.AddField("author", "name", name_field()),
            migrations.RenameField("author", "name", "label"),
        ],
        [migrations.AddField("author", "label", name_field())],
    )


def test_unrelated_operations_do_not_block_a_fold():
    assert_optimizes_to(
        [
            migrations.CreateModel("Author", [pk()]),
            migrations.CreateModel("Tag", [pk()]),
            migrations.AddField("author", "name", name_field()),
        ],
        # The fold moves right, past the operations it does not touch.
        [
            migrations.CreateModel("Tag", [pk()]),
            migrations.CreateModel("Author", [pk(), ("name", name_field())]),
        ],
    )


def test_fold_is_blocked_by_an_operation_referencing_the_model():
    assert_unchanged(
        migrations.CreateModel("Author", [pk()]),
        migrations.CreateModel(
            "Book",
            [pk(), ("author", models.ForeignKey("shop.Author", models.CASCADE))],
        ),
        migrations.DeleteModel("Author"),
    )


def test_field_fold_is_blocked_by_an_operation_referencing_the_field():
    assert_unchanged(
        migrations.AddField("author", "code", name_field()),
        migrations.AddIndex(
            "author", models.Index(fields=["code"], name="author_code_idx")
        ),
        migrations.RemoveField("author", "code"),
    )


def test_run_python_and_run_sql_are_barriers():
    assert_unchanged(
        migrations.AddField("author", "age", models.IntegerField(null=True)),
        migrations.RunPython(fill),
        migrations.RemoveField("author", "age"),
    )
    assert_unchanged(
        migrations.CreateModel("Author", [pk()]),
        migrations.RunSQL("UPDATE shop_author SET id = id"),
        migrations.AddField("author", "name", name_field()),
    )


def test_elidable_code_is_dropped_and_stops_blocking():
    assert (
        optimize(
            migrations.AddField("author", "age", models.IntegerField(null=True)),
            migrations.RunPython(fill, elidable=True),
            migrations.RunSQL("SELECT 1", elidable=True),
            migrations.RemoveField("author", "age"),
        )
        == []
    )
