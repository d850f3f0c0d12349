"""Schema editor tests run in an isolated app registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from manouche.test.utils import isolate_apps


@pytest.fixture(autouse=True)
def _isolated_apps() -> Iterator[Any]:
    """Keep every model a test declares out of the global registry."""
    with isolate_apps("tests.apps.custom_label") as apps:
        yield apps
