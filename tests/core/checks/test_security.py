"""Deployment security checks: each fires on the insecure setting, not otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from manouche.core.checks.security import base
from manouche.test.utils import override_settings

SECURITY = "manouche.middleware.security.SecurityMiddleware"
XFRAME = "manouche.middleware.clickjacking.XFrameOptionsMiddleware"
STRONG_KEY = "a" * 10 + "bcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*()"


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize(
    ("check", "bad", "good", "expected"),
    [
        (
            base.check_security_middleware,
            {"MIDDLEWARE": []},
            {"MIDDLEWARE": [SECURITY]},
            "security.W001",
        ),
        (
            base.check_xframe_options_middleware,
            {"MIDDLEWARE": []},
            {"MIDDLEWARE": [XFRAME]},
            "security.W002",
        ),
        (
            base.check_sts,
            {"MIDDLEWARE": [SECURITY], "SECURE_HSTS_SECONDS": 0},
            {"MIDDLEWARE": [SECURITY], "SECURE_HSTS_SECONDS": 3600},
            "security.W004",
        ),
        (
            base.check_sts_include_subdomains,
            {"MIDDLEWARE": [SECURITY], "SECURE_HSTS_SECONDS": 3600},
            {
                "MIDDLEWARE": [SECURITY],
                "SECURE_HSTS_SECONDS": 3600,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
            },
            "security.W005",
        ),
        (
            base.check_content_type_nosniff,
            {"MIDDLEWARE": [SECURITY], "SECURE_CONTENT_TYPE_NOSNIFF": False},
            {"MIDDLEWARE": [SECURITY]},
            "security.W006",
        ),
        (
            base.check_ssl_redirect,
            {"MIDDLEWARE": [SECURITY]},
            {"MIDDLEWARE": [SECURITY], "SECURE_SSL_REDIRECT": True},
            "security.W008",
        ),
        (
            base.check_secret_key,
            {"SECRET_KEY": "short"},
            {"SECRET_KEY": STRONG_KEY},
            "security.W009",
        ),
        (base.check_debug, {"DEBUG": True}, {"DEBUG": False}, "security.W018"),
        (
            base.check_xframe_deny,
            {"MIDDLEWARE": [XFRAME], "X_FRAME_OPTIONS": "SAMEORIGIN"},
            {"MIDDLEWARE": [XFRAME]},
            "security.W019",
        ),
        (
            base.check_allowed_hosts,
            {"ALLOWED_HOSTS": []},
            {"ALLOWED_HOSTS": ["example.com"]},
            "security.W020",
        ),
        (
            base.check_sts_preload,
            {"MIDDLEWARE": [SECURITY], "SECURE_HSTS_SECONDS": 1},
            {
                "MIDDLEWARE": [SECURITY],
                "SECURE_HSTS_SECONDS": 1,
                "SECURE_HSTS_PRELOAD": True,
            },
            "security.W021",
        ),
        (
            base.check_referrer_policy,
            {"MIDDLEWARE": [SECURITY], "SECURE_REFERRER_POLICY": None},
            {"MIDDLEWARE": [SECURITY]},
            "security.W022",
        ),
        (
            base.check_referrer_policy,
            {"MIDDLEWARE": [SECURITY], "SECURE_REFERRER_POLICY": "origin, bogus"},
            {"MIDDLEWARE": [SECURITY], "SECURE_REFERRER_POLICY": "origin, same-origin"},
            "security.E023",
        ),
        (
            base.check_cross_origin_opener_policy,
            {"MIDDLEWARE": [SECURITY], "SECURE_CROSS_ORIGIN_OPENER_POLICY": "bogus"},
            {"MIDDLEWARE": [SECURITY]},
            "security.E024",
        ),
    ],
)
def test_check_fires_only_on_bad_settings(
    check: Any, bad: dict[str, Any], good: dict[str, Any], expected: str
) -> None:
    with override_settings(**bad):
        assert ids(check()) == [expected]
    with override_settings(**good):
        assert check() == []


@pytest.mark.parametrize(
    "key",
    [
        "x" * 49 + "y" * 0,  # too short
        "ab" * 40,  # too few unique characters
        "manouche-insecure-" + STRONG_KEY,  # the generated development key
    ],
)
def test_weak_secret_keys(key: str) -> None:
    with override_settings(SECRET_KEY=key):
        messages = base.check_secret_key()
    assert ids(messages) == ["security.W009"]
    assert messages[0].msg.startswith(
        "Your SECRET_KEY has less than 50 characters, less than 5 unique characters, "
        "or it's prefixed with 'manouche-insecure-'"
    )


def test_weak_secret_key_fallbacks_name_the_index() -> None:
    with override_settings(SECRET_KEY_FALLBACKS=[STRONG_KEY, "weak"]):
        messages = base.check_secret_key_fallbacks()
    assert ids(messages) == ["security.W025"]
    assert messages[0].msg.startswith("Your SECRET_KEY_FALLBACKS[1] has less than")


def test_messages_mention_manouche_paths() -> None:
    assert SECURITY in base.W001.msg
    assert XFRAME in base.W002.msg
    assert base.E023.hint is not None
    assert base.E023.hint.startswith("Valid values are: no-referrer, ")
