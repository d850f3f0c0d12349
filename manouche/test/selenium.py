"""SeleniumTestCase: LiveServerTestCase with a Selenium WebDriver at ``self.selenium``.

Browser tests are opt-in: they need the ``selenium`` package and a browser,
which most test runs do not have. The browser is named by the class attribute
``browser`` or, when that is empty, by the ``MANOUCHE_SELENIUM_BROWSER``
environment variable (``chrome``, ``firefox``, ``edge``, ``safari``); with
neither, the class is skipped rather than failed. ``headless`` (or
``MANOUCHE_SELENIUM_HEADLESS=1``) runs the browser without a window.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import unittest
from typing import Any, ClassVar

from manouche.test._live_server import LiveServerTestCase

__all__ = ["SeleniumTestCase"]

BROWSER_ENV = "MANOUCHE_SELENIUM_BROWSER"
HEADLESS_ENV = "MANOUCHE_SELENIUM_HEADLESS"

# Selenium's WebDriver and Options class names per browser.
_DRIVERS = {
    "chrome": ("Chrome", "ChromeOptions"),
    "edge": ("Edge", "EdgeOptions"),
    "firefox": ("Firefox", "FirefoxOptions"),
    "safari": ("Safari", "SafariOptions"),
}


class SeleniumTestCase(LiveServerTestCase):
    """Drive the live server with a real browser (skipped when none is configured)."""

    browser: ClassVar[str] = ""
    headless: ClassVar[bool] = False
    implicit_wait: ClassVar[float] = 10
    selenium: ClassVar[Any]

    @classmethod
    def browser_name(cls) -> str:
        """The configured browser, lower-case; "" when none is."""
        return (cls.browser or os.environ.get(BROWSER_ENV, "")).strip().lower()

    @classmethod
    def create_webdriver(cls) -> Any:
        """Start the browser; override to use a remote grid or custom options."""
        name = cls.browser_name()
        if name not in _DRIVERS:
            raise ValueError(
                f"Unknown Selenium browser {name!r}; expected one of "
                f"{', '.join(sorted(_DRIVERS))}."
            )
        # An optional dependency: imported by name, only when a browser is used.
        webdriver = importlib.import_module("selenium.webdriver")
        driver_name, options_name = _DRIVERS[name]
        options = getattr(webdriver, options_name)()
        if cls.headless or os.environ.get(HEADLESS_ENV) == "1":
            options.add_argument("-headless" if name == "firefox" else "--headless")
        return getattr(webdriver, driver_name)(options=options)

    @classmethod
    def setUpClass(cls) -> None:
        if not cls.browser_name():
            raise unittest.SkipTest(
                f"No browser specified: set {cls.__name__}.browser or {BROWSER_ENV}."
            )
        if importlib.util.find_spec("selenium") is None:
            raise unittest.SkipTest("Selenium is not installed.")
        super().setUpClass()
        cls.selenium = cls.create_webdriver()
        cls.selenium.implicitly_wait(cls.implicit_wait)
        cls.addClassCleanup(cls.selenium.quit)
