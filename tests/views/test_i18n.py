"""The set_language view."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from manouche.test import Client
from manouche.test.utils import override_settings


@pytest.fixture
def client() -> Iterator[Client]:
    with override_settings(ROOT_URLCONF="manouche.conf.urls.i18n", USE_I18N=True):
        yield Client()


def test_post_sets_cookie_and_redirects_to_next(client: Client) -> None:
    response = client.post("/setlang/", {"language": "fr", "next": "/page/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/page/"
    cookie = response.cookies["manouche_language"]
    assert cookie.value == "fr"
    assert cookie["path"] == "/"


@pytest.mark.parametrize(
    "hostile",
    ["http://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"],
)
def test_offsite_next_falls_back_to_root(client: Client, hostile: str) -> None:
    response = client.post(
        "/setlang/",
        {"language": "fr", "next": hostile},
        headers={"accept": "text/html"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_offsite_next_falls_back_to_onsite_referer(client: Client) -> None:
    response = client.post(
        "/setlang/",
        {"language": "fr", "next": "http://evil.example/"},
        headers={"referer": "http://testserver/back/"},
    )
    assert response.headers["Location"] == "http://testserver/back/"


def test_offsite_referer_is_ignored(client: Client) -> None:
    response = client.post(
        "/setlang/",
        {"language": "fr"},
        headers={"referer": "http://evil.example/", "accept": "text/html"},
    )
    assert response.headers["Location"] == "/"


def test_unknown_language_sets_no_cookie(client: Client) -> None:
    response = client.post("/setlang/", {"language": "xx-nope", "next": "/"})
    assert response.status_code == 302
    assert "manouche_language" not in response.cookies


def test_get_does_not_change_the_language(client: Client) -> None:
    response = client.get("/setlang/", {"language": "fr", "next": "/a/"})
    assert response.headers["Location"] == "/a/"
    assert "manouche_language" not in response.cookies


def test_non_html_client_without_next_gets_204(client: Client) -> None:
    response = client.post(
        "/setlang/", {"language": "fr"}, headers={"accept": "application/json"}
    )
    assert response.status_code == 204
    assert response.cookies["manouche_language"].value == "fr"


def test_cookie_follows_language_cookie_settings(client: Client) -> None:
    with override_settings(
        LANGUAGE_COOKIE_NAME="lang",
        LANGUAGE_COOKIE_AGE=3600,
        LANGUAGE_COOKIE_PATH="/app/",
        LANGUAGE_COOKIE_SECURE=True,
        LANGUAGE_COOKIE_HTTPONLY=True,
        LANGUAGE_COOKIE_SAMESITE="Strict",
    ):
        response = client.post("/setlang/", {"language": "de", "next": "/"})
    cookie = response.cookies["lang"]
    assert cookie.value == "de"
    assert cookie["max-age"] == 3600
    assert cookie["path"] == "/app/"
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
