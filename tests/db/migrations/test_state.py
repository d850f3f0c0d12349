"""ProjectState, ModelState and StateApps: building, changing, rendering."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.apps.registry import Apps
from manouche.db import models
from manouche.db.migrations.exceptions import InvalidBasesError
from manouche.db.migrations.state import (
    AppConfigStub,
    ModelState,
    ProjectState,
    StateApps,
)
from manouche.db.models.fields import NOT_PROVIDED


class PonyManager(models.Manager):
    use_in_migrations = True


def _registry() -> Apps:
    return Apps([AppConfigStub("zoo")])


@pytest.fixture
def zoo() -> Apps:
    """A registry with a small app: inheritance, FK, M2M, proxy, options."""
    apps = _registry()

    class Meta:
        app_label = "zoo"

    class Keeper(models.Model):
        name = models.CharField(max_length=30)
        Meta = type("Meta", (), {"app_label": "zoo", "apps": apps})

    class Animal(models.Model):
        name = models.CharField(max_length=30, db_index=True)
        keeper = models.ForeignKey(
            Keeper, on_delete=models.CASCADE, related_name="animals"
        )
        friends = models.ManyToManyField("self")
        wild = PonyManager()
        Meta = type(
            "Meta",
            (),
            {
                "app_label": "zoo",
                "apps": apps,
                "ordering": ["name"],
                "unique_together": ("name", "keeper"),
                "indexes": [models.Index(fields=["keeper"], name="animal_keeper")],
                "verbose_name": "beast",
            },
        )

    class Lion(Animal):
        mane = models.BooleanField(default=True)
        Meta = type("Meta", (), {"app_label": "zoo", "apps": apps})

    class Shy(Animal):
        Meta = type("Meta", (), {"app_label": "zoo", "apps": apps, "proxy": True})

    return apps


def test_from_apps_describes_every_model_with_unbound_fields(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)

    assert sorted(state.models) == [
        ("zoo", "animal"),
        ("zoo", "keeper"),
        ("zoo", "lion"),
        ("zoo", "shy"),
    ]
    animal = state.models["zoo", "animal"]
    assert list(animal.fields) == ["id", "name", "keeper", "friends"]
    assert all(field.model is None for field in animal.fields.values())
    assert animal.fields["keeper"].remote_field.model == "zoo.keeper"
    assert animal.options["ordering"] == ["name"]
    assert animal.options["unique_together"] == {("name", "keeper")}
    assert animal.options["verbose_name"] == "beast"
    assert [index.name for index in animal.options["indexes"]] == ["animal_keeper"]
    assert [name for name, _ in animal.managers] == ["wild"]


def test_from_model_keeps_bases_and_parent_links(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)

    lion = state.models["zoo", "lion"]
    assert lion.bases == ("zoo.animal",)
    assert list(lion.fields) == ["animal_ptr", "mane"]
    assert lion.fields["animal_ptr"].remote_field.parent_link is True
    shy = state.models["zoo", "shy"]
    assert shy.options["proxy"] is True
    assert shy.fields == {}


def test_from_model_can_leave_relations_out(zoo: Apps) -> None:
    animal = zoo.get_model("zoo", "Animal")

    model_state = ModelState.from_model(animal, exclude_rels=True)

    assert list(model_state.fields) == ["id", "name"]


def test_rendered_models_are_full_models_in_their_own_registry(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)

    apps = state.apps
    animal = apps.get_model("zoo", "Animal")
    keeper = apps.get_model("zoo", "Keeper")
    lion = apps.get_model("zoo", "Lion")

    assert isinstance(apps, StateApps)
    assert animal is not zoo.get_model("zoo", "Animal")
    assert animal._meta.apps is apps
    assert animal._meta.get_field("keeper").related_model is keeper
    assert [rel.name for rel in keeper._meta.related_objects] == ["animals"]
    assert issubclass(lion, animal)
    assert apps.get_model("zoo", "Shy")._meta.proxy is True
    assert animal._meta.ordering == ["name"]
    assert [manager.name for manager in animal._meta.managers] == ["wild"]
    assert type(animal._default_manager) is PonyManager


def test_each_state_renders_tables_on_its_own_metadata(zoo: Apps) -> None:
    first = ProjectState.from_apps(zoo)
    second = ProjectState.from_apps(zoo)

    table_one = first.apps.get_model("zoo", "Animal")._meta.sa_table
    table_two = second.apps.get_model("zoo", "Animal")._meta.sa_table

    assert table_one is not table_two
    assert table_one.metadata is not table_two.metadata
    assert table_one.metadata is not zoo.get_model("zoo", "Animal")._meta.db_metadata
    assert set(table_one.c.keys()) == {"id", "name", "keeper_id"}


def test_clone_is_independent_of_the_original(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)
    old_animal = state.apps.get_model("zoo", "Animal")

    clone = state.clone()
    clone.add_field(
        "zoo", "keeper", "age", models.IntegerField(default=1), preserve_default=True
    )

    assert "age" not in state.models["zoo", "keeper"].fields
    assert state.apps.get_model("zoo", "Animal") is old_animal
    new_keeper = clone.apps.get_model("zoo", "Keeper")
    assert [f.name for f in new_keeper._meta.fields] == ["id", "name", "age"]
    # Related models were rendered again against the new Keeper.
    new_animal = clone.apps.get_model("zoo", "Animal")
    assert new_animal._meta.get_field("keeper").related_model is new_keeper
    assert old_animal._meta.get_field("keeper").related_model is (
        state.apps.get_model("zoo", "Keeper")
    )


def test_states_compare_by_content(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)

    assert state == ProjectState.from_apps(zoo)
    assert state == state.clone()
    changed = state.clone()
    changed.alter_model_options("zoo", "keeper", {"verbose_name": "guard"})
    assert state != changed


def test_add_field_without_preserving_the_default_drops_it() -> None:
    state = ProjectState()
    state.add_model(
        ModelState("zoo", "Cage", [("id", models.AutoField(primary_key=True))])
    )
    field = models.IntegerField(default=7)

    state.add_field("zoo", "cage", "size", field, preserve_default=False)

    assert state.models["zoo", "cage"].fields["size"].default is NOT_PROVIDED
    assert field.default == 7


def test_remove_model_renders_related_models_without_it(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)
    state.apps  # noqa: B018 - render first, so the removal reloads

    state.remove_model("zoo", "shy")
    state.remove_model("zoo", "lion")
    state.remove_field("zoo", "animal", "keeper")

    keeper = state.apps.get_model("zoo", "Keeper")
    assert keeper._meta.related_objects == ()
    with pytest.raises(LookupError):
        state.apps.get_model("zoo", "Lion")


def test_rename_model_repoints_relations_and_bases(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)
    state.apps  # noqa: B018

    state.rename_model("zoo", "Animal", "Creature")

    assert ("zoo", "animal") not in state.models
    assert state.models["zoo", "lion"].bases == ("zoo.creature",)
    creature = state.apps.get_model("zoo", "Creature")
    assert creature._meta.object_name == "Creature"
    assert state.apps.get_model("zoo", "Lion").__bases__ == (creature,)
    keeper = state.apps.get_model("zoo", "Keeper")
    assert keeper._meta.get_field("animals").related_model is creature
    assert ("zoo", "creature") in state.relations["zoo", "keeper"]


def test_rename_field_follows_options_and_to_field() -> None:
    state = ProjectState()
    state.add_model(
        ModelState(
            "zoo",
            "Tag",
            [
                ("id", models.AutoField(primary_key=True)),
                ("code", models.CharField(max_length=5, unique=True)),
            ],
            options={"unique_together": {("id", "code")}},
        )
    )
    state.add_model(
        ModelState(
            "zoo",
            "Label",
            [
                ("id", models.AutoField(primary_key=True)),
                (
                    "tag",
                    models.ForeignKey(
                        "zoo.Tag", on_delete=models.CASCADE, to_field="code"
                    ),
                ),
            ],
        )
    )

    state.rename_field("zoo", "tag", "code", "slug")

    assert list(state.models["zoo", "tag"].fields) == ["id", "slug"]
    assert state.models["zoo", "tag"].options["unique_together"] == [["id", "slug"]]
    label_field = state.models["zoo", "label"].fields["tag"]
    assert label_field.deconstruct()[3]["to_field"] == "slug"
    rendered = state.apps.get_model("zoo", "Label")._meta.get_field("tag")
    assert rendered.target_field.name == "slug"


def test_rename_field_of_an_unknown_field_is_a_clear_error() -> None:
    state = ProjectState()
    state.add_model(
        ModelState("zoo", "Cage", [("id", models.AutoField(primary_key=True))])
    )

    with pytest.raises(LookupError, match="has no field 'size'"):
        state.rename_field("zoo", "cage", "size", "width")


def test_index_and_constraint_changes_reach_the_rendered_model() -> None:
    state = ProjectState()
    state.add_model(
        ModelState(
            "zoo",
            "Cage",
            [
                ("id", models.AutoField(primary_key=True)),
                ("size", models.IntegerField()),
            ],
        )
    )
    check = models.CheckConstraint(condition=models.Q(size__gte=0), name="size_ok")

    state.add_index("zoo", "cage", models.Index(fields=["size"], name="cage_size"))
    state.add_constraint("zoo", "cage", check)
    state.rename_index("zoo", "cage", "cage_size", "cage_size2")

    meta = state.apps.get_model("zoo", "Cage")._meta
    assert [index.name for index in meta.indexes] == ["cage_size2"]
    assert [constraint.name for constraint in meta.constraints] == ["size_ok"]
    model_state = state.models["zoo", "cage"]
    assert model_state.get_index_by_name("cage_size2").fields == ["size"]
    assert model_state.get_constraint_by_name("size_ok").name == "size_ok"
    with pytest.raises(ValueError, match="No index named cage_size on model Cage"):
        model_state.get_index_by_name("cage_size")

    state.remove_index("zoo", "cage", "cage_size2")
    state.remove_constraint("zoo", "cage", "size_ok")
    meta = state.apps.get_model("zoo", "Cage")._meta
    assert meta.indexes == []
    assert meta.constraints == []


def test_alter_model_table_and_comment() -> None:
    state = ProjectState()
    state.add_model(
        ModelState("zoo", "Cage", [("id", models.AutoField(primary_key=True))])
    )

    state.alter_model_table("zoo", "cage", "cages")
    state.alter_model_table_comment("zoo", "cage", "where animals live")

    meta = state.apps.get_model("zoo", "Cage")._meta
    assert meta.db_table == "cages"
    assert meta.db_table_comment == "where animals live"
    state.alter_model_table("zoo", "cage", None)
    assert state.apps.get_model("zoo", "Cage")._meta.db_table == "zoo_cage"


def test_relations_map_targets_to_referencing_fields(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)

    relations = state.relations

    assert list(relations["zoo", "keeper"]) == [("zoo", "animal")]
    assert list(relations["zoo", "keeper"]["zoo", "animal"]) == ["keeper"]
    assert "friends" in relations["zoo", "animal"]["zoo", "animal"]
    assert state.get_concrete_model_key("zoo.Shy") == ("zoo", "animal")
    assert state.get_concrete_model_key("zoo.Lion") == ("zoo", "lion")


def test_missing_related_model_is_a_clear_error() -> None:
    state = ProjectState()
    state.add_model(
        ModelState(
            "zoo",
            "Cage",
            [
                ("id", models.AutoField(primary_key=True)),
                ("lock", models.ForeignKey("zoo.Lock", on_delete=models.CASCADE)),
            ],
        )
    )

    with pytest.raises(ValueError, match=r"zoo\.Cage\.lock was declared with a lazy "):
        state.apps  # noqa: B018


def test_unrenderable_bases_are_a_clear_error() -> None:
    state = ProjectState()
    state.add_model(ModelState("zoo", "Cub", [], bases=("zoo.lion",)))

    with pytest.raises(InvalidBasesError, match=r"Cannot resolve bases for zoo\.Cub"):
        state.apps  # noqa: B018


def test_bases_rendered_later_are_resolved() -> None:
    state = ProjectState()
    state.add_model(
        ModelState("zoo", "Cub", [], bases=("zoo.parent",), options={"proxy": True})
    )
    state.add_model(
        ModelState("zoo", "Parent", [("id", models.AutoField(primary_key=True))])
    )

    cub = state.apps.get_model("zoo", "Cub")

    assert cub._meta.proxy_for_model is state.apps.get_model("zoo", "Parent")


def test_model_state_refuses_bound_fields_and_model_classes(zoo: Apps) -> None:
    bound = zoo.get_model("zoo", "Keeper")._meta.get_field("name")
    with pytest.raises(ValueError, match='cannot be bound to a model - "name" is'):
        ModelState("zoo", "Bad", [("name", bound)])

    keeper = zoo.get_model("zoo", "Keeper")
    field = models.ForeignKey(keeper, on_delete=models.CASCADE)
    with pytest.raises(ValueError, match=r"zoo\.Bad\.keeper\.to"):
        ModelState("zoo", "Bad", [("keeper", field)])

    with pytest.raises(ValueError, match="require a name attribute"):
        ModelState("zoo", "Bad", [], options={"indexes": [models.Index(fields=["a"])]})


def test_model_state_accessors() -> None:
    model_state = ModelState(
        "zoo",
        "BigCat",
        [("id", models.AutoField(primary_key=True))],
        options={"order_with_respect_to": "id"},
    )

    assert model_state.name_lower == "bigcat"
    assert model_state.get_field("_order") is model_state.fields["id"]
    assert repr(model_state) == "<ModelState: 'zoo.BigCat'>"
    clone = model_state.clone()
    assert clone == model_state
    assert clone.fields["id"] is not model_state.fields["id"]


def test_state_apps_register_and_unregister_models() -> None:
    state = ProjectState()
    state.add_model(
        ModelState("zoo", "Cage", [("id", models.AutoField(primary_key=True))])
    )
    apps = state.apps

    apps.unregister_model("zoo", "cage")
    apps.unregister_model("zoo", "nothing")  # ignored

    with pytest.raises(LookupError):
        apps.get_model("zoo", "Cage")
    clone = apps.clone()
    state.models["zoo", "cage"].render(clone)
    assert clone.get_model("zoo", "Cage")._meta.apps is clone
    with pytest.raises(LookupError):
        apps.get_model("zoo", "Cage")


def test_real_apps_are_rendered_from_installed_models() -> None:
    state = ProjectState(real_apps={"contenttypes"})

    content_type: Any = state.apps.get_model("contenttypes", "ContentType")

    assert content_type._meta.apps is state.apps
    assert "app_label" in {field.name for field in content_type._meta.fields}


def test_reload_models_and_delayed_cache(zoo: Apps) -> None:
    state = ProjectState.from_apps(zoo)
    keeper = state.apps.get_model("zoo", "Keeper")

    state.reload_models([("zoo", "keeper")], delay=True)

    reloaded = state.apps.get_model("zoo", "Keeper")
    assert reloaded is not keeper
    assert (
        state.apps.get_model("zoo", "Animal")._meta.get_field("keeper").related_model
        is reloaded
    )
    assert state.is_delayed is False
    apps = state.apps
    state.clear_delayed_apps_cache()
    assert state.apps is apps
    state.is_delayed = True
    state.clear_delayed_apps_cache()
    assert state.apps is not apps


def test_remove_model_options_drops_one_entry() -> None:
    state = ProjectState()
    state.add_model(
        ModelState(
            "zoo",
            "Cage",
            [("id", models.AutoField(primary_key=True))],
            options={"index_together": [("a", "b"), ("c",)]},
        )
    )

    state.remove_model_options("zoo", "cage", "index_together", ["a", "b"])

    assert state.models["zoo", "cage"].options["index_together"] == [("c",)]
