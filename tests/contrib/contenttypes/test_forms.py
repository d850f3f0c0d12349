"""Generic inline formsets: edit the tags of one object on every backend."""

from __future__ import annotations

import pytest

from manouche.contrib.contenttypes.forms import (
    BaseGenericInlineFormSet,
    generic_inlineformset_factory,
)
from manouche.contrib.contenttypes.models import ContentType
from manouche.db import models
from manouche.test.utils import isolate_apps
from tests.contrib.contenttypes.genericapp.models import (
    Bookmark,
    Comment,
    Note,
    TaggedItem,
)
from tests.db.conftest import DatabaseFixture

PREFIX = "genericapp-taggeditem-content_type-object_id"


def test_forms_hide_the_generic_key_columns(tables: DatabaseFixture) -> None:
    formset_class = generic_inlineformset_factory(TaggedItem, extra=1)
    assert issubclass(formset_class, BaseGenericInlineFormSet)
    formset = formset_class()
    assert formset.prefix == PREFIX
    assert list(formset.forms[0].fields) == ["tag", "id", "DELETE"]
    assert list(formset.get_queryset()) == []
    assert formset.get_queryset().ordered


def test_only_the_instances_objects_are_edited(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    first = TaggedItem.objects.create(tag="a", content_object=bookmark)
    TaggedItem.objects.create(tag="other", content_object=Note.objects.create(text="n"))
    formset = generic_inlineformset_factory(TaggedItem, extra=2)(instance=bookmark)
    assert len(formset.forms) == 3
    assert formset.forms[0].instance == first
    assert formset.forms[1].instance.pk is None


def test_new_objects_point_at_the_instance(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-MAX_NUM_FORMS": "",
        "form-0-tag": "fresh",
    }
    formset_class = generic_inlineformset_factory(TaggedItem)
    formset = formset_class(data, instance=bookmark, prefix="form")
    assert formset.is_valid(), formset.errors
    (saved,) = formset.save()
    assert saved.content_type == ContentType.objects.get_for_model(Bookmark)
    assert saved.object_id == bookmark.pk
    assert [tag.tag for tag in bookmark.tags.all()] == ["fresh"]


def test_save_as_new_copies_the_objects(tables: DatabaseFixture) -> None:
    bookmark = Bookmark.objects.create(title="b")
    old = TaggedItem.objects.create(tag="old", content_object=bookmark)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MAX_NUM_FORMS": "",
        "form-0-id": str(old.pk),
        "form-0-tag": "copy",
    }
    formset_class = generic_inlineformset_factory(TaggedItem)
    formset = formset_class(data, instance=bookmark, prefix="form", save_as_new=True)
    assert formset.initial_form_count() == 0
    assert formset.is_valid(), formset.errors
    formset.save()
    assert sorted(tag.tag for tag in bookmark.tags.all()) == ["copy", "old"]


def test_other_key_column_names(tables: DatabaseFixture) -> None:
    formset_class = generic_inlineformset_factory(Comment, fk_field="object_pk")
    assert formset_class.get_default_prefix() == (
        "genericapp-comment-content_type-object_pk"
    )


@isolate_apps("tests.contrib.contenttypes.genericapp")
def test_content_type_must_be_a_foreign_key_to_content_type() -> None:
    class Bad(models.Model):
        content_type = models.PositiveIntegerField()
        object_id = models.PositiveIntegerField()

        class Meta:
            app_label = "genericapp"

    with pytest.raises(ValueError, match=r"'genericapp.Bad.content_type' is not a"):
        generic_inlineformset_factory(Bad)
