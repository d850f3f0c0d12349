"""Testing tools: test clients, request factories, test cases and settings helpers."""

from __future__ import annotations

from manouche.test._features import (
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from manouche.test._live_server import LiveServerTestCase
from manouche.test.client import (
    AsyncClient,
    AsyncRequestFactory,
    Client,
    RequestFactory,
)
from manouche.test.testcases import SimpleTestCase, TestCase, TransactionTestCase
from manouche.test.utils import ignore_warnings, modify_settings, override_settings, tag

__all__ = [
    "AsyncClient",
    "AsyncRequestFactory",
    "Client",
    "LiveServerTestCase",
    "RequestFactory",
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "ignore_warnings",
    "modify_settings",
    "override_settings",
    "skipIfDBFeature",
    "skipUnlessAnyDBFeature",
    "skipUnlessDBFeature",
    "tag",
]
