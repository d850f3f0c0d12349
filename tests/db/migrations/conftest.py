"""Throwaway apps with migration files on disk, for squash and lint tests.

``make_apps`` writes apps into a package unique to the test (so module names
never collide in ``sys.modules``), puts it on ``sys.path`` and returns an
``AppTree``; ``tree.installed(...)`` installs them with ``override_settings``.
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from manouche.test.utils import override_settings

MIGRATION_HEADER = "from manouche.db import migrations, models\n\n\n"


class AppTree:
    """A package of test apps under ``tmp_path``."""

    def __init__(self, root: Path) -> None:
        self.package = f"migapps_{uuid.uuid4().hex[:8]}"
        self.root = root / self.package
        self.root.mkdir()
        (self.root / "__init__.py").write_text("")

    def module(self, label: str) -> str:
        """The dotted module name of the app ``label``."""
        return f"{self.package}.{label}"

    def app(
        self,
        label: str,
        migrations: dict[str, str] | None,
        *,
        modules: dict[str, str] | None = None,
        package: str = "migrations",
    ) -> Path:
        """Write app ``label`` with migration bodies (None: no migrations)."""
        app_dir = self.root / label
        app_dir.mkdir()
        (app_dir / "__init__.py").write_text("")
        (app_dir / "models.py").write_text("")
        for name, source in (modules or {}).items():
            (app_dir / f"{name}.py").write_text(textwrap.dedent(source))
        if migrations is not None:
            migrations_dir = app_dir / package
            migrations_dir.mkdir()
            (migrations_dir / "__init__.py").write_text("")
            for name, body in migrations.items():
                self.write_migration(label, name, body, package=package)
        return app_dir

    def write_migration(
        self, label: str, name: str, body: str, *, package: str = "migrations"
    ) -> Path:
        """Write ``<name>.py`` holding ``class Migration`` with ``body``."""
        path = self.root / label / package / f"{name}.py"
        class_body = textwrap.indent(textwrap.dedent(body).strip(), "    ")
        path.write_text(
            f"{MIGRATION_HEADER}class Migration(migrations.Migration):\n{class_body}\n"
        )
        return path

    def migrations_dir(self, label: str, package: str = "migrations") -> Path:
        return self.root / label / package

    @contextmanager
    def installed(self, *labels: str, **settings: Any) -> Iterator[None]:
        """Install the apps ``labels`` (and any other settings) for the block."""
        with override_settings(
            INSTALLED_APPS=[self.module(label) for label in labels], **settings
        ):
            yield


@pytest.fixture
def make_apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTree]:
    monkeypatch.syspath_prepend(str(tmp_path))
    tree = AppTree(tmp_path)
    try:
        yield tree
    finally:
        for name in [n for n in sys.modules if n.startswith(tree.package)]:
            del sys.modules[name]
