"""Bugs the evolution scenario found, each pinned down on its own.

- RenameModel's state change repointed the fields of the CreateModel
  operations themselves (so migrating back saw the new name);
- the optimizer folded CreateModel + RenameModel across a model pointing at
  the old name (a squash then referred to a model that never exists);
- deferred foreign keys were compiled with the names of a table renamed
  later in the same migration;
- PostgreSQL's ``USING col::varchar(n)`` silently truncated longer values.
"""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import DatabaseError, connection, migrations, models
from manouche.db.migrations.optimizer import MigrationOptimizer
from manouche.db.migrations.state import ProjectState
from tests.db.conftest import DatabaseFixture
from tests.db.migrations._operations import APP, apply, constraints


def tag_and_book_operations() -> list[Any]:
    return [
        migrations.CreateModel(
            "Tag",
            [
                ("id", models.AutoField(primary_key=True)),
                ("name", models.CharField(max_length=50)),
            ],
        ),
        migrations.CreateModel(
            "Book",
            [
                ("id", models.AutoField(primary_key=True)),
                ("tags", models.ManyToManyField(f"{APP}.tag")),
            ],
        ),
        migrations.RenameModel("Tag", "Genre"),
    ]


def test_rename_model_state_leaves_the_operations_fields_alone() -> None:
    operations = tag_and_book_operations()
    state = ProjectState()
    for operation in operations:
        operation.state_forwards(APP, state)
    tags = dict(operations[1].fields)["tags"]
    assert tags.remote_field.model == f"{APP}.tag"
    assert state.models[APP, "book"].fields["tags"].remote_field.model == (
        f"{APP}.Genre"
    )


def test_optimizer_keeps_a_rename_after_models_pointing_at_the_old_name() -> None:
    optimized = MigrationOptimizer().optimize(tag_and_book_operations(), APP)
    assert [type(op).__name__ for op in optimized] == [
        "CreateModel",
        "CreateModel",
        "RenameModel",
    ]
    # With nothing pointing at it, the rename still folds into the creation.
    alone = [tag_and_book_operations()[0], tag_and_book_operations()[2]]
    [create] = MigrationOptimizer().optimize(alone, APP)
    assert create.name == "Genre"


def test_create_and_rename_model_in_one_migration(database: DatabaseFixture) -> None:
    state = ProjectState()
    with connection.schema_editor() as editor:
        for operation in tag_and_book_operations():
            new_state = state.clone()
            operation.state_forwards(APP, new_state)
            operation.database_forwards(APP, editor, state, new_state)
            state = new_state
    fks = {
        info["foreign_key"]
        for info in constraints(f"{APP}_book_tags").values()
        if info["foreign_key"]
    }
    assert fks == {(f"{APP}_book", "id"), (f"{APP}_genre", "id")}
    assert f"{APP}_tag" not in connection.introspection.table_names()


@pytest.mark.parametrize("database", ["postgresql", "mariadb"], indirect=True)
def test_narrowing_a_column_refuses_values_that_do_not_fit(
    database: DatabaseFixture,
) -> None:
    state = apply(tag_and_book_operations()[0], ProjectState())
    state.apps.get_model(APP, "Tag").objects.create(name="x" * 40)
    narrow = migrations.AlterField("Tag", "name", models.CharField(max_length=10))
    with pytest.raises(DatabaseError):
        apply(narrow, state)
    assert state.apps.get_model(APP, "Tag").objects.get().name == "x" * 40
