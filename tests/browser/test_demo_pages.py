"""The demo's templated pages, as a person sees them in Chromium."""

from __future__ import annotations

from typing import Any


def test_templates_page_escapes_user_text_and_runs_no_script(
    page: Any, demo_server: str
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(f"{demo_server}/templates/")
    assert response.status == 200
    assert dialogs == []
    cells = page.locator("td").all_inner_texts()
    assert "<script>alert('escaped, not run')</script>" in cells
    assert "1,234,567 visitors" in page.inner_text("body")


def test_navigation_comes_from_the_base_template(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/")
    page.locator("nav a", has_text="Templates").click()
    page.wait_for_load_state()
    assert page.url.endswith("/templates/")
    assert page.title() == "Templates · manouche demo"
