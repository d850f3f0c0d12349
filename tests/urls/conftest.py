"""Keep URL state from leaking between the URL tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.urls import clear_script_prefix, clear_url_caches, set_urlconf


@pytest.fixture(autouse=True)
def _fresh_url_state() -> Iterator[None]:
    yield
    clear_url_caches()
    clear_script_prefix()
    set_urlconf(None)
