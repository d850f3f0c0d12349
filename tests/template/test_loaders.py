"""Template loaders: filesystem, app directories, locmem and the cached loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from manouche.template import Context, Engine, TemplateDoesNotExist


def test_template_does_not_exist_lists_tried_paths(tmp_path: Path) -> None:
    engine = Engine(dirs=[str(tmp_path)], debug=True)
    with pytest.raises(TemplateDoesNotExist) as info:
        engine.get_template("nope.html")
    assert info.value.tried[0][0].name == str(tmp_path / "nope.html")
    assert info.value.tried[0][1] == "Source does not exist"


def test_filesystem_loader_reads_the_first_directory_holding_the_name(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (second / "t.html").write_text("second {{ x }}")
    engine = Engine(dirs=[str(first), str(second)])
    assert engine.get_template("t.html").render(Context({"x": 1})) == "second 1"


def test_filesystem_loader_refuses_paths_outside_its_directories(
    tmp_path: Path,
) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    root = tmp_path / "templates"
    root.mkdir()
    engine = Engine(dirs=[str(root)])
    with pytest.raises(TemplateDoesNotExist):
        engine.get_template("../secret.txt")


def test_cached_loader_compiles_each_template_once(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("v1")
    engine = Engine(
        loaders=[
            (
                "manouche.template.loaders.cached.Loader",
                [("manouche.template.loaders.filesystem.Loader", [str(tmp_path)])],
            )
        ]
    )
    first = engine.get_template("t.html")
    (tmp_path / "t.html").write_text("v2")
    assert engine.get_template("t.html") is first
    engine.template_loaders[0].reset()
    assert engine.get_template("t.html").render(Context()) == "v2"


def test_locmem_loader_missing_name(engine: Engine) -> None:
    with pytest.raises(TemplateDoesNotExist, match="missing.html"):
        engine.get_template("missing.html")


@pytest.mark.usefixtures("app_templates")
def test_app_directories_loader_finds_app_templates() -> None:
    from manouche.template.loader import get_template

    assert get_template("testapp/item.html").render({"name": "n"}) == "<i>n</i>\n"
