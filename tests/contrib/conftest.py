"""Keep contrib apps installed by one test from leaving checks behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.core.checks.registry import registry


@pytest.fixture(autouse=True)
def _restore_check_registry() -> Iterator[None]:
    """Restore the registered checks after the test.

    A test that installs an app (``override_settings(INSTALLED_APPS=...)``)
    runs its ``ready()``, which registers checks for the whole process, e.g.
    the sites app's ``sites`` tag would then show in ``check --list-tags``.
    """
    registered = set(registry.registered_checks)
    deployment = set(registry.deployment_checks)
    yield
    registry.registered_checks = registered
    registry.deployment_checks = deployment
