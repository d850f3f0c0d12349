"""makemigrations then migrate, step by step, on every backend, keeping rows."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.apps import apps
from manouche.core.management import call_command
from manouche.db import connection
from tests.db.conftest import DatabaseFixture
from tests.db.migrations.conftest import AppTree

HEADER = "from manouche.db import models\n\n\n"

STEP_1 = """
class Author(models.Model):
    name = models.CharField(max_length=100)
"""

# The name field renamed (confirmed at the prompt) and a nullable bio added.
STEP_2 = """
class Author(models.Model):
    full_name = models.CharField(max_length=100)
    bio = models.TextField(null=True)
"""

# A new model pointing at Author, and a wider full_name.
STEP_3 = """
class Author(models.Model):
    full_name = models.CharField(max_length=150)
    bio = models.TextField(null=True)


class Book(models.Model):
    title = models.CharField(max_length=100)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    class Meta:
        indexes = [models.Index(fields=["title"], name="shop_book_title_idx")]
"""


@pytest.fixture(autouse=True)
def _forget_app_models() -> Iterator[None]:
    yield
    apps.all_models.pop("shop", None)
    apps.clear_cache()


def write_models(tree: AppTree, source: str) -> None:
    """Replace the app's models module so the next install imports it afresh."""
    (tree.root / "shop" / "models.py").write_text(HEADER + source)
    for name in [n for n in sys.modules if n.startswith(tree.module("shop"))]:
        if not name.endswith(".migrations") and ".migrations." not in name:
            del sys.modules[name]
    for name in [n for n in sys.modules if ".migrations." in n]:
        if name.startswith(tree.package):
            del sys.modules[name]
    apps.all_models.pop("shop", None)


def makemigrations(**options: Any) -> str:
    stdout = io.StringIO()
    call_command(
        "makemigrations", "shop", stdout=stdout, stderr=io.StringIO(), **options
    )
    return stdout.getvalue()


def migrate() -> None:
    call_command("migrate", "shop", stdout=io.StringIO(), verbosity=0)


def columns(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name: column for column in description}


def test_three_steps_keep_the_data(
    make_apps: AppTree, database: DatabaseFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_apps.app("shop", None)
    write_models(make_apps, STEP_1)
    with make_apps.installed("shop"):
        assert "0001_initial.py" in makemigrations(interactive=False)
        migrate()
        author_model = apps.get_model("shop", "Author")
        author_model.objects.create(name="Ann")

    write_models(make_apps, STEP_2)
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    with make_apps.installed("shop"):
        out = makemigrations()
        assert "Was author.name renamed to author.full_name" in out
        migrate()
        assert {"full_name", "bio"} <= set(columns("shop_author"))
        assert "name" not in columns("shop_author")
        author = apps.get_model("shop", "Author").objects.get()
        assert author.full_name == "Ann"

    write_models(make_apps, STEP_3)
    with make_apps.installed("shop"):
        out = makemigrations(interactive=False)
        migrate()
        author_model = apps.get_model("shop", "Author")
        book_model = apps.get_model("shop", "Book")
        author = author_model.objects.get()
        book_model.objects.create(title="Notes", author=author)
        assert list(author.books.values_list("title", flat=True)) == ["Notes"]
        assert "author_id" in columns("shop_book")
        assert makemigrations(interactive=False, check_changes=True) == (
            "No changes detected in app 'shop'\n"
        )
    names = sorted(path.name for path in make_apps.migrations_dir("shop").glob("0*.py"))
    assert names[0] == "0001_initial.py"
    assert names[1].startswith("0002_")
    assert names[2].startswith("0003_")
    assert len(names) == 3
