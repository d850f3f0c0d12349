"""Which peers may speak for the client through X-Forwarded-* headers.

Django believes X-Forwarded-Host/Port and SECURE_PROXY_SSL_HEADER from any
peer once the setting is on. manouche believes them only from a peer listed in
TRUSTED_PROXIES (addresses or CIDR blocks; loopback by default, where a local
reverse proxy connects from), so a client that reaches the app directly
cannot forge its host or scheme.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from manouche.conf import settings
from manouche.core.exceptions import ImproperlyConfigured

__all__ = ["is_trusted_proxy"]

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES contains {entry!r}, which is not an IP address "
                "or network."
            ) from None
    return tuple(networks)


def is_trusted_proxy(
    remote_addr: str | None, entries: Iterable[str] | None = None
) -> bool:
    """Tell whether the peer ``remote_addr`` is one of the trusted proxies."""
    if not remote_addr:
        return False
    networks = _networks(
        tuple(settings.TRUSTED_PROXIES if entries is None else entries)
    )
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(remote_addr.strip("[]"))
    except ValueError:
        return False
    return any(address in network for network in networks)
