"""ModelForm, model formsets and model choice fields over the real ORM (sqlite)."""

from __future__ import annotations

from typing import Any

import pytest

from manouche import forms
from manouche.core.exceptions import ImproperlyConfigured
from tests.db.models.modelapp.models import Author, Book, Publisher, Tag

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


class AuthorForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name", "email", "age"]
        labels = {"age": "Years"}
        help_texts = {"name": "Full name"}


def test_model_form_fields_follow_the_model(database: Any) -> None:
    form = AuthorForm()
    assert list(form.fields) == ["name", "email", "age"]
    assert isinstance(form.fields["name"], forms.CharField)
    assert form.fields["name"].max_length == 100
    assert form.fields["name"].required
    assert isinstance(form.fields["email"], forms.EmailField)
    assert not form.fields["email"].required
    assert not form.fields["age"].required
    assert form.fields["age"].label == "Years"
    assert form.fields["name"].help_text == "Full name"


def test_model_form_requires_fields_or_exclude(database: Any) -> None:
    with pytest.raises(ImproperlyConfigured, match="'fields' attribute"):

        class Bad(forms.ModelForm):
            class Meta:
                model = Author

    with pytest.raises(ImproperlyConfigured, match="'fields' or"):
        forms.modelform_factory(Author)


def test_model_form_creates_and_edits(database: Any) -> None:
    database.create_models(Author)
    form = AuthorForm({"name": "Ann", "email": "", "age": "30"})
    assert form.is_valid(), form.errors
    author = form.save()
    assert author.pk is not None
    assert Author.objects.get(pk=author.pk).age == 30
    edit = AuthorForm({"name": "Ann B", "email": "a@b.co", "age": ""}, instance=author)
    assert edit.initial["name"] == "Ann"
    assert edit.is_valid(), edit.errors
    edit.save()
    author.refresh_from_db()
    assert (author.name, author.email, author.age) == ("Ann B", "a@b.co", None)


def test_commit_false_and_invalid_save(database: Any) -> None:
    database.create_models(Author)
    form = AuthorForm({"name": "Bo", "age": "1"})
    assert form.is_valid()
    author = form.save(commit=False)
    assert author.pk is None
    author.save()
    form.save_m2m()
    bad = AuthorForm({"name": ""})
    assert not bad.is_valid()
    with pytest.raises(ValueError, match="could not be created"):
        bad.save()


def test_unique_validation_becomes_a_form_error(database: Any) -> None:
    database.create_models(Publisher)
    form_class = forms.modelform_factory(Publisher, fields="__all__")
    assert form_class({"name": "P"}).save().pk
    form = form_class({"name": "P"})
    assert not form.is_valid()
    assert form.errors["name"] == ["Publisher with this Name already exists."]


def test_foreign_keys_become_model_choice_fields(database: Any) -> None:
    database.create_models(Author, Publisher, Tag, Book)
    ann = Author.objects.create(name="Ann")
    form_class = forms.modelform_factory(Book, fields=["title", "author", "tags"])
    form = form_class()
    assert isinstance(form.fields["author"], forms.ModelChoiceField)
    assert isinstance(form.fields["tags"], forms.ModelMultipleChoiceField)
    assert f'<option value="{ann.pk}">' in str(form["author"])
    form = form_class({"title": "T", "author": str(ann.pk)})
    assert form.is_valid(), form.errors
    book = form.save()
    assert book.author_id == ann.pk
    bad = form_class({"title": "T", "author": "999999"})
    assert not bad.is_valid()
    assert bad.has_error("author", "invalid_choice")
    hostile = form_class({"title": "T", "author": "9" * 5000})
    assert not hostile.is_valid()


def test_model_choice_fields(database: Any) -> None:
    database.create_models(Tag)
    a = Tag.objects.create(name="a")
    b = Tag.objects.create(name="b")
    field = forms.ModelChoiceField(Tag.objects.all())
    assert field.clean(str(a.pk)) == a
    assert next(label for _, label in field.choices) == "---------"
    assert len(field.choices) == 3
    multi = forms.ModelMultipleChoiceField(Tag.objects.all())
    assert {t.pk for t in multi.clean([str(a.pk), str(b.pk)])} == {a.pk, b.pk}
    with pytest.raises(forms.ValidationError, match="not one of the available"):
        multi.clean([str(a.pk), "424242"])
    with pytest.raises(forms.ValidationError, match="is not a valid value"):
        multi.clean(["x"])


def test_model_formset_edits_existing_and_adds_new(database: Any) -> None:
    database.create_models(Author)
    ann = Author.objects.create(name="Ann")
    formset_class = forms.modelformset_factory(Author, fields=["name"], extra=1)
    unbound = formset_class(queryset=Author.objects.all())
    assert unbound.initial_form_count() == 1
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(ann.pk),
        "form-0-name": "Ann 2",
        "form-1-name": "Bob",
    }
    formset = formset_class(data, queryset=Author.objects.all())
    assert formset.is_valid(), formset.errors
    saved = formset.save()
    assert sorted(a.name for a in saved) == ["Ann 2", "Bob"]
    assert Author.objects.count() == 2


def test_inline_formset_binds_children_to_the_parent(database: Any) -> None:
    database.create_models(Author, Publisher, Tag, Book)
    ann = Author.objects.create(name="Ann")
    formset_class = forms.inlineformset_factory(
        Author, Book, fields=["title"], extra=1, can_delete=False
    )
    prefix = formset_class.get_default_prefix()
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-title": "Child",
    }
    formset = formset_class(data, instance=ann)
    assert formset.is_valid(), formset.errors
    formset.save()
    assert [b.title for b in Book.objects.filter(author=ann)] == ["Child"]
