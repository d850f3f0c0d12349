"""The autodetector, one change kind per test, on hand-built project states."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.db import models
from manouche.db.migrations import Migration
from manouche.db.migrations.autodetector import MigrationAutodetector
from manouche.db.migrations.graph import MigrationGraph
from manouche.db.migrations.questioner import MigrationQuestioner
from manouche.db.migrations.state import ModelState, ProjectState
from manouche.test.utils import override_settings


def pk() -> tuple[str, Any]:
    return ("id", models.BigAutoField(primary_key=True))


def model(
    app_label: str, name: str, *fields: tuple[str, Any], **kwargs: Any
) -> ModelState:
    return ModelState(app_label, name, [pk(), *fields], **kwargs)


AUTHOR = model("testapp", "Author", ("name", models.CharField(max_length=200)))


def state(*model_states: ModelState) -> ProjectState:
    return ProjectState({(m.app_label, m.name_lower): m for m in model_states})


class RecordingQuestioner(MigrationQuestioner):
    """Answers from defaults and remembers every question asked."""

    def __init__(self, **defaults: Any) -> None:
        super().__init__(defaults=defaults)
        self.asked: list[tuple[str, tuple[Any, ...]]] = []

    def ask_not_null_addition(self, field_name: str, model_name: str) -> Any:
        self.asked.append(("not_null_addition", (field_name, model_name)))
        return self.defaults.get("not_null_default")

    def ask_not_null_alteration(self, field_name: str, model_name: str) -> Any:
        self.asked.append(("not_null_alteration", (field_name, model_name)))
        return self.defaults.get("not_null_default")

    def ask_rename(
        self, model_name: str, old_name: str, new_name: str, field_instance: Any
    ) -> bool:
        self.asked.append(("rename", (model_name, old_name, new_name)))
        return super().ask_rename(model_name, old_name, new_name, field_instance)

    def ask_rename_model(self, old_model_state: Any, new_model_state: Any) -> bool:
        self.asked.append(
            ("rename_model", (old_model_state.name, new_model_state.name))
        )
        return super().ask_rename_model(old_model_state, new_model_state)

    def ask_auto_now_add_addition(self, field_name: str, model_name: str) -> Any:
        self.asked.append(("auto_now_add", (field_name, model_name)))
        return "now"


def detect(
    before: list[ModelState],
    after: list[ModelState],
    questioner: MigrationQuestioner | None = None,
) -> dict[str, list[Migration]]:
    autodetector = MigrationAutodetector(state(*before), state(*after), questioner)
    return autodetector._detect_changes()


def kinds(migration: Migration) -> list[str]:
    return [type(operation).__name__ for operation in migration.operations]


def only(changes: dict[str, list[Migration]], app_label: str = "testapp") -> Migration:
    assert list(changes) == [app_label], changes
    assert len(changes[app_label]) == 1, changes[app_label]
    return changes[app_label][0]


# -- models ---------------------------------------------------------------------
def test_no_changes_gives_nothing() -> None:
    assert detect([AUTHOR], [AUTHOR]) == {}


def test_created_model() -> None:
    migration = only(detect([], [AUTHOR]))
    assert kinds(migration) == ["CreateModel"]
    operation = migration.operations[0]
    assert operation.name == "Author"
    assert [name for name, _ in operation.fields] == ["id", "name"]
    assert migration.initial is True


def test_deleted_model() -> None:
    migration = only(detect([AUTHOR], []))
    assert kinds(migration) == ["DeleteModel"]
    assert migration.operations[0].name == "Author"
    assert migration.initial is False


def test_renamed_model_asks_and_renames() -> None:
    writer = model("testapp", "Writer", ("name", models.CharField(max_length=200)))
    questioner = RecordingQuestioner(ask_rename_model=True)
    migration = only(detect([AUTHOR], [writer], questioner))
    assert questioner.asked == [("rename_model", ("Author", "Writer"))]
    assert kinds(migration) == ["RenameModel"]
    assert (migration.operations[0].old_name, migration.operations[0].new_name) == (
        "Author",
        "Writer",
    )


def test_renamed_model_declined_is_delete_and_create() -> None:
    writer = model("testapp", "Writer", ("name", models.CharField(max_length=200)))
    migration = only(detect([AUTHOR], [writer], RecordingQuestioner()))
    assert sorted(kinds(migration)) == ["CreateModel", "DeleteModel"]


def test_rename_model_keeps_pointing_fields_unaltered() -> None:
    book = model(
        "testapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    writer = model("testapp", "Writer", ("name", models.CharField(max_length=200)))
    new_book = model(
        "testapp",
        "Book",
        ("author", models.ForeignKey("testapp.Writer", on_delete=models.CASCADE)),
    )
    questioner = RecordingQuestioner(ask_rename_model=True)
    migration = only(detect([AUTHOR, book], [writer, new_book], questioner))
    assert kinds(migration) == ["RenameModel"]


def test_proxy_model_created_without_fields() -> None:
    proxy = ModelState(
        "testapp", "AuthorProxy", [], options={"proxy": True}, bases=("testapp.author",)
    )
    migration = only(detect([AUTHOR], [AUTHOR, proxy]))
    assert kinds(migration) == ["CreateModel"]
    operation = migration.operations[0]
    assert operation.fields == []
    assert operation.options["proxy"] is True


def test_unmanaged_model_created() -> None:
    legacy = model("testapp", "Legacy", options={"managed": False})
    migration = only(detect([], [legacy]))
    assert kinds(migration) == ["CreateModel"]
    assert migration.operations[0].options["managed"] is False


def test_multi_table_inheritance_creates_parent_first() -> None:
    child = ModelState(
        "testapp",
        "Novelist",
        [
            (
                "author_ptr",
                models.OneToOneField(
                    "testapp.Author",
                    on_delete=models.CASCADE,
                    parent_link=True,
                    primary_key=True,
                    auto_created=True,
                ),
            ),
            ("genre", models.CharField(max_length=20)),
        ],
        bases=("testapp.author",),
    )
    migration = only(detect([], [child, AUTHOR]))
    assert kinds(migration) == ["CreateModel", "CreateModel"]
    assert [op.name for op in migration.operations] == ["Author", "Novelist"]
    assert migration.operations[1].bases == ("testapp.author",)


def test_m2m_with_auto_through() -> None:
    book = model(
        "testapp", "Book", ("authors", models.ManyToManyField("testapp.Author"))
    )
    migration = only(detect([], [AUTHOR, book]))
    names = [
        op.name for op in migration.operations if type(op).__name__ == "CreateModel"
    ]
    assert names == ["Author", "Book"]
    fields = {
        name
        for op in migration.operations
        for name, _ in getattr(op, "fields", [(getattr(op, "name", ""), None)])
    }
    assert "authors" in fields


def test_m2m_with_custom_through_comes_after_through_model() -> None:
    book = model(
        "testapp",
        "Book",
        (
            "authors",
            models.ManyToManyField("testapp.Author", through="testapp.Contribution"),
        ),
    )
    contribution = model(
        "testapp",
        "Contribution",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
        ("book", models.ForeignKey("testapp.Book", on_delete=models.CASCADE)),
    )
    migration = only(detect([], [AUTHOR, book, contribution]))
    order = [
        (type(op).__name__, getattr(op, "name", None)) for op in migration.operations
    ]
    created = [name for kind, name in order if kind == "CreateModel"]
    assert set(created) == {"Author", "Book", "Contribution"}
    add_m2m = next(
        index
        for index, op in enumerate(migration.operations)
        if (type(op).__name__ == "AddField" and op.name == "authors")
        or "authors" in dict(getattr(op, "fields", []))
    )
    through_created = next(
        index
        for index, op in enumerate(migration.operations)
        if type(op).__name__ == "CreateModel" and op.name == "Contribution"
    )
    assert through_created < add_m2m


# -- fields ---------------------------------------------------------------------
def test_added_nullable_field() -> None:
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("bio", models.TextField(null=True)),
    )
    questioner = RecordingQuestioner()
    migration = only(detect([AUTHOR], [after], questioner))
    assert kinds(migration) == ["AddField"]
    assert migration.operations[0].name == "bio"
    assert migration.operations[0].preserve_default is True
    assert questioner.asked == []


def test_added_not_null_field_asks_for_a_one_off_default() -> None:
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("age", models.IntegerField()),
    )
    questioner = RecordingQuestioner(not_null_default=7)
    migration = only(detect([AUTHOR], [after], questioner))
    assert questioner.asked == [("not_null_addition", ("age", "author"))]
    operation = migration.operations[0]
    assert operation.field.default == 7
    assert operation.preserve_default is False
    # The model state's own field keeps no default.
    assert not after.fields["age"].has_default()


def test_added_auto_now_add_field_asks() -> None:
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("created", models.DateTimeField(auto_now_add=True)),
    )
    questioner = RecordingQuestioner()
    migration = only(detect([AUTHOR], [after], questioner))
    assert questioner.asked == [("auto_now_add", ("created", "author"))]
    assert migration.operations[0].field.default == "now"


def test_removed_field() -> None:
    before = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("bio", models.TextField()),
    )
    migration = only(detect([before], [AUTHOR]))
    assert kinds(migration) == ["RemoveField"]
    assert migration.operations[0].name == "bio"


def test_altered_field() -> None:
    after = model("testapp", "Author", ("name", models.CharField(max_length=300)))
    migration = only(detect([AUTHOR], [after]))
    assert kinds(migration) == ["AlterField"]
    assert migration.operations[0].field.max_length == 300


def test_altered_field_to_not_null_asks() -> None:
    before = model(
        "testapp", "Author", ("name", models.CharField(max_length=200, null=True))
    )
    questioner = RecordingQuestioner(not_null_default="anon")
    migration = only(detect([before], [AUTHOR], questioner))
    assert questioner.asked == [("not_null_alteration", ("name", "author"))]
    assert migration.operations[0].field.default == "anon"
    assert migration.operations[0].preserve_default is False


def test_renamed_field_asks() -> None:
    after = model("testapp", "Author", ("full_name", models.CharField(max_length=200)))
    questioner = RecordingQuestioner(ask_rename=True)
    migration = only(detect([AUTHOR], [after], questioner))
    assert questioner.asked == [("rename", ("author", "name", "full_name"))]
    assert kinds(migration) == ["RenameField"]
    operation = migration.operations[0]
    assert (operation.old_name, operation.new_name) == ("name", "full_name")


def test_renamed_field_declined_is_remove_and_add() -> None:
    after = model(
        "testapp", "Author", ("full_name", models.CharField(max_length=200, null=True))
    )
    before = model(
        "testapp", "Author", ("name", models.CharField(max_length=200, null=True))
    )
    migration = only(detect([before], [after], RecordingQuestioner()))
    assert sorted(kinds(migration)) == ["AddField", "RemoveField"]


def test_rename_keeping_db_column_alters_then_renames() -> None:
    after = model(
        "testapp",
        "Author",
        ("full_name", models.CharField(max_length=200, db_column="name")),
    )
    questioner = RecordingQuestioner(ask_rename=True)
    migration = only(detect([AUTHOR], [after], questioner))
    assert kinds(migration) == ["AlterField", "RenameField"]
    assert migration.operations[0].name == "name"
    assert migration.operations[0].field.db_column == "name"


def test_field_changing_to_m2m_is_remove_and_add() -> None:
    tag = model("testapp", "Tag")
    before = model("testapp", "Book", ("tags", models.IntegerField(null=True)))
    after = model("testapp", "Book", ("tags", models.ManyToManyField("testapp.Tag")))
    migration = only(detect([tag, before], [tag, after]))
    assert kinds(migration) == ["RemoveField", "AddField"]


# -- options --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"ordering": ["name"]}, "AlterModelOptions"),
        ({"verbose_name": "writer"}, "AlterModelOptions"),
        ({"db_table": "authors"}, "AlterModelTable"),
        ({"db_table_comment": "People who write"}, "AlterModelTableComment"),
        ({"unique_together": {("name",)}}, "AlterUniqueTogether"),
    ],
)
def test_altered_options(options: dict[str, Any], expected: str) -> None:
    after = model(
        "testapp", "Author", ("name", models.CharField(max_length=200)), options=options
    )
    migration = only(detect([AUTHOR], [after]))
    assert kinds(migration) == [expected]


def test_altered_managers() -> None:
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        managers=[("people", models.Manager())],
    )
    migration = only(detect([AUTHOR], [after]))
    assert kinds(migration) == ["AlterModelManagers"]
    assert [name for name, _ in migration.operations[0].managers] == ["people"]


def test_order_with_respect_to() -> None:
    book = model(
        "testapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    after = model(
        "testapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
        options={"order_with_respect_to": "author"},
    )
    migration = only(detect([AUTHOR, book], [AUTHOR, after]))
    assert kinds(migration) == ["AlterOrderWithRespectTo"]
    assert migration.operations[0].order_with_respect_to == "author"


def test_removed_field_in_unique_together_drops_the_option_first() -> None:
    before = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("code", models.CharField(max_length=5)),
        options={"unique_together": {("name", "code")}},
    )
    migration = only(detect([before], [AUTHOR]))
    assert kinds(migration) == ["AlterUniqueTogether", "RemoveField"]


# -- indexes and constraints ----------------------------------------------------
def with_options(**options: Any) -> ModelState:
    return model(
        "testapp", "Author", ("name", models.CharField(max_length=200)), options=options
    )


def test_added_and_removed_index() -> None:
    index = models.Index(fields=["name"], name="author_name_idx")
    migration = only(detect([AUTHOR], [with_options(indexes=[index])]))
    assert kinds(migration) == ["AddIndex"]
    assert migration.operations[0].index.name == "author_name_idx"
    migration = only(detect([with_options(indexes=[index])], [AUTHOR]))
    assert kinds(migration) == ["RemoveIndex"]
    assert migration.operations[0].name == "author_name_idx"


def test_renamed_index() -> None:
    old = models.Index(fields=["name"], name="old_idx")
    new = models.Index(fields=["name"], name="new_idx")
    migration = only(
        detect([with_options(indexes=[old])], [with_options(indexes=[new])])
    )
    assert kinds(migration) == ["RenameIndex"]
    operation = migration.operations[0]
    assert (operation.old_name, operation.new_name) == ("old_idx", "new_idx")


def test_added_removed_and_changed_constraints() -> None:
    unique = models.UniqueConstraint(fields=["name"], name="unique_name")
    migration = only(detect([AUTHOR], [with_options(constraints=[unique])]))
    assert kinds(migration) == ["AddConstraint"]
    migration = only(detect([with_options(constraints=[unique])], [AUTHOR]))
    assert kinds(migration) == ["RemoveConstraint"]
    assert migration.operations[0].name == "unique_name"
    check = models.CheckConstraint(
        condition=models.Q(name__startswith="a"), name="unique_name"
    )
    migration = only(
        detect(
            [with_options(constraints=[unique])], [with_options(constraints=[check])]
        )
    )
    assert kinds(migration) == ["RemoveConstraint", "AddConstraint"]


# -- dependencies ---------------------------------------------------------------
def test_fk_to_other_app_depends_on_its_migration() -> None:
    book = model(
        "otherapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    changes = detect([], [AUTHOR, book])
    assert set(changes) == {"testapp", "otherapp"}
    (other,) = changes["otherapp"]
    (test,) = changes["testapp"]
    assert ("testapp", test.name) in other.dependencies


def test_fk_to_existing_app_depends_on_its_leaf() -> None:
    book = model(
        "otherapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    graph = MigrationGraph()
    graph.add_node(("testapp", "0001_initial"), Migration("0001_initial", "testapp"))
    graph.add_node(("testapp", "0002_more"), Migration("0002_more", "testapp"))
    graph.add_dependency(
        "testapp.0002_more", ("testapp", "0002_more"), ("testapp", "0001_initial")
    )
    autodetector = MigrationAutodetector(
        state(AUTHOR),
        state(AUTHOR, book),
        MigrationQuestioner(specified_apps={"otherapp"}),
    )
    changes = autodetector.changes(graph)
    (other,) = changes["otherapp"]
    assert other.name == "0001_initial"
    assert ("testapp", "0002_more") in other.dependencies


@override_settings(AUTH_USER_MODEL="auth.User")
def test_fk_to_user_model_is_a_swappable_dependency() -> None:
    user = model("auth", "User")
    post = model(
        "testapp",
        "Post",
        ("author", models.ForeignKey("auth.User", on_delete=models.CASCADE)),
    )
    autodetector = MigrationAutodetector(state(user), state(user, post))
    (migration,) = autodetector._detect_changes()["testapp"]
    assert ("__setting__", "AUTH_USER_MODEL") in migration.dependencies


def test_circular_fks_across_apps_split_into_two_migrations() -> None:
    author = model(
        "testapp",
        "Author",
        ("favourite", models.ForeignKey("otherapp.Book", on_delete=models.CASCADE)),
    )
    book = model(
        "otherapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    changes = detect([], [author, book])
    total = sum(len(migrations) for migrations in changes.values())
    assert total == 3
    split_app = next(app for app, migrations in changes.items() if len(migrations) == 2)
    first, second = changes[split_app]
    assert (split_app, first.name) in second.dependencies
    other_app = "otherapp" if split_app == "testapp" else "testapp"
    (other,) = changes[other_app]
    assert (split_app, first.name) in other.dependencies
    assert (other_app, other.name) in second.dependencies


def test_deleting_model_removes_pointing_fk_first() -> None:
    book = model(
        "testapp",
        "Book",
        (
            "author",
            models.ForeignKey("testapp.Author", on_delete=models.CASCADE, null=True),
        ),
        ("title", models.CharField(max_length=10)),
    )
    new_book = model("testapp", "Book", ("title", models.CharField(max_length=10)))
    migration = only(detect([AUTHOR, book], [new_book]))
    assert kinds(migration) == ["RemoveField", "DeleteModel"]


# -- naming and graph -----------------------------------------------------------
def test_arrange_for_graph_numbers_after_the_leaf() -> None:
    graph = MigrationGraph()
    graph.add_node(("testapp", "0001_initial"), Migration("0001_initial", "testapp"))
    graph.add_node(("testapp", "0002_foobar"), Migration("0002_foobar", "testapp"))
    graph.add_dependency(
        "testapp.0002_foobar", ("testapp", "0002_foobar"), ("testapp", "0001_initial")
    )
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("bio", models.TextField(null=True)),
    )
    autodetector = MigrationAutodetector(state(AUTHOR), state(after))
    changes = autodetector.changes(graph)
    (migration,) = changes["testapp"]
    assert migration.name == "0003_author_bio"
    assert migration.dependencies == [("testapp", "0002_foobar")]


def test_arrange_for_graph_uses_given_name_and_initial() -> None:
    autodetector = MigrationAutodetector(
        state(), state(AUTHOR), MigrationQuestioner(specified_apps={"testapp"})
    )
    changes = autodetector.changes(MigrationGraph())
    assert changes["testapp"][0].name == "0001_initial"
    autodetector = MigrationAutodetector(
        state(), state(AUTHOR), MigrationQuestioner(specified_apps={"testapp"})
    )
    changes = autodetector.changes(MigrationGraph(), migration_name="start")
    assert changes["testapp"][0].name == "0001_start"


def test_app_without_migrations_is_left_out_unless_asked() -> None:
    autodetector = MigrationAutodetector(state(), state(AUTHOR), MigrationQuestioner())
    assert autodetector.changes(MigrationGraph()) == {}


def test_trim_to_apps_keeps_required_apps() -> None:
    book = model(
        "otherapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    lonely = model("thirdapp", "Lonely")
    questioner = MigrationQuestioner(defaults={"ask_initial": True})
    autodetector = MigrationAutodetector(
        state(), state(AUTHOR, book, lonely), questioner
    )
    changes = autodetector.changes(MigrationGraph(), trim_to_apps={"otherapp"})
    assert set(changes) == {"otherapp", "testapp"}


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("0001_initial", 1),
        ("0042_auto", 42),
        ("0002_squashed_0005_stuff", 5),
        ("manual", None),
        ("00_x", 0),
    ],
)
def test_parse_number(name: str, number: int | None) -> None:
    assert MigrationAutodetector.parse_number(name) == number


def test_deleted_proxy() -> None:
    proxy = ModelState(
        "testapp", "AuthorProxy", [], options={"proxy": True}, bases=("testapp.author",)
    )
    migration = only(detect([AUTHOR, proxy], [AUTHOR]))
    assert kinds(migration) == ["DeleteModel"]
    assert migration.operations[0].name == "AuthorProxy"


def test_proxy_becoming_concrete_deletes_then_creates() -> None:
    proxy = ModelState(
        "testapp", "Special", [], options={"proxy": True}, bases=("testapp.author",)
    )
    concrete = model("testapp", "Special", ("rank", models.IntegerField()))
    migration = only(detect([AUTHOR, proxy], [AUTHOR, concrete]))
    assert kinds(migration) == ["DeleteModel", "CreateModel"]


def test_unmanaged_becoming_managed_only_alters_options() -> None:
    before = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        options={"managed": False},
    )
    migration = only(detect([before], [AUTHOR]))
    assert kinds(migration) == ["AlterModelOptions"]
    assert migration.operations[0].options == {}


def test_deleting_two_related_models_removes_the_fk_first() -> None:
    book = model(
        "testapp",
        "Book",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    migration = only(detect([AUTHOR, book], []))
    assert kinds(migration) == ["RemoveField", "DeleteModel", "DeleteModel"]
    assert [op.name for op in migration.operations[1:]] == ["Author", "Book"]


def test_deleting_a_through_model_removes_the_m2m_first() -> None:
    book = model(
        "testapp",
        "Book",
        (
            "authors",
            models.ManyToManyField("testapp.Author", through="testapp.Contribution"),
        ),
    )
    contribution = model(
        "testapp",
        "Contribution",
        ("author", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
        ("book", models.ForeignKey("testapp.Book", on_delete=models.CASCADE)),
    )
    bare_book = model("testapp", "Book")
    migration = only(detect([AUTHOR, book, contribution], [AUTHOR, bare_book]))
    described = [
        (type(op).__name__, getattr(op, "name", "")) for op in migration.operations
    ]
    assert described.index(("RemoveField", "authors")) < described.index(
        ("DeleteModel", "Contribution")
    )


def test_fk_retargeted_depends_on_new_target() -> None:
    publisher = model("otherapp", "Publisher")
    book = model(
        "testapp",
        "Book",
        ("owner", models.ForeignKey("testapp.Author", on_delete=models.CASCADE)),
    )
    retargeted = model(
        "testapp",
        "Book",
        ("owner", models.ForeignKey("otherapp.Publisher", on_delete=models.CASCADE)),
    )
    changes = detect([AUTHOR, book], [AUTHOR, retargeted, publisher])
    (other,) = changes["otherapp"]
    (test,) = changes["testapp"]
    assert kinds(test) == ["AlterField"]
    assert ("otherapp", other.name) in test.dependencies


def test_db_default_counts_as_a_default() -> None:
    after = model(
        "testapp",
        "Author",
        ("name", models.CharField(max_length=200)),
        ("score", models.IntegerField(db_default=0)),
    )
    questioner = RecordingQuestioner()
    migration = only(detect([AUTHOR], [after], questioner))
    assert questioner.asked == []
    assert migration.operations[0].preserve_default is True
