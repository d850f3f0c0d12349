"""The documentation's examples, run as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def code_blocks(page: str, language: str) -> list[str]:
    text = (DOCS / page).read_text()
    return [body for lang, body in FENCE.findall(text) if lang == language]


def test_settings_topic_example_builds_settings(monkeypatch):
    monkeypatch.delenv("MANOUCHE_SECRET_KEY", raising=False)
    monkeypatch.setenv("MANOUCHE_DEBUG", "yes")
    monkeypatch.setenv("MANOUCHE_ALLOWED_HOSTS", "example.com, www.example.com")
    (block,) = code_blocks("topics/settings.md", "python")
    namespace: dict[str, object] = {}
    exec(compile(block, "docs/topics/settings.md", "exec"), namespace)
    assert namespace["DEBUG"] is True
    assert namespace["ALLOWED_HOSTS"] == ["example.com", "www.example.com"]
    assert namespace["SECRET_KEY"] == "manouche-insecure-dev-only"
    assert namespace["DATABASES"] == {
        "default": {"ENGINE": "manouche.db.backends.sqlite3", "NAME": "db.sqlite3"}
    }


@pytest.mark.e2e
def test_tutorial_project_passes_its_own_tests(tmp_path):
    views, urls, tests = code_blocks("tutorial/first-project.md", "python")
    run = [sys.executable, "-m", "manouche", "startproject", "mysite"]
    subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, timeout=60)
    project = tmp_path / "mysite"
    (project / "mysite" / "views.py").write_text(views)
    (project / "mysite" / "urls.py").write_text(urls)
    (project / "mysite" / "tests.py").write_text(tests)
    env = {**os.environ, "PYTHONPATH": str(project)}
    env.pop("MANOUCHE_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "test", "mysite"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Ran 1 test" in result.stderr + result.stdout
    assert "OK" in result.stderr + result.stdout


@pytest.mark.e2e
def test_migrations_topic_workflow_runs_as_written(tmp_path):
    first_model, second_model, data_migration = code_blocks(
        "topics/migrations.md", "python"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "mysite")}
    env.pop("MANOUCHE_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)

    def run(*args: str, cwd: Path) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    run("-m", "manouche", "startproject", "mysite", cwd=tmp_path)
    project = tmp_path / "mysite"
    run("manage.py", "startapp", "shop", cwd=project)
    settings_file = project / "mysite" / "settings.py"
    settings_file.write_text(
        settings_file.read_text().replace(
            '"manouche.contrib.humanize",', '"manouche.contrib.humanize",\n    "shop",'
        )
    )
    models = project / "shop" / "models.py"
    models.write_text(first_model)
    assert "shop/migrations/0001_initial.py" in run(
        "manage.py", "makemigrations", "shop", cwd=project
    )
    assert "Applying shop.0001_initial... OK" in run(
        "manage.py", "migrate", cwd=project
    )
    assert "[X] 0001_initial" in run("manage.py", "showmigrations", "shop", cwd=project)
    assert "CREATE TABLE shop_product" in run(
        "manage.py", "sqlmigrate", "shop", "0001", cwd=project
    )
    models.write_text(second_model)
    assert "0002_product_in_stock.py" in run(
        "manage.py", "makemigrations", "shop", cwd=project
    )
    (project / "shop" / "migrations" / "0003_mark_cheap_products.py").write_text(
        data_migration
    )
    assert "Applying shop.0003_mark_cheap_products... OK" in run(
        "manage.py", "migrate", cwd=project
    )
    run("manage.py", "makemigrations", "--check", "--dry-run", cwd=project)
    assert "Unapplying shop.0001_initial... OK" in run(
        "manage.py", "migrate", "shop", "zero", cwd=project
    )


@pytest.mark.e2e
def test_testing_topic_example_passes_in_a_new_project(tmp_path):
    (tests,) = code_blocks("topics/testing.md", "python")
    run = [sys.executable, "-m", "manouche", "startproject", "mysite"]
    subprocess.run(run, cwd=tmp_path, check=True, capture_output=True, timeout=60)
    project = tmp_path / "mysite"
    (project / "mysite" / "tests.py").write_text(tests)
    env = {**os.environ, "PYTHONPATH": str(project)}
    env.pop("MANOUCHE_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "test", "mysite"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Ran 3 tests" in output
    assert "OK" in output
