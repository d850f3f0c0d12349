from __future__ import annotations

import pytest

from manouche.core.exceptions import ImproperlyConfigured
from manouche.http._proxies import is_trusted_proxy
from manouche.test.utils import override_settings
from tests.http.helpers import make_request


@override_settings(USE_X_FORWARDED_HOST=True, USE_X_FORWARDED_PORT=True)
def test_forwarded_host_and_port_from_an_untrusted_peer_are_ignored():
    request = make_request(
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_X_FORWARDED_PORT="8443",
    )
    assert request.get_host() == "testserver"
    assert request.get_port() == "80"


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_forged_https_from_an_untrusted_peer_is_ignored():
    request = make_request(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert request.scheme == "http"
    assert not request.is_secure()


@override_settings(
    USE_X_FORWARDED_HOST=True,
    TRUSTED_PROXIES=["10.0.0.0/8"],
    ALLOWED_HOSTS=["public.example", "testserver"],
)
def test_a_trusted_network_speaks_for_the_client():
    request = make_request(
        REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_HOST="public.example"
    )
    assert request.get_host() == "public.example"
    loopback = make_request(HTTP_X_FORWARDED_HOST="public.example")
    assert loopback.get_host() == "testserver"


@pytest.mark.parametrize(
    ("address", "trusted"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("192.0.2.1", False),
        ("", False),
        ("not-an-ip", False),
    ],
)
def test_default_trusts_loopback_only(address, trusted):
    assert is_trusted_proxy(address) is trusted


def test_bad_entries_are_reported():
    with pytest.raises(
        ImproperlyConfigured, match="TRUSTED_PROXIES contains 'proxy.lan'"
    ):
        is_trusted_proxy("10.0.0.1", ["proxy.lan"])
