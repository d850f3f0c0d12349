"""DNS_NAME: the cached, IDNA-encoded host name."""

from __future__ import annotations

import pytest

from manouche.core.mail import DNS_NAME, CachedDnsName, make_msgid


def test_dns_name_is_looked_up_once_and_punycoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def fake_getfqdn() -> str:
        calls.append(1)
        return "höst.exämple.com"

    monkeypatch.setattr("socket.getfqdn", fake_getfqdn)
    name = CachedDnsName()
    assert str(name) == "xn--hst-sna.xn--exmple-cua.com"
    assert name.get_fqdn() == "xn--hst-sna.xn--exmple-cua.com"
    assert calls == [1]


def test_module_dns_name_is_a_cached_dns_name() -> None:
    assert isinstance(DNS_NAME, CachedDnsName)
    assert str(DNS_NAME) == DNS_NAME.get_fqdn()
    assert str(DNS_NAME).isascii()


def test_make_msgid_uses_the_domain() -> None:
    msgid = make_msgid(domain="example.com")
    assert msgid.startswith("<")
    assert msgid.endswith("@example.com>")
