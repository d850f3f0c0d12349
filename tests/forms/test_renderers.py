"""Form renderers: the default engine, FORM_RENDERER and project overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche import forms
from manouche.forms.renderers import (
    BaseRenderer,
    DjangoTemplates,
    TemplatesSetting,
    get_default_renderer,
)
from manouche.test.utils import override_settings


class NameForm(forms.Form):
    name = forms.CharField()


def test_default_renderer_is_cached_and_follows_the_setting() -> None:
    assert isinstance(get_default_renderer(), DjangoTemplates)
    assert get_default_renderer() is get_default_renderer()
    with override_settings(FORM_RENDERER="manouche.forms.renderers.TemplatesSetting"):
        assert isinstance(get_default_renderer(), TemplatesSetting)
    assert isinstance(get_default_renderer(), DjangoTemplates)


def test_default_renderer_works_without_a_templates_setting() -> None:
    with override_settings(TEMPLATES=[]):
        assert 'name="name"' in str(NameForm())


def test_templates_setting_lets_a_project_override_widget_templates(
    tmp_path: Path,
) -> None:
    override = tmp_path / "manouche" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "text.html").write_text('<custom name="{{ widget.name }}">')
    templates = [
        {
            "BACKEND": "manouche.template.backends.manouche.DjangoTemplates",
            "DIRS": [str(tmp_path), str(Path(forms.__file__).parent / "templates")],
        }
    ]
    from manouche.template import engines

    with override_settings(
        TEMPLATES=templates,
        FORM_RENDERER="manouche.forms.renderers.TemplatesSetting",
    ):
        engines.__dict__.pop("templates", None)
        engines._engines.clear()
        try:
            assert '<custom name="name">' in str(NameForm())
        finally:
            engines.__dict__.pop("templates", None)
            engines._engines.clear()


def test_custom_renderer_per_form_and_field_template() -> None:
    class UpperRenderer(DjangoTemplates):
        form_template_name = "manouche/forms/p.html"

    class F(forms.Form):
        default_renderer = UpperRenderer
        name = forms.CharField()

    assert str(F()).lstrip().startswith("<p>")
    assert F().template_name == "manouche/forms/p.html"
    assert 'name="name"' in F()["name"].as_field_group()


def test_base_renderer_requires_get_template() -> None:
    with pytest.raises(NotImplementedError):
        BaseRenderer().get_template("x.html")
