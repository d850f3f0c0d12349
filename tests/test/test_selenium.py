"""SeleniumTestCase: opt-in browser tests, skipped without a configured browser."""

from __future__ import annotations

import unittest
from typing import Any
from unittest import mock

import pytest

from manouche.test.selenium import BROWSER_ENV, SeleniumTestCase


class _NoBrowser(SeleniumTestCase):
    __test__ = False
    databases: Any = set()

    def test_never_runs(self) -> None:
        raise AssertionError("a browser test ran without a browser")


def test_skipped_when_no_browser_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BROWSER_ENV, raising=False)
    result = unittest.TestResult()
    unittest.TestSuite([_NoBrowser("test_never_runs")]).run(result)
    assert result.errors == []
    assert result.failures == []
    assert [reason for _, reason in result.skipped] == [
        f"No browser specified: set _NoBrowser.browser or {BROWSER_ENV}."
    ]


def test_browser_comes_from_the_class_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(BROWSER_ENV, " Firefox ")
    assert _NoBrowser.browser_name() == "firefox"
    with mock.patch.object(_NoBrowser, "browser", "chrome"):
        assert _NoBrowser.browser_name() == "chrome"


def test_unknown_browser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BROWSER_ENV, "netscape")
    with pytest.raises(ValueError, match="Unknown Selenium browser 'netscape'"):
        _NoBrowser.create_webdriver()


def test_skipped_when_selenium_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BROWSER_ENV, "firefox")
    result = unittest.TestResult()
    with mock.patch("importlib.util.find_spec", return_value=None):
        unittest.TestSuite([_NoBrowser("test_never_runs")]).run(result)
    assert [reason for _, reason in result.skipped] == ["Selenium is not installed."]
    assert result.errors == []
