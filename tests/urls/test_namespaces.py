"""Application and instance namespaces in reverse()."""

from __future__ import annotations

import pytest

from manouche.test.utils import override_settings
from manouche.urls import NoReverseMatch, reverse

pytestmark = pytest.mark.usefixtures("main_urlconf")


@pytest.fixture
def main_urlconf():
    with override_settings(ROOT_URLCONF="tests.urls.urlconfs.main"):
        yield


def test_instance_namespace():
    assert reverse("blog-two:index") == "/blog-two/"
    assert reverse("blog-two:detail", args=[3]) == "/blog-two/3/"


def test_application_namespace_uses_the_default_instance():
    # The instance named like the app ("blog") is the default.
    assert reverse("blog:detail", kwargs={"pk": 3}) == "/blog/3/"


def test_current_app_selects_the_instance():
    assert reverse("blog:detail", args=[3], current_app="blog-two") == "/blog-two/3/"
    assert reverse("blog:detail", args=[3], current_app="blog") == "/blog/3/"
    assert reverse("blog:detail", args=[3], current_app="unknown") == "/blog/3/"


def test_tuple_include_with_namespace():
    assert reverse("t1:x") == "/tuple/x/"
    assert reverse("tuple-app:x") == "/tuple/x/"


def test_nested_namespaces_and_captures_in_the_parent():
    assert reverse("outer:index") == "/outer/"
    assert reverse("outer:blog:detail", args=[1]) == "/outer/blog/1/"
    assert reverse("outer:sec:detail", kwargs={"section": 2, "pk": 1}) == (
        "/outer/2/blog/1/"
    )
    url = reverse("outer:blog:index", kwargs={"section": 9}, current_app="outer:sec")
    assert url == "/outer/9/blog/"
    assert reverse("outer:blog:index", current_app="outer") == "/outer/blog/"


def test_nested_application_namespace_with_current_app():
    url = reverse(
        "outer:blog:archive",
        kwargs={"section": 4, "year": "2020"},
        current_app="outer:sec",
    )
    assert url == "/outer/4/blog/archive/2020/"


def test_unregistered_namespace_messages():
    with pytest.raises(NoReverseMatch) as info:
        reverse("missing:index")
    assert str(info.value) == "'missing' is not a registered namespace"
    with pytest.raises(NoReverseMatch) as info:
        reverse("outer:missing:index")
    assert str(info.value) == "'missing' is not a registered namespace inside 'outer'"


def test_names_inside_a_namespace_are_not_global():
    with pytest.raises(NoReverseMatch):
        reverse("detail", args=[1])
    with pytest.raises(NoReverseMatch):
        reverse("blog-two:about")
