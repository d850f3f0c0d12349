"""startproject and startapp: generated files, name validation, a project that runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from manouche.core.management import call_command
from manouche.core.management.base import CommandError
from manouche.core.management.templates import render_template_string

from .conftest import subprocess_env


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)


def test_render_is_single_pass_and_leaves_unknown_empty() -> None:
    context = {"project_name": "{{ secret_key }}", "secret_key": "s"}
    assert render_template_string("a {{ project_name }} {{nope}} b", context) == (
        "a {{ secret_key }}  b"
    )
    assert render_template_string("{% templatetag openvariable %}", {}) == "{{"


def test_startproject_creates_a_project_that_runs(in_tmp: Path) -> None:
    call_command("startproject", "mysite", verbosity=0)
    root = in_tmp / "mysite"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py")) == [
        "manage.py",
        "mysite/__init__.py",
        "mysite/asgi.py",
        "mysite/settings.py",
        "mysite/urls.py",
        "mysite/wsgi.py",
    ]
    settings_py = (root / "mysite" / "settings.py").read_text()
    assert 'ROOT_URLCONF = "mysite.urls"' in settings_py
    assert 'default="manouche-insecure-' in settings_py
    assert "{{" not in settings_py
    assert os.access(root / "manage.py", os.X_OK)
    env = subprocess_env()
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout == "System check identified no issues (0 silenced).\n"
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env={
            **env,
            "MANOUCHE_SECRET_KEY": "k" * 10 + "0123456789" * 5,
            "MANOUCHE_DEBUG": "false",
            "MANOUCHE_ALLOWED_HOSTS": "example.com",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert deploy.returncode == 1
    assert "security.W009" not in deploy.stderr
    assert "security.W018" not in deploy.stderr
    assert "security.W004" in deploy.stderr
    asgi = subprocess.run(
        [
            sys.executable,
            "-c",
            "import mysite.asgi as m; print(type(m.application).__name__)",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert asgi.returncode == 0, asgi.stderr
    assert asgi.stdout == "ASGIHandler\n"


def test_startproject_into_existing_directory(in_tmp: Path) -> None:
    target = in_tmp / "here"
    target.mkdir()
    call_command("startproject", "proj", str(target))
    assert (target / "manage.py").exists()
    assert (target / "proj" / "settings.py").exists()
    with pytest.raises(CommandError, match=r"already exists. Overlaying a project"):
        call_command("startproject", "proj", str(target))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "my-site",
            "'my-site' is not a valid project name. Please make sure the name "
            "is a valid identifier.",
        ),
        ("class", "'class' is not a valid project name."),
        (
            "os",
            "'os' conflicts with the name of an existing Python module and cannot "
            "be used as a project name. Please try another name.",
        ),
    ],
)
def test_startproject_rejects_bad_names(in_tmp: Path, name: str, message: str) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command("startproject", name)
    assert str(excinfo.value).startswith(message)
    assert not (in_tmp / name).exists()


def test_startproject_missing_target_and_existing_dir(in_tmp: Path) -> None:
    with pytest.raises(CommandError, match=r"does not exist, please create it first."):
        call_command("startproject", "proj", str(in_tmp / "missing"))
    (in_tmp / "taken").mkdir()
    with pytest.raises(CommandError, match=r"'.*taken' already exists"):
        call_command("startproject", "taken")
    with pytest.raises(CommandError, match=r"Error: You must provide a project name."):
        call_command("startproject")


def test_startapp_files_and_camel_case(in_tmp: Path) -> None:
    call_command("startapp", "blog_posts")
    app = in_tmp / "blog_posts"
    assert sorted(p.name for p in app.iterdir()) == [
        "__init__.py",
        "apps.py",
        "migrations",
        "models.py",
        "tests.py",
        "views.py",
    ]
    assert (app / "migrations" / "__init__.py").read_text() == ""
    apps_py = (app / "apps.py").read_text()
    assert "class BlogPostsConfig(AppConfig):" in apps_py
    assert 'name = "blog_posts"' in apps_py


def test_custom_template_extensions_and_names(in_tmp: Path) -> None:
    template = in_tmp / "tpl"
    (template / "app_name").mkdir(parents=True)
    (template / "app_name" / "README.md").write_text("# {{ app_name }}\n")
    (template / "notes.txt").write_text("{{ app_name }} raw\n")
    (template / "Makefile").write_text("run: {{ app_name }}\n")
    (template / "__pycache__").mkdir()
    (template / "__pycache__" / "x.pyc").write_bytes(b"")
    call_command(
        "startapp",
        "shop",
        template=str(template),
        extensions=["md"],
        files=["Makefile"],
    )
    shop = in_tmp / "shop"
    assert (shop / "shop" / "README.md").read_text() == "# shop\n"
    assert (shop / "notes.txt").read_text() == "{{ app_name }} raw\n"
    assert (shop / "Makefile").read_text() == "run: shop\n"
    assert not (shop / "__pycache__").exists()


def test_remote_templates_are_refused(in_tmp: Path) -> None:
    with pytest.raises(CommandError, match="only local directories are supported"):
        call_command("startapp", "shop", template="https://example.com/t.zip")
    with pytest.raises(CommandError, match="couldn't handle app template"):
        call_command("startapp", "shop2", template=str(in_tmp / "nope"))
