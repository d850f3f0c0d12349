"""The debug pages and the demo, as a person sees them in Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_technical_500_page_shows_the_traceback_and_masks_secrets(
    page: Any, demo_server: str, tmp_path: Path
) -> None:
    response = page.goto(f"{demo_server}/boom/")
    assert response.status == 500
    text = page.inner_text("body")
    assert "RuntimeError" in text
    assert "Traceback" in text
    assert "on purpose" in text
    assert "SECRET_KEY" in text
    assert "3k9v!x2m" not in page.content()  # the demo key's text never shows
    # The page is laid out for reading: a visible heading, no script errors.
    heading = page.locator("h1").first
    assert heading.is_visible()
    assert heading.bounding_box()["height"] > 10
    page.screenshot(path=str(tmp_path / "technical_500.png"), full_page=True)
    page.screenshot(path="/tmp/technical_500.png", full_page=False)


def test_technical_404_page_lists_the_patterns_tried(page: Any, demo_server: str):
    response = page.goto(f"{demo_server}/no-such-page/")
    assert response.status == 404
    text = page.inner_text("body")
    assert "no-such-page" in text
    assert "articles/<int:year>/<slug:slug>/" in text
    assert "DEBUG = True" in text


def test_demo_home_page_links_work(page: Any, demo_server: str) -> None:
    response = page.goto(demo_server + "/")
    assert response.status == 200
    assert page.locator("a").count() >= 5
    page.locator("a[href='/api/status/']").first.click()
    page.wait_for_load_state()
    assert '"status"' in page.content() or "status" in page.inner_text("body")


def test_security_headers_reach_the_browser(page: Any, demo_server: str) -> None:
    response = page.goto(demo_server + "/")
    headers = response.all_headers()
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
