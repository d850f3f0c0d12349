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
