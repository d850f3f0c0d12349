"""BrokenLinkEmailsMiddleware: mail MANAGERS about 404s reached through a link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from manouche.core import mail
from manouche.http import HttpResponse, HttpResponseNotFound
from manouche.middleware.common import BrokenLinkEmailsMiddleware
from manouche.test.utils import override_settings
from tests.middleware.helpers import make_request

PATH = "/missing/page"


@pytest.fixture(autouse=True)
def outbox() -> Iterator[list[Any]]:
    with override_settings(
        EMAIL_BACKEND="manouche.core.mail.backends.locmem.EmailBackend",
        MANAGERS=[("Manager", "manager@example.com")],
        DEBUG=False,
    ):
        mail.outbox = []
        yield mail.outbox


def not_found(request: Any) -> HttpResponse:
    return HttpResponseNotFound()


def run(path: str = PATH, **meta: Any) -> None:
    BrokenLinkEmailsMiddleware(not_found)(make_request(path=path, **meta))


def test_404_with_external_referer_is_mailed_to_managers(
    outbox: list[Any],
) -> None:
    run(
        HTTP_REFERER="http://elsewhere.example/page",
        HTTP_USER_AGENT="Agent/1.0",
        REMOTE_ADDR="192.0.2.1",
    )
    assert len(outbox) == 1
    message = outbox[0]
    assert message.subject == "[Manouche] Broken link on testserver"
    assert message.to == ["manager@example.com"]
    assert message.body == (
        "Referrer: http://elsewhere.example/page\n"
        f"Requested URL: {PATH}\n"
        "User agent: Agent/1.0\n"
        "IP address: 192.0.2.1\n"
    )


def test_404_with_referer_on_the_same_site_is_internal(outbox: list[Any]) -> None:
    run(HTTP_REFERER="https://testserver/index/")
    assert outbox[0].subject == "[Manouche] Broken INTERNAL link on testserver"
    assert "User agent: <none>\nIP address: <none>\n" in outbox[0].body


def test_404_without_referer_is_not_reported(outbox: list[Any]) -> None:
    run()
    assert outbox == []


def test_other_statuses_are_not_reported(outbox: list[Any]) -> None:
    middleware = BrokenLinkEmailsMiddleware(lambda request: HttpResponse())
    middleware(make_request(path=PATH, HTTP_REFERER="/from/"))
    assert outbox == []


@override_settings(DEBUG=True)
def test_nothing_is_reported_in_debug(outbox: list[Any]) -> None:
    run(HTTP_REFERER="/from/")
    assert outbox == []


@override_settings(IGNORABLE_404_URLS=[re.compile(r"^/missing/")])
def test_ignorable_404_urls_are_not_reported(outbox: list[Any]) -> None:
    run(HTTP_REFERER="/from/")
    assert outbox == []


@pytest.mark.parametrize(
    "referer",
    [PATH, f"http://testserver{PATH}", f"https://testserver{PATH}"],
)
def test_referer_equal_to_the_url_is_a_bot_and_ignored(
    outbox: list[Any], referer: str
) -> None:
    run(HTTP_REFERER=referer)
    assert outbox == []


def test_same_path_on_another_domain_is_reported(outbox: list[Any]) -> None:
    run(HTTP_REFERER=f"http://other.example{PATH}")
    assert len(outbox) == 1


def test_external_referer_with_query_string_is_a_crawler(outbox: list[Any]) -> None:
    run(HTTP_REFERER="http://search.example/?q=missing")
    assert outbox == []


@pytest.mark.parametrize(("append_slash", "sent"), [(True, 0), (False, 1)])
def test_referer_without_the_trailing_slash(
    outbox: list[Any], append_slash: bool, sent: int
) -> None:
    with override_settings(APPEND_SLASH=append_slash):
        run(path=f"{PATH}/", HTTP_REFERER=PATH)
    assert len(outbox) == sent


def test_subclass_can_add_its_own_ignore_rule(outbox: list[Any]) -> None:
    class NoBots(BrokenLinkEmailsMiddleware):
        def is_ignorable_request(
            self, request: Any, uri: str, domain: str, referer: str
        ) -> bool:
            if super().is_ignorable_request(request, uri, domain, referer):
                return True
            return "Bot" in request.META.get("HTTP_USER_AGENT", "")

    NoBots(not_found)(
        make_request(path=PATH, HTTP_REFERER="/a/", HTTP_USER_AGENT="Bot")
    )
    assert outbox == []
    NoBots(not_found)(make_request(path=PATH, HTTP_REFERER="/a/"))
    assert len(outbox) == 1
