"""Issue 4's scenario: one app through thirteen migrations without losing a row.

The ``scenario_app`` package is copied into a temporary package as the app
``library``; each step replaces its ``models.py`` (or hand-writes a data
migration), runs the real ``makemigrations`` (answering the rename prompts)
and ``migrate`` on the backend, then checks every row and M2M link through raw
SQL, the historical models of the executor's state and introspection. The
history is then walked back to zero and forward again, and finally squashed
and applied to a fresh database, whose introspected schema must equal the
unsquashed one.
"""

from __future__ import annotations

import importlib
import io
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from manouche.apps import apps
from manouche.core.management import CommandError, call_command
from manouche.db import connection
from manouche.db.migrations.executor import MigrationExecutor
from manouche.db.migrations.loader import MigrationLoader
from manouche.db.migrations.recorder import MigrationRecorder
from tests.db.conftest import DatabaseFixture
from tests.db.migrations.conftest import AppTree

SCENARIO = Path(__file__).parent / "scenario_app"
LABEL = "library"
#: Names given explicitly in the models (auto-generated names may differ
#: between a squashed and an unsquashed history, as in Django).
EXPLICIT_NAMES = {
    "library_book_title_idx",
    "library_book_author_title_uniq",
    "library_author_name_idx",
    "library_genre_name_uniq",
}
LONG_BIO = "A life in letters. " * 20  # 380 characters: too long before step 05.
HUGE_PAGE_COUNT = 5_000_000_000  # Needs a BIGINT.

Rows = dict[str, dict[int, dict[str, Any]]]


@pytest.fixture(autouse=True)
def _forget_app_models() -> Iterator[None]:
    yield
    apps.all_models.pop(LABEL, None)
    apps.clear_cache()


class Scenario:
    """The temporary ``library`` app, its expected rows and command helpers."""

    def __init__(self, tree: AppTree, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tree = tree
        self.monkeypatch = monkeypatch
        self.app_dir = tree.root / LABEL
        shutil.copytree(SCENARIO, self.app_dir, ignore=shutil.ignore_patterns("steps"))
        (self.app_dir / "migrations").mkdir()
        (self.app_dir / "migrations" / "__init__.py").write_text("")
        self.module = tree.module(LABEL)
        self.expected: Rows = {}

    # Files.

    def use_models(self, step: str) -> None:
        """Make ``steps/<step>.py`` the app's models module."""
        shutil.copyfile(SCENARIO / "steps" / f"{step}.py", self.app_dir / "models.py")
        self.forget_modules()

    def forget_modules(self) -> None:
        """Drop the app's modules so the next import reads the files afresh."""
        for name in [n for n in sys.modules if n.startswith(self.module)]:
            del sys.modules[name]
        apps.all_models.pop(LABEL, None)
        apps.clear_cache()
        importlib.invalidate_caches()

    def migration_names(self) -> list[str]:
        return sorted(p.stem for p in (self.app_dir / "migrations").glob("0*.py"))

    def hand_write(self, name: str, operations: str) -> str:
        """Create an empty migration with ``--empty`` and fill its operations."""
        self.makemigrations(empty=True, name=name)
        path = self.app_dir / "migrations" / f"{self.migration_names()[-1]}.py"
        source = path.read_text()
        assert "operations = []" in source, source
        source = source.replace("operations = []", f"operations = [{operations}]")
        path.write_text(f"from {self.module} import data\n{source}")
        self.forget_modules()
        return path.stem

    # Commands.

    def makemigrations(
        self, *, answers: list[str] | None = None, **options: Any
    ) -> str:
        """Run makemigrations; with ``answers`` interactively, else --noinput."""
        stdout = io.StringIO()
        if answers is None:
            options["interactive"] = False
        else:
            queue = list(answers)

            def answer(prompt: str = "") -> str:
                assert queue, f"unexpected question: {stdout.getvalue()}"
                return queue.pop(0)

            self.monkeypatch.setattr("builtins.input", answer)
        with self.tree.installed(LABEL):
            call_command("makemigrations", LABEL, stdout=stdout, **options)
        if answers is not None:
            assert not queue, f"questions not asked: {queue}"
        self.forget_modules()
        return stdout.getvalue()

    def migrate(self, target: str | None = None) -> None:
        args = [LABEL] if target is None else [LABEL, target]
        with self.tree.installed(LABEL):
            call_command("migrate", *args, stdout=io.StringIO(), verbosity=0)

    def step(self, models: str, *, answers: list[str] | None = None) -> str:
        """Switch to ``models``, make exactly one migration and apply it."""
        before = self.migration_names()
        self.use_models(models)
        out = self.makemigrations(answers=answers)
        after = self.migration_names()
        assert len(after) == len(before) + 1, out
        self.migrate()
        return out

    # Reading the database.

    def historical_apps(self) -> Any:
        """The state apps at the app's last applied migration."""
        with self.tree.installed(LABEL):
            loader = MigrationLoader(connection)
            leaf = max(name for app, name in loader.applied_migrations if app == LABEL)
            return loader.project_state((LABEL, leaf)).apps

    def applied(self) -> list[str]:
        recorder = MigrationRecorder(connection)
        return sorted(
            name for app, name in recorder.applied_migrations() if app == LABEL
        )

    def check(self) -> None:
        """Every expected row, and no other, is in the database."""
        assert read_rows() == self.expected
        assert self.applied() == self.migration_names()

    def check_orm(self) -> None:
        """The historical models see the same books, authors and tags."""
        book_model = self.historical_apps().get_model(LABEL, "Book")
        expected = {
            row["title"]: (
                self.expected_author_name(row["author_id"]),
                self.tag_names(book_id),
            )
            for book_id, row in self.expected["library_book"].items()
        }
        seen = {
            book.title: (
                getattr(book.author, self.author_name_column()),
                sorted(tag.name for tag in book.tags.all()),
            )
            for book in book_model.objects.order_by("pk")
        }
        assert seen == expected

    def author_name_column(self) -> str:
        row = next(iter(self.expected["library_author"].values()))
        return "full_name" if "full_name" in row else "name"

    def expected_author_name(self, author_id: int) -> str:
        row = self.expected["library_author"][author_id]
        return str(row[self.author_name_column()])

    def tag_names(self, book_id: int) -> list[str]:
        tag_table = (
            "library_genre" if "library_genre" in self.expected else "library_tag"
        )
        column = "genre_id" if tag_table == "library_genre" else "tag_id"
        return sorted(
            self.expected[tag_table][link[column]]["name"]
            for link in self.expected["library_book_tags"].values()
            if link["book_id"] == book_id
        )


@pytest.fixture
def scenario(make_apps: AppTree, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    return Scenario(make_apps, monkeypatch)


def app_tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if name.startswith(f"{LABEL}_"))


def columns(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return {column.name: column for column in description}


def constraints(table: str) -> dict[str, Any]:
    with connection.cursor() as cursor:
        return dict(connection.introspection.get_constraints(cursor, table))


def read_rows() -> Rows:
    """Every row of every app table, by table and id, through raw SQL."""
    quote = connection.ops.quote_name
    result: Rows = {}
    for table in app_tables():
        names = list(columns(table))
        sql = (
            f"SELECT {', '.join(quote(name) for name in names)} "
            f"FROM {quote(table)} ORDER BY {quote('id')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            rows = cursor.fetchall()
        result[table] = {row[0]: dict(zip(names, row, strict=True)) for row in rows}
    return result


def schema() -> dict[str, Any]:
    """The app's introspected schema, without auto-generated names."""
    result: dict[str, Any] = {}
    for table in app_tables():
        cols = {
            name: (info.type_code, info.internal_size, info.null_ok)
            for name, info in columns(table).items()
        }
        found = sorted(
            (
                name if name in EXPLICIT_NAMES else "",
                tuple(info["columns"]),
                bool(info["primary_key"]),
                bool(info["unique"]),
                bool(info["index"]),
                tuple(info["foreign_key"] or ()),
                bool(info["check"]),
            )
            for name, info in constraints(table).items()
        )
        result[table] = {"columns": cols, "constraints": found}
    return result


def narrow_wide_values() -> None:
    """Put back values that fit the types before step 05."""
    quote = connection.ops.quote_name
    tag_table = "library_genre" if "library_genre" in app_tables() else "library_tag"
    with connection.cursor() as cursor:
        for table, column, value, where in (
            ("library_author", "bio", "Long.", "LENGTH({}) > 45"),
            (tag_table, "name", "poetry", "LENGTH({}) > 45"),
            ("library_book", "page_count", 90, "{} > 2147483647"),
        ):
            cursor.execute(
                f"UPDATE {quote(table)} SET {quote(column)} = %s "
                f"WHERE {where.format(quote(column))}",
                [value],
            )
            assert cursor.rowcount == 1, (table, column)


def is_text(info: Any) -> bool:
    return "TEXT" in str(info.type_code) or "CLOB" in str(info.type_code)


def rename_column(rows: dict[int, dict[str, Any]], old: str, new: str) -> None:
    for row in rows.values():
        row[new] = row.pop(old)


# The steps. Each one changes the models, makes and applies a migration and
# updates ``scenario.expected`` by what must have happened to the rows.


def step_01_initial(s: Scenario) -> None:
    s.makemigrations()
    assert s.migration_names() == ["0001_initial"]
    s.migrate()
    state_apps = s.historical_apps()
    author = state_apps.get_model(LABEL, "Author")
    tag = state_apps.get_model(LABEL, "Tag")
    book = state_apps.get_model(LABEL, "Book")
    ann = author.objects.create(
        name="Ann Smith", email="ann@example.com", birth_year=1970, bio="Novels."
    )
    bob = author.objects.create(name="Bob Jones")
    fiction, history, poetry = (
        tag.objects.create(name=name) for name in ("fiction", "history", "poetry")
    )
    dawn = book.objects.create(title="Dawn", pages=320, author=ann)
    dusk = book.objects.create(title="Dusk", pages=150, author=ann)
    roads = book.objects.create(title="Roads", pages=90, author=bob)
    dawn.tags.add(fiction, history)
    dusk.tags.add(fiction)
    roads.tags.add(poetry)
    s.expected = {
        "library_author": {
            ann.pk: {
                "id": ann.pk,
                "name": "Ann Smith",
                "email": "ann@example.com",
                "birth_year": 1970,
                "bio": "Novels.",
            },
            bob.pk: {
                "id": bob.pk,
                "name": "Bob Jones",
                "email": "",
                "birth_year": None,
                "bio": "",
            },
        },
        "library_tag": {
            t.pk: {"id": t.pk, "name": t.name} for t in (fiction, history, poetry)
        },
        "library_book": {
            b.pk: {"id": b.pk, "title": b.title, "pages": b.pages, "author_id": a.pk}
            for b, a in ((dawn, ann), (dusk, ann), (roads, bob))
        },
        "library_book_tags": {},
    }
    links = read_rows()["library_book_tags"]
    assert len(links) == 4
    s.expected["library_book_tags"] = links
    fks = {
        info["foreign_key"]
        for info in constraints("library_book_tags").values()
        if info["foreign_key"]
    }
    assert fks == {("library_book", "id"), ("library_tag", "id")}


def step_02_add_nullable(s: Scenario) -> None:
    s.step("02_add_nullable")
    assert columns("library_author")["nickname"].null_ok
    for row in s.expected["library_author"].values():
        row["nickname"] = None


def step_03_add_with_default(s: Scenario) -> None:
    s.step("03_add_with_default")
    book = columns("library_book")
    assert not book["in_print"].null_ok
    assert not book["edition"].null_ok
    for row in s.expected["library_book"].values():
        row.update(in_print=True, edition=1)


def step_04_rename_fields(s: Scenario) -> None:
    # --noinput never guesses a rename (it would lose the column's data): it
    # says so, and then stops at the non-null full_name that has no default.
    s.use_models("04_rename_fields")
    stdout = io.StringIO()
    with s.tree.installed(LABEL), pytest.raises(SystemExit) as exited:
        call_command("makemigrations", LABEL, interactive=False, stdout=stdout)
    assert exited.value.code == 3
    assert "--noinput: not treating author.name -> author.full_name" in (
        stdout.getvalue()
    )
    assert "'full_name' on model 'author' not migrated" in stdout.getvalue()
    assert len(s.migration_names()) == 3
    out = s.step("04_rename_fields", answers=["y", "y"])
    assert "Was author.name renamed to author.full_name" in out
    assert "Was book.pages renamed to book.page_count" in out
    assert "name" not in columns("library_author")
    assert "pages" not in columns("library_book")
    rename_column(s.expected["library_author"], "name", "full_name")
    rename_column(s.expected["library_book"], "pages", "page_count")


def step_05_alter_types(s: Scenario) -> None:
    s.step("05_alter_types")
    assert is_text(columns("library_author")["bio"])
    assert columns("library_book")["page_count"].type_code == "BIGINT"
    assert columns("library_tag")["name"].internal_size == 80
    # The new types take values the old ones could not.
    state_apps = s.historical_apps()
    author = state_apps.get_model(LABEL, "Author").objects.get(full_name="Bob Jones")
    author.bio = LONG_BIO
    author.save()
    book = state_apps.get_model(LABEL, "Book").objects.get(title="Roads")
    book.page_count = HUGE_PAGE_COUNT
    book.save()
    tag = state_apps.get_model(LABEL, "Tag").objects.get(name="poetry")
    tag.name = "poetry and verse of the long nineteenth century, collected"
    tag.save()
    s.expected["library_author"][author.pk]["bio"] = LONG_BIO
    s.expected["library_book"][book.pk]["page_count"] = HUGE_PAGE_COUNT
    s.expected["library_tag"][tag.pk]["name"] = tag.name


def step_06_rename_model(s: Scenario) -> None:
    out = s.step("06_rename_model", answers=["y"])
    assert "Was the model library.Tag renamed to Genre" in out
    assert "library_tag" not in app_tables()
    s.expected["library_genre"] = s.expected.pop("library_tag")
    rename_column(s.expected["library_book_tags"], "tag_id", "genre_id")
    fks = {
        info["foreign_key"]
        for info in constraints("library_book_tags").values()
        if info["foreign_key"]
    }
    assert fks == {("library_book", "id"), ("library_genre", "id")}


def step_07_add_index_unique(s: Scenario) -> None:
    s.step("07_add_index_unique")
    found = constraints("library_book")
    assert found["library_book_title_idx"]["index"]
    assert found["library_book_title_idx"]["columns"] == ["title"]
    assert found["library_book_author_title_uniq"]["unique"]
    assert found["library_book_author_title_uniq"]["columns"] == ["author_id", "title"]


def step_08_move_index_unique(s: Scenario) -> None:
    s.step("08_move_index_unique")
    book = constraints("library_book")
    assert "library_book_title_idx" not in book
    assert "library_book_author_title_uniq" not in book
    assert any(info["foreign_key"] for info in book.values())
    assert constraints("library_author")["library_author_name_idx"]["index"]
    assert constraints("library_genre")["library_genre_name_uniq"]["unique"]


def step_09_hand_written_data(s: Scenario) -> None:
    s.use_models("08_move_index_unique")
    s.hand_write(
        "fill_nicknames",
        "migrations.RunPython(data.fill_nicknames, migrations.RunPython.noop, "
        "elidable=True)",
    )
    s.migrate()
    for row in s.expected["library_author"].values():
        row["nickname"] = row["full_name"].split()[0]


def step_10_split_add_model(s: Scenario) -> None:
    s.step("10_split_add_profile")
    assert read_rows()["library_profile"] == {}
    s.expected["library_profile"] = {}


def step_11_split_copy_data(s: Scenario) -> None:
    s.use_models("10_split_add_profile")
    s.hand_write(
        "copy_profiles",
        "migrations.RunPython(data.copy_to_profiles, data.copy_from_profiles)",
    )
    s.migrate()
    profiles = read_rows()["library_profile"]
    assert len(profiles) == 2
    for pk, row in profiles.items():
        author = s.expected["library_author"][row["author_id"]]
        assert row == {
            "id": pk,
            "author_id": author["id"],
            "email": author["email"],
            "birth_year": author["birth_year"],
            "bio": author["bio"],
        }
    s.expected["library_profile"] = profiles


def step_12_split_remove_fields(s: Scenario) -> None:
    s.step("12_split_remove_fields")
    for row in s.expected["library_author"].values():
        for name in ("email", "birth_year", "bio"):
            del row[name]


def step_13_remove_field(s: Scenario) -> None:
    s.step("13_remove_field")
    assert "edition" not in columns("library_book")
    for row in s.expected["library_book"].values():
        del row["edition"]


STEPS: list[Callable[[Scenario], None]] = [
    step_01_initial,
    step_02_add_nullable,
    step_03_add_with_default,
    step_04_rename_fields,
    step_05_alter_types,
    step_06_rename_model,
    step_07_add_index_unique,
    step_08_move_index_unique,
    step_09_hand_written_data,
    step_10_split_add_model,
    step_11_split_copy_data,
    step_12_split_remove_fields,
    step_13_remove_field,
]


def test_evolve_roll_back_and_squash(
    scenario: Scenario, database: DatabaseFixture
) -> None:
    for number, step in enumerate(STEPS, start=1):
        step(scenario)
        assert len(scenario.migration_names()) == number, step.__name__
        scenario.check()
        scenario.check_orm()
    names = scenario.migration_names()
    assert scenario.makemigrations(check_changes=True) == (
        "No changes detected in app 'library'\n"
    )
    final_rows = read_rows()
    final_schema = schema()

    # Backwards to before the split: the data comes back onto Author.
    scenario.migrate(names[8])
    assert scenario.applied() == names[:9]
    authors = read_rows()["library_author"]
    for pk, profile in final_rows["library_profile"].items():
        author = authors[profile["author_id"]]
        assert (author["email"], author["birth_year"], author["bio"]) == (
            profile["email"],
            profile["birth_year"],
            profile["bio"],
        ), pk
    assert {row["edition"] for row in read_rows()["library_book"].values()} == {1}
    assert "library_profile" not in app_tables()

    # Past 0005 the old types cannot hold the values written since: a server
    # database refuses to go back (never truncating), names the migration and
    # keeps its record; SQLite does not enforce lengths or integer sizes.
    kept = read_rows()
    if database.vendor != "sqlite":
        with pytest.raises(CommandError, match="library.0005_"):
            scenario.migrate("zero")
        assert scenario.applied() == names[:5]
        # Back at 0005 (Tag not yet renamed), nothing was truncated or lost.
        kept["library_tag"] = kept.pop("library_genre")
        rename_column(kept["library_book_tags"], "genre_id", "tag_id")
        assert read_rows() == kept
    narrow_wide_values()

    # To zero and forward again: every table goes, and the same schema returns.
    scenario.migrate("zero")
    assert app_tables() == []
    assert scenario.applied() == []
    scenario.migrate()
    assert scenario.applied() == names
    assert schema() == final_schema

    # Squash the whole history and build a fresh database from the squash.
    out = io.StringIO()
    with scenario.tree.installed(LABEL):
        call_command(
            "squashmigrations", LABEL, names[-1], interactive=False, stdout=out
        )
    scenario.forget_modules()
    squashed = f"0001_squashed_{names[-1]}"
    assert squashed in scenario.migration_names()
    source = (scenario.app_dir / "migrations" / f"{squashed}.py").read_text()
    assert "Manual porting required" not in out.getvalue()
    assert "data.copy_to_profiles" in source
    assert "data.fill_nicknames" not in source  # elidable
    connection.creation.drop_all_tables()
    assert app_tables() == []
    with scenario.tree.installed(LABEL):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan([(LABEL, squashed)])
    assert [migration.name for migration, backwards in plan] == [squashed]
    scenario.migrate()
    assert schema() == final_schema
    # The squash stands for the whole history in the record.
    assert scenario.applied() == sorted([*names, squashed])
    assert read_rows() == {table: {} for table in final_rows}
