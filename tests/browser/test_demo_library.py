"""The demo's library pages, as a person uses them in Chromium."""

from __future__ import annotations

from typing import Any


def test_paginated_list_and_detail(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/library/")
    assert page.title() == "Library · manouche demo"
    assert page.locator("tbody tr").count() == 5
    page.locator("a[rel=next]").click()
    page.wait_for_load_state()
    assert "Page 2 of 2" in page.inner_text(".pagination")
    page.locator("tbody a").first.click()
    page.wait_for_load_state()
    assert "pages" in page.inner_text("body")


def test_search_box_filters_and_escapes(page: Any, demo_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{demo_server}/library/")
    page.fill("input[name=q]", "<img src=x onerror=alert(1)>")
    page.locator("form[role=search] button").click()
    page.wait_for_load_state()
    assert dialogs == []
    assert "No books match" in page.inner_text(".no-results")
    page.fill("input[name=q]", "Alexander")
    page.locator("form[role=search] button").click()
    page.wait_for_load_state()
    assert page.locator("tbody tr").count() == 2


def test_the_form_shows_errors_then_saves(page: Any, demo_server: str) -> None:
    page.goto(f"{demo_server}/library/new/")
    page.fill("input[name=title]", "Untitled")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "Give the book a real title." in body
    assert "This field is required." in body
    page.fill("input[name=title]", "Parable of the Sower")
    page.select_option("select[name=author]", label="Italo Calvino")
    page.fill("input[name=published]", "1993-10-01")
    page.fill("input[name=pages]", "345")
    page.fill("input[name=price]", "13.00")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Parable of the Sower"
